package deps

import (
	"fmt"
	"sort"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// ParsePDMLock reads pdm.lock (lock_version 4.x): packages with their groups
// (default is main), files and hashes, sources and the graph from each
// package's PEP 508 dependencies.
func ParsePDMLock(file string, data []byte) (*Lock, error) {
	if len(data) > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", file, len(data), maxLockBytes)
	}
	var lf struct {
		Packages []struct {
			Name         string            `toml:"name"`
			Version      string            `toml:"version"`
			Groups       []string          `toml:"groups"`
			Dependencies []string          `toml:"dependencies"`
			Files        []poetryFileEntry `toml:"files"`
			Git          string            `toml:"git"`
			Revision     string            `toml:"revision"`
			Path         string            `toml:"path"`
			URL          string            `toml:"url"`
			Editable     bool              `toml:"editable"`
		} `toml:"package"`
	}
	if err := toml.Unmarshal(data, &lf); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	lines := headerLines(data, "[[package]]")
	out := &Lock{}
	for i, e := range lf.Packages {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		if e.Name == "" {
			out.Problems = append(out.Problems, Problem{File: file, Line: line, Message: "package without a name"})
			continue
		}
		pkg := Package{Name: pkgname.Normalize(e.Name), Version: e.Version, File: file, Line: line, Source: Source{Kind: "index"}, Scope: "main"}
		if e.Version != "" {
			pkg.Specifier = "==" + e.Version
		}
		if len(e.Groups) > 0 && !contains(e.Groups, "default") {
			pkg.Scope = "group:" + e.Groups[0]
		}
		switch {
		case e.Git != "":
			pkg.Source = Source{Kind: "vcs", URL: e.Git + "@" + e.Revision, Editable: e.Editable}
		case e.Path != "":
			pkg.Source = Source{Kind: "path", URL: e.Path, Editable: e.Editable}
		case e.URL != "":
			pkg.Source = Source{Kind: "url", URL: e.URL}
		}
		for _, f := range e.Files {
			pkg.Files = append(pkg.Files, File{Kind: fileKind(f.File), Name: f.File, URL: f.URL, Hash: f.Hash})
			if f.Hash != "" {
				pkg.Hashes = append(pkg.Hashes, f.Hash)
			}
		}
		seen := map[string]bool{}
		for _, d := range e.Dependencies {
			r, err := pep508.Parse(d)
			if err != nil {
				out.Problems = append(out.Problems, Problem{File: file, Line: line, Message: fmt.Sprintf("%s: %v", e.Name, err)})
				continue
			}
			if n := r.NormalizedName(); !seen[n] {
				seen[n] = true
				pkg.Requires = append(pkg.Requires, n)
			}
		}
		sort.Strings(pkg.Requires)
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}
