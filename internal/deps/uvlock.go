package deps

import (
	"bytes"
	"path"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

type uvLockFile struct {
	Version  int           `toml:"version"`
	Packages []uvLockEntry `toml:"package"`
}

type uvLockEntry struct {
	Name         string             `toml:"name"`
	Version      string             `toml:"version"`
	Source       map[string]string  `toml:"source"`
	Dependencies []uvDep            `toml:"dependencies"`
	Optional     map[string][]uvDep `toml:"optional-dependencies"`
	Dev          map[string][]uvDep `toml:"dev-dependencies"`
	Sdist        *uvFile            `toml:"sdist"`
	Wheels       []uvFile           `toml:"wheels"`
}

type uvDep struct {
	Name   string   `toml:"name"`
	Extra  []string `toml:"extra"`
	Marker string   `toml:"marker"`
}

type uvFile struct {
	URL        string `toml:"url"`
	Path       string `toml:"path"`
	Hash       string `toml:"hash"`
	Size       int64  `toml:"size"`
	UploadTime string `toml:"upload-time"`
}

var uvLockInfo = ParserInfo{
	Name:    "uv.lock",
	Files:   []string{"uv.lock", "*.py.lock"},
	Records: Records{Versions: true, Hashes: true, DistFiles: true, Graph: true, Direct: true, Scopes: true, Sources: true, Project: true},
	Notes: "Also PEP 723 script locks (`*.py.lock`). The project itself (the package whose source is editable or virtual `.`) " +
		"is the inventory root, not a dependency; what it asks for is direct, " +
		"scoped main, `optional:<extra>` or `group:<name>`, and packages reached only through those take the narrowest scope. " +
		"Files come with URL, hash, size and upload time. Markers and extras on the edges are not kept.",
}

// ParseUVLock reads uv.lock (and PEP 723 script locks, *.py.lock, which use
// the same format). The project itself (source editable or virtual ".")
// is not a dependency; what it depends on is direct, scoped main, an extra
// (optional:<extra>) or a dev group (group:<name>); everything reachable
// only from those is transitive and inherits the narrowest scope.
func ParseUVLock(file string, data []byte) (*Lock, error) {
	var lf uvLockFile
	if err := decodeLock(file, data, &lf, toml.Unmarshal); err != nil {
		return nil, err
	}
	lines := headerLines(data, "[[package]]")
	out := &Lock{}
	direct := map[string]string{} // name -> scope, from root projects
	roots := map[string]bool{}
	for i, e := range lf.Packages {
		if isRootSource(e.Source) {
			roots[pkgname.Normalize(e.Name)] = true
			if out.Project == nil {
				out.Project = uvRoot(file, lines, i, e)
			}
			for _, d := range e.Dependencies {
				setScope(direct, d.Name, "main")
			}
			for _, extra := range sortedKeys(e.Optional) {
				for _, d := range e.Optional[extra] {
					setScope(direct, d.Name, "optional:"+extra)
				}
			}
			for _, g := range sortedKeys(e.Dev) {
				for _, d := range e.Dev[g] {
					setScope(direct, d.Name, "group:"+g)
				}
			}
		}
	}
	for i, e := range lf.Packages {
		if roots[pkgname.Normalize(e.Name)] {
			continue
		}
		pkg, ok := out.entry(file, lines, i, e.Name, e.Version)
		if !ok {
			continue
		}
		pkg.Source, pkg.Scope = uvSource(e.Source), ""
		if s, ok := direct[pkg.Name]; ok {
			pkg.Direct, pkg.Scope = true, s
		}
		if e.Sdist != nil {
			pkg.addFile(e.Sdist.file("sdist"))
		}
		for _, w := range e.Wheels {
			pkg.addFile(w.file("wheel"))
		}
		for _, d := range e.Dependencies {
			pkg.addRequires(d.Name)
		}
		for _, k := range sortedKeys(e.Optional) {
			for _, d := range e.Optional[k] {
				pkg.addRequires(d.Name)
			}
		}
		out.Packages = append(out.Packages, pkg)
	}
	propagateScopes(out.Packages)
	return out, nil
}

// uvRoot is the project a uv.lock is for: its root package, with every
// dependency it asks for (main, extras, dev groups) as its edges.
func uvRoot(file string, lines []int, i int, e uvLockEntry) *Package {
	line := 0
	if i < len(lines) {
		line = lines[i]
	}
	p := self(file, line, e.Name, e.Version, nil)
	if p == nil {
		return nil
	}
	for _, d := range e.Dependencies {
		p.addRequires(d.Name)
	}
	for _, k := range sortedKeys(e.Optional) {
		for _, d := range e.Optional[k] {
			p.addRequires(d.Name)
		}
	}
	for _, k := range sortedKeys(e.Dev) {
		for _, d := range e.Dev[k] {
			p.addRequires(d.Name)
		}
	}
	return p
}

func (f uvFile) file(kind string) File {
	u := f.URL
	if u == "" {
		u = f.Path
	}
	return File{Kind: kind, Name: path.Base(u), URL: u, Hash: f.Hash, Size: f.Size, UploadTime: f.UploadTime}
}

func isRootSource(src map[string]string) bool {
	return src["editable"] == "." || src["virtual"] == "."
}

func uvSource(src map[string]string) Source {
	switch {
	case src["registry"] != "":
		return Source{Kind: "index", URL: src["registry"]}
	case src["git"] != "":
		return Source{Kind: "vcs", URL: gitURL(src["git"])}
	case src["url"] != "":
		return Source{Kind: "url", URL: src["url"]}
	case src["path"] != "":
		return Source{Kind: "path", URL: src["path"]}
	case src["editable"] != "":
		return Source{Kind: "path", URL: src["editable"], Editable: true}
	case src["directory"] != "":
		return Source{Kind: "path", URL: src["directory"]}
	}
	return Source{Kind: "index"}
}

// setScope records the widest scope a direct dependency is asked in: main
// wins over extras and groups.
func setScope(m map[string]string, name, scope string) {
	n := pkgname.Normalize(name)
	if cur, ok := m[n]; !ok || scope == "main" || cur != "main" && scope < cur {
		m[n] = scope
	}
}

// propagateScopes gives transitive packages the scope of what pulls them
// in: main if anything main reaches them, else the first extra or group.
func propagateScopes(pkgs []Package) {
	idx := map[string]int{}
	for i, p := range pkgs {
		idx[p.Name] = i
	}
	var queue []int
	for i, p := range pkgs {
		if p.Direct {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, r := range pkgs[i].Requires {
			j, ok := idx[r]
			if !ok || pkgs[j].Direct {
				continue
			}
			want := pkgs[i].Scope
			if cur := pkgs[j].Scope; cur == "" || want == "main" && cur != "main" {
				pkgs[j].Scope = want
				queue = append(queue, j)
			}
		}
	}
	for i := range pkgs {
		if pkgs[i].Scope == "" {
			pkgs[i].Scope = "main" // nothing in the lock says otherwise
		}
	}
}

// headerLines returns the line of each occurrence of an array-table header
// at the start of a line.
func headerLines(data []byte, header string) []int {
	var out []int
	line := 1
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		end := len(data)
		if j >= 0 {
			end = i + j
		}
		if bytes.HasPrefix(data[i:end], []byte(header)) {
			out = append(out, line)
		}
		line++
		if j < 0 {
			break
		}
		i = end + 1
	}
	return out
}
