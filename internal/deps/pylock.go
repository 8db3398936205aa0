package deps

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

type pylockFile struct {
	Name       string            `toml:"name"`
	URL        string            `toml:"url"`
	Path       string            `toml:"path"`
	Size       int64             `toml:"size"`
	UploadTime any               `toml:"upload-time"`
	Hashes     map[string]string `toml:"hashes"`
}

// ParsePylock reads a PEP 751 lock file (pylock.toml, pylock.*.toml): every
// package with its wheels, sdist or archive (URL, size, upload time,
// hashes), VCS or directory source, marker and dependencies.
func ParsePylock(file string, data []byte) (*Lock, error) {
	if len(data) > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", file, len(data), maxLockBytes)
	}
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
	if err := toml.Unmarshal(data, &lf); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if lf.LockVersion != "" && !strings.HasPrefix(lf.LockVersion, "1.") {
		return nil, fmt.Errorf("%s: lock-version %q is not 1.x", file, lf.LockVersion)
	}
	lines := headerLines(data, "[[packages]]")
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
		pkg := Package{Name: pkgname.Normalize(e.Name), Version: e.Version, Marker: e.Marker, File: file, Line: line, Scope: "main",
			Source: Source{Kind: "index", URL: e.Index}}
		if e.Version != "" {
			pkg.Specifier = "==" + e.Version
		}
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
				pkg.Requires = append(pkg.Requires, pkgname.Normalize(n))
			}
		}
		sort.Strings(pkg.Requires)
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}
