package deps

import (
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
)

// columns are the Records fields as the docs table shows them, each with
// what a parser's output shows when it records the thing.
var columns = []struct {
	name, meaning string
	claimed       func(Records) bool
	seen          func(*Lock) bool
}{
	{"versions", "the exact version of every package from an index",
		func(r Records) bool { return r.Versions },
		func(l *Lock) bool {
			n := 0
			for _, p := range l.Packages {
				if p.Source.Kind == "index" {
					if p.Version == "" {
						return false
					}
					n++
				}
			}
			return n > 0
		}},
	{"specifiers", "version constraints as declared (`>=2.28`); a version only where one is pinned",
		func(r Records) bool { return r.Specifiers },
		anyPackage(func(p Package) bool { return p.Specifier != "" && !strings.HasPrefix(p.Specifier, "==") })},
	{"hashes", "artifact hashes", func(r Records) bool { return r.Hashes },
		anyPackage(func(p Package) bool { return len(p.Hashes) > 0 })},
	{"dist files", "the distribution files (sdist, wheels) with their names and URLs",
		func(r Records) bool { return r.DistFiles }, anyPackage(func(p Package) bool { return len(p.Files) > 0 })},
	{"graph", "the packages each package depends on", func(r Records) bool { return r.Graph },
		anyPackage(func(p Package) bool { return len(p.Requires) > 0 })},
	{"direct", "which packages the project asks for itself, as against what they pull in",
		func(r Records) bool { return r.Direct }, anyPackage(func(p Package) bool { return p.Direct })},
	{"scopes", "scopes other than main: `dev`, `optional:<extra>`, `group:<name>`, `constraint`",
		func(r Records) bool { return r.Scopes }, anyPackage(func(p Package) bool { return p.Scope != "main" })},
	{"markers", "environment markers (`sys_platform == \"win32\"`)", func(r Records) bool { return r.Markers },
		anyPackage(func(p Package) bool { return p.Marker != "" })},
	{"extras", "the extras asked for (`requests[socks]`)", func(r Records) bool { return r.Extras },
		anyPackage(func(p Package) bool { return len(p.Extras) > 0 })},
	{"sources", "sources other than an index: URL, VCS, local path", func(r Records) bool { return r.Sources },
		anyPackage(func(p Package) bool { return p.Source.Kind != "index" })},
	{"project", "the project itself (name, version, licence), as the inventory root",
		func(r Records) bool { return r.Project }, func(l *Lock) bool { return l.Project != nil }},
}

func anyPackage(f func(Package) bool) func(*Lock) bool {
	return func(l *Lock) bool {
		for _, p := range l.Packages {
			if f(p) {
				return true
			}
		}
		return false
	}
}

// fixtures are the files under testdata each registered parser is tested
// on; between them they show everything the parser claims to record.
var fixtures = map[string][]string{
	"uv.lock":          {"uv/uv.lock"},
	"poetry.lock":      {"poetry/poetry-1.lock", "poetry/poetry-2.lock"},
	"Pipfile.lock":     {"locks/Pipfile.lock", "formats/Pipfile.lock"},
	"pdm.lock":         {"locks/pdm.lock", "formats/pdm.lock"},
	"pylock.toml":      {"locks/pylock.toml", "root/pylock.toml"},
	"CycloneDX JSON":   {"sbom/cdxgen/bom.json", "sbom/syft/image.cdx.json", "sbom/safeguard/webapp.cdx.json"},
	"SPDX JSON":        {"sbom/syft/image.spdx.json", "sbom/github/webapp.spdx.json", "sbom/safeguard/webapp.spdx.json"},
	"pyproject.toml":   {"project/pyproject.toml"},
	"setup.py":         {"formats/setup.py"},
	"setup.cfg":        {"project/setup.cfg", "formats/setup.cfg"},
	"requirements.txt": {"reqs/requirements.txt"},
}

// Each registered parser is chosen by one of its own file names, parses
// its fixtures there, and records what its Info says and nothing else.
func TestRegistry(t *testing.T) {
	names := map[string]bool{}
	for _, p := range parsers {
		info := p.Info()
		if names[info.Name] {
			t.Errorf("%s registered twice", info.Name)
		}
		names[info.Name] = true
		for _, pat := range info.Files {
			if _, err := path.Match(pat, ""); err != nil {
				t.Errorf("%s: pattern %q: %v", info.Name, pat, err)
			}
		}
		files := fixtures[info.Name]
		if len(files) == 0 {
			t.Errorf("%s: no fixture", info.Name)
		}
		seen := make([]bool, len(columns))
		for _, fx := range files {
			// The fixture under a name the parser declares, beside the
			// files it may include.
			as := path.Base(fx)
			if !info.Matches(as) {
				as = info.Files[0]
			}
			fsys := fstest.MapFS{}
			entries, err := os.ReadDir(path.Join("testdata", path.Dir(fx)))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				data, err := os.ReadFile(path.Join("testdata", path.Dir(fx), e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				fsys[e.Name()] = &fstest.MapFile{Data: data}
			}
			fsys[as] = fsys[path.Base(fx)]
			if got := parserFor(as); got == nil || got.Info().Name != info.Name {
				t.Errorf("%s: %q is not read by it", info.Name, as)
				continue
			}
			l, err := parserFor(as).Parse(fsys, as)
			if err != nil {
				t.Errorf("%s: %s: %v", info.Name, fx, err)
				continue
			}
			if len(l.Packages) == 0 {
				t.Errorf("%s: %s: no packages", info.Name, fx)
			}
			for i, c := range columns {
				seen[i] = seen[i] || c.seen(l)
			}
		}
		for i, c := range columns {
			if claimed := c.claimed(info.Records); claimed != seen[i] {
				t.Errorf("%s: claims %s=%v, its fixtures show %v", info.Name, c.name, claimed, seen[i])
			}
		}
	}
	for name := range fixtures {
		if !names[name] {
			t.Errorf("fixtures for %s, which is not registered", name)
		}
	}
}

// The registry chooses files as the switch it replaced did.
func TestParserFor(t *testing.T) {
	for name, want := range map[string]string{
		"uv.lock":                   "uv.lock",
		"sub/uv.lock":               "uv.lock",
		"script.py.lock":            "uv.lock",
		".py.lock":                  "uv.lock",
		"poetry.lock":               "poetry.lock",
		"Pipfile.lock":              "Pipfile.lock",
		"pipfile.lock":              "",
		"pdm.lock":                  "pdm.lock",
		"pylock.toml":               "pylock.toml",
		"pylock.dev.toml":           "pylock.toml",
		"pylock..toml":              "pylock.toml",
		"pylock.dev.lock":           "",
		"mylock.toml":               "",
		"pyproject.toml":            "pyproject.toml",
		"setup.py":                  "setup.py",
		"setup.cfg":                 "setup.cfg",
		"requirements.txt":          "requirements.txt",
		"requirements-dev.txt":      "requirements.txt",
		"requirements/base.txt":     "",
		"constraints.txt":           "requirements.txt",
		"dev-requirements.txt":      "",
		"requirements.in":           "",
		"Requirements.txt":          "",
		"notes.txt":                 "",
		"uv.lock.bak":               "",
		"site-packages":             "",
		"demo-1.0-py3-none-any.whl": "",
		"bom.json":                  "CycloneDX JSON",
		"app.cdx.json":              "CycloneDX JSON",
		"app.spdx.json":             "SPDX JSON",
		"sbom.json":                 "",
		"app.json":                  "",
		"bom.xml":                   "",
		"app.cdx.xml":               "",
		"app.spdx":                  "",
	} {
		got := ""
		if p := parserFor(name); p != nil {
			got = p.Info().Name
		}
		if got != want {
			t.Errorf("parserFor(%q) = %q, want %q", name, got, want)
		}
	}
}
