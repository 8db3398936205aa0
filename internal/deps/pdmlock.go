package deps

import (
	"fmt"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/pep508"
)

var pdmLockInfo = ParserInfo{
	Name:    "pdm.lock",
	Files:   []string{"pdm.lock"},
	Records: Records{Versions: true, Hashes: true, DistFiles: true, Graph: true, Scopes: true, Sources: true},
	Notes: "lock_version 4.x. Groups other than `default` become `group:<name>`; the graph comes from each package's " +
		"PEP 508 dependencies, whose markers are not kept.",
}

// ParsePDMLock reads pdm.lock (lock_version 4.x): packages with their groups
// (default is main), files and hashes, sources and the graph from each
// package's PEP 508 dependencies.
func ParsePDMLock(file string, data []byte) (*Lock, error) {
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
	if err := decodeLock(file, data, &lf, toml.Unmarshal); err != nil {
		return nil, err
	}
	lines := headerLines(data, "[[package]]")
	out := &Lock{}
	for i, e := range lf.Packages {
		pkg, ok := out.entry(file, lines, i, e.Name, e.Version)
		if !ok {
			continue
		}
		if len(e.Groups) > 0 && !contains(e.Groups, "default") {
			pkg.Scope = "group:" + e.Groups[0]
		}
		if src, ok := lockedSource(e.Git, e.Revision, e.Path, e.URL, e.Editable); ok {
			pkg.Source = src
		}
		for _, f := range e.Files {
			pkg.addFile(f.file())
		}
		for _, d := range e.Dependencies {
			r, err := pep508.Parse(d)
			if err != nil {
				out.Problems = append(out.Problems, Problem{File: file, Line: pkg.Line, Message: fmt.Sprintf("%s: %v", e.Name, err)})
				continue
			}
			pkg.addRequires(r.Name)
		}
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}
