package analyze

import (
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// shadowedProject returns the far more popular project whose import name
// a little-known distribution installs as its own top-level package or
// module: installing it replaces, or hides on sys.path, the real one
// (a package called anything that ships requests/__init__.py). A
// distribution in the popularity data is never asked (beautifulsoup4
// ships bs4, psycopg2-binary psycopg2), nor one whose own name holds the
// module's as a part (tensorflow-cpu).
func shadowedProject(a *artifact.Artifact) (string, typosquat.Project, bool) {
	own := pkgname.Normalize(a.Meta.Name)
	if own == "" {
		return "", typosquat.Project{}, false
	}
	if _, popular := typosquat.Popular(own); popular {
		return "", typosquat.Project{}, false
	}
	for _, mod := range topLevelModules(a) {
		n := pkgname.Normalize(mod)
		if n == own || strings.Contains("-"+own+"-", "-"+n+"-") || len(n) < 4 {
			continue
		}
		if p, ok := typosquat.Popular(n); ok && (typosquat.Match{Project: p}).FarMorePopular() {
			return mod, p, true
		}
	}
	return "", typosquat.Project{}, false
}

// notInstalled are the top-level directories of a source tree that hold
// its tests, documentation and tooling rather than what it installs.
var notInstalled = map[string]bool{"test": true, "tests": true, "testing": true, "docs": true, "doc": true, "examples": true,
	"example": true, "benchmarks": true, "scripts": true, "tools": true, "setup": true, "conftest": true, "build": true}

// topLevelModules lists the packages (a directory with __init__.py) at
// the import root of a wheel or a source tree (its root or src/), and a
// wheel's root modules.
func topLevelModules(a *artifact.Artifact) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range a.Files {
		if f.Type != artifact.TypeRegular {
			continue
		}
		p := relPath(a, f.Path)
		switch a.Kind {
		case artifact.KindSdist:
			p = strings.TrimPrefix(p, "src/")
		case artifact.KindWheel:
			p = wheelInstallPath(p)
		}
		var mod string
		switch dir, file := path.Split(p); {
		case dir == "" && strings.HasSuffix(file, ".py") && a.Kind != artifact.KindSdist:
			// A wheel installs its root modules; an sdist's root holds
			// scripts and single-file libraries kept for the build.
			mod = strings.TrimSuffix(file, ".py")
		case file == "__init__.py" && strings.Count(dir, "/") == 1:
			mod = strings.TrimSuffix(dir, "/")
		default:
			continue
		}
		if !seen[mod] && !notInstalled[strings.ToLower(mod)] && !strings.ContainsAny(mod, ".-") {
			seen[mod] = true
			out = append(out, mod)
		}
	}
	return out
}

// wheelInstallPath is where a wheel's file lands relative to
// site-packages: a <name>.data/purelib/ or platlib/ prefix is dropped
// (those install beside the root's files); other .data schemes keep a
// prefix that is no import root.
func wheelInstallPath(p string) string {
	dir, rest, ok := strings.Cut(p, "/")
	if !ok || !strings.HasSuffix(dir, ".data") {
		return p
	}
	for _, scheme := range []string{"purelib/", "platlib/"} {
		if r, ok := strings.CutPrefix(rest, scheme); ok {
			return r
		}
	}
	return p
}
