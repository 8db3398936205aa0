package deps

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

type pylockFile struct {
	Name       string            `toml:"name"`
	URL        string            `toml:"url"`
	Path       string            `toml:"path"`
	Size       int64             `toml:"size"`
	UploadTime any               `toml:"upload-time"`
	Hashes     map[string]string `toml:"hashes"`
}

var pylockInfo = ParserInfo{
	Name:    "pylock.toml",
	Files:   []string{"pylock.toml", "pylock.*.toml"},
	Records: Records{Versions: true, Hashes: true, DistFiles: true, Graph: true, Markers: true, Sources: true, Project: true},
	Notes: "PEP 751, lock-version 1.x (another version is refused). Wheels, sdist or archive with URL, size, upload time and " +
		"every hash; VCS and directory sources; the index URL. A package whose directory is `.` is the project itself, the inventory root. " +
		"The lock's extras and dependency groups are not read: every package is main.",
}

// ParsePylock reads a PEP 751 lock file (pylock.toml, pylock.*.toml): every
// package with its wheels, sdist or archive (URL, size, upload time,
// hashes), VCS or directory source, marker and dependencies.
func ParsePylock(file string, data []byte) (*Lock, error) {
	var lf struct {
		LockVersion string `toml:"lock-version"`
		Packages    []struct {
			Name         string           `toml:"name"`
			Version      string           `toml:"version"`
			Marker       string           `toml:"marker"`
			Index        string           `toml:"index"`
			Dependencies []map[string]any `toml:"dependencies"`
			Wheels       []pylockFile     `toml:"wheels"`
			Sdist        *pylockFile      `toml:"sdist"`
			Archive      *pylockFile      `toml:"archive"`
			VCS          *struct {
				Type     string `toml:"type"`
				URL      string `toml:"url"`
				Path     string `toml:"path"`
				CommitID string `toml:"commit-id"`
			} `toml:"vcs"`
			Directory *struct {
				Path     string `toml:"path"`
				Editable bool   `toml:"editable"`
			} `toml:"directory"`
		} `toml:"packages"`
	}
	if err := decodeLock(file, data, &lf, toml.Unmarshal); err != nil {
		return nil, err
	}
	if lf.LockVersion != "" && !strings.HasPrefix(lf.LockVersion, "1.") {
		return nil, fmt.Errorf("%s: lock-version %q is not 1.x", file, lf.LockVersion)
	}
	lines := headerLines(data, "[[packages]]")
	out := &Lock{}
	for i, e := range lf.Packages {
		pkg, ok := out.entry(file, lines, i, e.Name, e.Version)
		if !ok {
			continue
		}
		pkg.Marker, pkg.Source.URL = e.Marker, e.Index
		add := func(kind string, f *pylockFile) {
			u := f.URL
			if u == "" {
				u = f.Path
			}
			name := f.Name
			if name == "" && u != "" {
				name = u[strings.LastIndexAny(u, "/\\")+1:]
			}
			out := File{Kind: kind, Name: name, URL: u, Size: f.Size}
			if t, ok := f.UploadTime.(fmt.Stringer); ok {
				out.UploadTime = t.String()
			} else if s, ok := f.UploadTime.(string); ok {
				out.UploadTime = s
			}
			for _, alg := range sortedKeys(f.Hashes) {
				h := alg + ":" + f.Hashes[alg]
				if out.Hash == "" || alg == "sha256" {
					out.Hash = h
				}
				pkg.Hashes = append(pkg.Hashes, h)
			}
			pkg.Files = append(pkg.Files, out)
		}
		if e.Sdist != nil {
			add("sdist", e.Sdist)
		}
		for j := range e.Wheels {
			add("wheel", &e.Wheels[j])
		}
		if e.Archive != nil {
			add(fileKind(e.Archive.URL+e.Archive.Path), e.Archive)
			pkg.Source = Source{Kind: "url", URL: e.Archive.URL}
		}
		if e.VCS != nil {
			pkg.Source = Source{Kind: "vcs", URL: e.VCS.Type + "+" + e.VCS.URL + "@" + e.VCS.CommitID}
		}
		if e.Directory != nil {
			pkg.Source = Source{Kind: "path", URL: e.Directory.Path, Editable: e.Directory.Editable}
		}
		for _, d := range e.Dependencies {
			if n, ok := d["name"].(string); ok {
				pkg.addRequires(n)
			}
		}
		if e.Directory != nil && path.Clean(e.Directory.Path) == "." && out.Project == nil {
			// The project itself, as the tool that wrote the lock records it.
			root := pkg
			root.Specifier, root.Source, root.Files, root.Hashes = "", Source{Kind: "path", URL: "."}, nil, nil
			root.Requires = slices.Clone(pkg.Requires)
			out.Project = &root
		}
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}
