package deps

import (
	"fmt"
	"sort"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

type poetryLockFile struct {
	Packages []poetryEntry `toml:"package"`
	Metadata struct {
		LockVersion string                       `toml:"lock-version"`
		Files       map[string][]poetryFileEntry `toml:"files"` // lock 1.x
	} `toml:"metadata"`
}

type poetryEntry struct {
	Name         string            `toml:"name"`
	Version      string            `toml:"version"`
	Category     string            `toml:"category"` // lock 1.x: "main" or "dev"
	Groups       []string          `toml:"groups"`   // lock 2.1
	Optional     bool              `toml:"optional"`
	Files        []poetryFileEntry `toml:"files"`
	Dependencies map[string]any    `toml:"dependencies"`
	Source       *struct {
		Type      string `toml:"type"`
		URL       string `toml:"url"`
		Reference string `toml:"reference"`
	} `toml:"source"`
}

type poetryFileEntry struct {
	File string `toml:"file"`
	Hash string `toml:"hash"`
	URL  string `toml:"url"`
}

// ParsePoetryLock reads poetry.lock, lock format 1.x (files under
// [metadata.files], category main/dev) and 2.x (files per package, groups).
// A lock does not say which packages the project asks for directly; the
// project's pyproject.toml does.
func ParsePoetryLock(file string, data []byte) (*Lock, error) {
	if len(data) > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", file, len(data), maxLockBytes)
	}
	var lf poetryLockFile
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
		name := pkgname.Normalize(e.Name)
		pkg := Package{Name: name, Version: e.Version, File: file, Line: line, Source: Source{Kind: "index"}, Scope: "main"}
		if e.Version != "" {
			pkg.Specifier = "==" + e.Version
		}
		switch {
		case e.Category == "dev":
			pkg.Scope = "dev"
		case len(e.Groups) > 0 && !contains(e.Groups, "main"):
			pkg.Scope = "group:" + e.Groups[0]
		case e.Optional:
			pkg.Scope = "optional"
		}
		if s := e.Source; s != nil {
			switch s.Type {
			case "git":
				pkg.Source = Source{Kind: "vcs", URL: s.URL}
			case "url", "file":
				pkg.Source = Source{Kind: "url", URL: s.URL}
			case "directory":
				pkg.Source = Source{Kind: "path", URL: s.URL}
			case "legacy":
				pkg.Source = Source{Kind: "index", URL: s.URL}
			}
		}
		files := e.Files
		if len(files) == 0 {
			files = lf.Metadata.Files[e.Name]
			if len(files) == 0 {
				files = lf.Metadata.Files[name]
			}
		}
		for _, f := range files {
			pkg.Files = append(pkg.Files, File{Kind: fileKind(f.File), Name: f.File, URL: f.URL, Hash: f.Hash})
			if f.Hash != "" {
				pkg.Hashes = append(pkg.Hashes, f.Hash)
			}
		}
		for dep := range e.Dependencies {
			pkg.Requires = append(pkg.Requires, pkgname.Normalize(dep))
		}
		sort.Strings(pkg.Requires)
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
