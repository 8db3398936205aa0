package deps

import (
	"encoding/json"
	"fmt"
	"strings"
)

type spdxDoc struct {
	SPDXVersion       string   `json:"spdxVersion"`
	DocumentDescribes []string `json:"documentDescribes"`
	Packages          []struct {
		ID        string `json:"SPDXID"`
		Checksums []struct {
			Algorithm string `json:"algorithm"`
			Value     string `json:"checksumValue"`
		} `json:"checksums"`
		ExternalRefs []struct {
			Category string `json:"referenceCategory"`
			Type     string `json:"referenceType"`
			Locator  string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
	Relationships []struct {
		Element string `json:"spdxElementId"`
		Related string `json:"relatedSpdxElement"`
		Type    string `json:"relationshipType"`
	} `json:"relationships"`
}

var spdxInfo = ParserInfo{
	Name:    "SPDX JSON",
	Files:   []string{"*.spdx.json"},
	Records: Records{Versions: true, Hashes: true, Graph: true, Direct: true, Scopes: true, Sources: true, Project: true},
	Notes: "An SBOM, SPDX 2.2 or 2.3 (another version is refused), from any tool: the packages with a `purl` external reference " +
		"(category `PACKAGE-MANAGER` or `PACKAGE_MANAGER`) of type pypi (at most 100,000 packages); the others are counted in one problem. Checksums as hashes, purl " +
		"`vcs_url` and `download_url` as sources, the graph from `DEPENDS_ON` and the `*_DEPENDENCY_OF` relationships. What the document " +
		"describes (`DESCRIBES`, `documentDescribes`) is the project when its purl is a PyPI one; what it depends on is direct: " +
		"`DEV_`, `TEST_` and `BUILD_DEPENDENCY_OF` are dev, `OPTIONAL_DEPENDENCY_OF` is `optional`, and packages reached only through those take " +
		"their scope. Download locations are not read as files. A line is the line of the package's purl.",
}

// spdxEdgeScope maps the dependency relationships to the scope they give a
// direct dependency; those ending in _OF point from dependency to dependent.
var spdxEdgeScope = map[string]string{
	"DEPENDS_ON": "main", "DEPENDENCY_OF": "main", "RUNTIME_DEPENDENCY_OF": "main", "PROVIDED_DEPENDENCY_OF": "main",
	"DEV_DEPENDENCY_OF": "dev", "TEST_DEPENDENCY_OF": "dev", "BUILD_DEPENDENCY_OF": "dev",
	"OPTIONAL_DEPENDENCY_OF": "optional",
}

// ParseSPDX reads an SPDX 2.2 or 2.3 JSON SBOM: the PyPI packages among
// its packages (by purl), with checksums and the dependency graph; what
// the document describes is the project.
func ParseSPDX(file string, data []byte) (*Lock, error) {
	var doc spdxDoc
	if err := decodeLock(file, data, &doc, json.Unmarshal); err != nil {
		return nil, err
	}
	if doc.SPDXVersion != "SPDX-2.2" && doc.SPDXVersion != "SPDX-2.3" {
		return nil, fmt.Errorf("%s: spdxVersion %q; Safeguard reads SPDX-2.2 and SPDX-2.3 JSON", file, doc.SPDXVersion)
	}
	lines := keyLines(data, "referenceLocator")
	roots := map[string]bool{}
	for _, id := range doc.DocumentDescribes {
		roots[id] = true
	}
	for _, r := range doc.Relationships {
		switch {
		case r.Type == "DESCRIBES" && r.Element == "SPDXRef-DOCUMENT":
			roots[r.Related] = true
		case r.Type == "DESCRIBED_BY" && r.Related == "SPDXRef-DOCUMENT":
			roots[r.Element] = true
		}
	}
	out := &Lock{}
	other := skipped{}
	byID := map[string]int{} // SPDXID -> index in out.Packages
	if len(doc.Packages) > maxSBOMComponents {
		out.Problems = append(out.Problems, Problem{File: file, Message: fmt.Sprintf("more than %d packages; the rest are not read", maxSBOMComponents)})
		doc.Packages = doc.Packages[:maxSBOMComponents]
	}
	for _, sp := range doc.Packages {
		purl := ""
		for _, ref := range sp.ExternalRefs {
			cat := strings.ReplaceAll(ref.Category, "_", "-")
			if ref.Type == "purl" && cat == "PACKAGE-MANAGER" {
				purl = ref.Locator
				break
			}
		}
		p, typ, ok := sbomPackage(purl)
		if roots[sp.ID] {
			if ok && out.Project == nil {
				out.Project = self(file, lines.take(purl), p.Name, p.Version, nil)
			}
			continue
		}
		if !ok {
			other.add(typ)
			continue
		}
		pkg, ok := out.entry(file, []int{lines.take(purl)}, 0, p.Name, p.Version)
		if !ok {
			continue
		}
		pkg.Source, pkg.Scope = p.Source, ""
		for _, c := range sp.Checksums {
			if s, ok := sbomHash(c.Algorithm, c.Value); ok {
				pkg.Hashes = append(pkg.Hashes, s)
			}
		}
		byID[sp.ID] = len(out.Packages)
		out.Packages = append(out.Packages, pkg)
	}
	out.Problems = append(out.Problems, other.problem(file)...)
	requires := map[int]map[string]bool{} // index -> names; -1 the project
	direct := map[string]string{}         // name -> scope
	for _, r := range doc.Relationships {
		scope, ok := spdxEdgeScope[r.Type]
		if !ok {
			continue
		}
		from, to := r.Element, r.Related
		if strings.HasSuffix(r.Type, "_OF") {
			from, to = to, from
		}
		j, ok := byID[to]
		if !ok {
			continue
		}
		name := out.Packages[j].Name
		i, ok := byID[from]
		switch {
		case roots[from]:
			setScope(direct, name, scope)
			i = -1
		case !ok:
			continue
		}
		if requires[i] == nil {
			requires[i] = map[string]bool{}
		}
		requires[i][name] = true
	}
	for i, set := range requires {
		if i >= 0 {
			setRequires(&out.Packages[i], set)
		} else if out.Project != nil {
			setRequires(out.Project, set)
		}
	}
	for i := range out.Packages {
		if s, ok := direct[out.Packages[i].Name]; ok {
			out.Packages[i].Direct, out.Packages[i].Scope = true, s
		}
	}
	propagateScopes(out.Packages)
	return out, nil
}
