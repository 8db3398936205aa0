package deps

import (
	"github.com/pelletier/go-toml/v2"
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

var poetryLockInfo = ParserInfo{
	Name:    "poetry.lock",
	Files:   []string{"poetry.lock"},
	Records: Records{Versions: true, Hashes: true, DistFiles: true, Graph: true, Scopes: true, Sources: true},
	Notes: "Lock format 1.x (files under `[metadata.files]`, category main or dev) and 2.x (files per package, groups). " +
		"The lock does not say which packages the project asks for; pyproject.toml does. Markers are not kept.",
}

// ParsePoetryLock reads poetry.lock, lock format 1.x (files under
// [metadata.files], category main/dev) and 2.x (files per package, groups).
// A lock does not say which packages the project asks for directly; the
// project's pyproject.toml does.
func ParsePoetryLock(file string, data []byte) (*Lock, error) {
	var lf poetryLockFile
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
				pkg.Source = Source{Kind: "vcs", URL: gitURL(s.URL)}
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
				files = lf.Metadata.Files[pkg.Name]
			}
		}
		for _, f := range files {
			pkg.addFile(f.file())
		}
		pkg.addRequires(sortedKeys(e.Dependencies)...)
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}

func (f poetryFileEntry) file() File {
	return File{Kind: fileKind(f.File), Name: f.File, URL: f.URL, Hash: f.Hash}
}
