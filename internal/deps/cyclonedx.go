package deps

import (
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
)

type cdxBOM struct {
	BOMFormat   string `json:"bomFormat"`
	SpecVersion string `json:"specVersion"`
	Metadata    struct {
		Component *cdxComponent `json:"component"`
	} `json:"metadata"`
	Components   []cdxComponent `json:"components"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

type cdxComponent struct {
	Ref                string    `json:"bom-ref"`
	PURL               string    `json:"purl"`
	Scope              string    `json:"scope"`
	Hashes             []cdxHash `json:"hashes"`
	ExternalReferences []struct {
		Type   string    `json:"type"`
		URL    string    `json:"url"`
		Hashes []cdxHash `json:"hashes"`
	} `json:"externalReferences"`
	Properties []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"properties"`
	Components []cdxComponent `json:"components"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

var cycloneDXInfo = ParserInfo{
	Name:    "CycloneDX JSON",
	Files:   []string{"*.cdx.json", "bom.json"},
	Records: Records{Versions: true, Specifiers: true, Hashes: true, DistFiles: true, Graph: true, Direct: true, Scopes: true, Sources: true, Project: true},
	Notes: "An SBOM, specVersion 1.2 to 1.7 (another is refused), from any tool: the components whose purl is `pkg:pypi/...`, nested ones too " +
		"(at most 100,000 components, 16 levels deep); the others are counted in one problem. Hashes, `distribution` references as files, purl `vcs_url` and `download_url` " +
		"as sources, and the graph from `dependencies`. `metadata.component` is the project when its purl is a PyPI one; what it depends on is direct. " +
		"Scope `required` is main, `optional` is `optional`, `excluded` is `dev`; Safeguard's own `safeguard:group`, `safeguard:direct` and " +
		"`safeguard:specifier` properties are read back. A line is the line of the component's purl.",
}

// ParseCycloneDX reads a CycloneDX JSON SBOM: the PyPI packages among its
// components (by purl), with hashes, distribution files, scope and the
// dependency graph; metadata.component is the project.
func ParseCycloneDX(file string, data []byte) (*Lock, error) {
	var bom cdxBOM
	if err := decodeLock(file, data, &bom, json.Unmarshal); err != nil {
		return nil, err
	}
	if bom.BOMFormat != "CycloneDX" {
		return nil, fmt.Errorf("%s: bomFormat %q, not a CycloneDX BOM", file, bom.BOMFormat)
	}
	if !cdxVersionRead(bom.SpecVersion) {
		return nil, fmt.Errorf("%s: CycloneDX specVersion %q; Safeguard reads 1.2 to 1.7", file, bom.SpecVersion)
	}
	lines := keyLines(data, "purl")
	out := &Lock{}
	rootRef := ""
	if c := bom.Metadata.Component; c != nil {
		rootRef = c.Ref
		if p, _, ok := sbomPackage(c.PURL); ok {
			out.Project = self(file, lines.take(c.PURL), p.Name, p.Version, nil)
		}
	}
	direct := map[string]bool{} // bom-refs the root depends on
	for _, d := range bom.Dependencies {
		if d.Ref == rootRef && rootRef != "" {
			for _, r := range d.DependsOn {
				direct[r] = true
			}
		}
	}
	comps, probs := flattenCDX(file, bom.Components)
	out.Problems = append(out.Problems, probs...)
	other := skipped{}
	byRef := map[string]int{} // bom-ref -> index in out.Packages
	for _, c := range comps {
		if c.Ref == rootRef && rootRef != "" {
			continue // the project listed among its own components
		}
		p, typ, ok := sbomPackage(c.PURL)
		if !ok {
			other.add(typ)
			continue
		}
		pkg, ok := out.entry(file, []int{lines.take(c.PURL)}, 0, p.Name, p.Version)
		if !ok {
			continue
		}
		pkg.Source, pkg.Direct, pkg.Scope = p.Source, direct[c.Ref], cdxScope(c.Scope)
		c.readBack(&pkg)
		for _, h := range c.Hashes {
			if s, ok := sbomHash(h.Alg, h.Content); ok {
				pkg.Hashes = append(pkg.Hashes, s)
			}
		}
		for _, r := range c.ExternalReferences {
			if r.Type != "distribution" || r.URL == "" {
				continue
			}
			f := File{Kind: fileKind(r.URL), Name: path.Base(r.URL), URL: r.URL}
			for _, h := range r.Hashes {
				if s, ok := sbomHash(h.Alg, h.Content); ok && f.Hash == "" {
					f.Hash = s
				}
			}
			pkg.Files = append(pkg.Files, f)
			if f.Hash != "" && !contains(pkg.Hashes, f.Hash) {
				pkg.Hashes = append(pkg.Hashes, f.Hash)
			}
		}
		if c.Ref != "" {
			byRef[c.Ref] = len(out.Packages)
		}
		out.Packages = append(out.Packages, pkg)
	}
	out.Problems = append(out.Problems, other.problem(file)...)
	for _, d := range bom.Dependencies {
		set := map[string]bool{}
		for _, r := range d.DependsOn {
			if i, ok := byRef[r]; ok {
				set[out.Packages[i].Name] = true
			}
		}
		if len(set) == 0 {
			continue
		}
		if i, ok := byRef[d.Ref]; ok {
			setRequires(&out.Packages[i], set)
		} else if d.Ref == rootRef && out.Project != nil {
			setRequires(out.Project, set)
		}
	}
	return out, nil
}

// cdxVersionRead reports the spec versions read: 1.2 (the first with
// JSON and dependencies) to 1.7.
func cdxVersionRead(v string) bool {
	minor, ok := strings.CutPrefix(v, "1.")
	n, err := strconv.Atoi(minor)
	return ok && err == nil && n >= 2 && n <= 7
}

// flattenCDX lists components and the components nested in them, in
// document order, at most maxSBOMComponents and maxSBOMDepth deep.
func flattenCDX(file string, top []cdxComponent) ([]*cdxComponent, []Problem) {
	var out []*cdxComponent
	var probs []Problem
	deep, many := false, false
	var walk func(cs []cdxComponent, depth int)
	walk = func(cs []cdxComponent, depth int) {
		for i := range cs {
			if len(out) == maxSBOMComponents {
				many = true
				return
			}
			out = append(out, &cs[i])
			if len(cs[i].Components) == 0 {
				continue
			}
			if depth+1 >= maxSBOMDepth {
				deep = true
				continue
			}
			walk(cs[i].Components, depth+1)
		}
	}
	walk(top, 0)
	if deep {
		probs = append(probs, Problem{File: file, Message: fmt.Sprintf("components nested more than %d deep are not read", maxSBOMDepth)})
	}
	if many {
		probs = append(probs, Problem{File: file, Message: fmt.Sprintf("more than %d components; the rest are not read", maxSBOMComponents)})
	}
	return out, probs
}

// cdxScope is a component's scope as a package's: required (the default)
// is main; excluded, which CycloneDX gives to test and other non-runtime
// use, is dev.
func cdxScope(s string) string {
	switch s {
	case "optional":
		return "optional"
	case "excluded":
		return "dev"
	}
	return "main"
}

// readBack takes what Safeguard's own SBOMs record as properties: the
// groups (main when one is), directness and an unpinned specifier.
func (c *cdxComponent) readBack(pkg *Package) {
	var groups []string
	for _, p := range c.Properties {
		switch p.Name {
		case "safeguard:group":
			groups = append(groups, p.Value)
		case "safeguard:direct":
			pkg.Direct = p.Value == "true"
		case "safeguard:specifier":
			if pkg.Version == "" {
				pkg.Specifier = p.Value
			}
		}
	}
	if len(groups) > 0 {
		pkg.Scope = groups[0]
		for _, g := range groups {
			if g == "main" || g < pkg.Scope && pkg.Scope != "main" {
				pkg.Scope = g
			}
		}
	}
}
