package deps

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/licenses"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

var reExtraMarker = regexp.MustCompile(`\bextra\s*==\s*['"]([^'"]+)['"]`)

// ParseArtifact reads one distribution file (wheel, sdist, egg) without
// unpacking it to disk. The artifact itself is the project: its name,
// version, hash, size and licence. Its requirements (Requires-Dist, or
// for an sdist without them, pyproject.toml, setup.cfg or setup.py's
// literals) are its direct dependencies, in scope "optional:<extra>"
// when an extra marker guards them.
func ParseArtifact(ctx context.Context, file string) (*Lock, error) {
	a, err := artifact.Open(ctx, file, artifact.Options{})
	if err != nil && a == nil {
		return nil, err
	}
	base := filepath.Base(file)
	out := &Lock{}
	if err != nil {
		out.Problems = append(out.Problems, Problem{File: base, Message: err.Error()})
	}
	if a.Name() == "" {
		return nil, fmt.Errorf("%s: no name in its metadata or file name", file)
	}
	kind := "sdist"
	if a.Kind == artifact.KindWheel {
		kind = "wheel"
	}
	root := &Package{Name: pkgname.Normalize(a.Name()), Version: a.Version(), Source: Source{Kind: "path", URL: base},
		Scope: "main", Direct: true, File: base}
	root.addFile(File{Kind: kind, Name: base, Hash: "sha256:" + a.SHA256, Size: a.Size})
	root.License = licenses.FromCore(a.Meta.Core)
	out.Project = root

	reqs, problems := artifactRequirements(a, base)
	out.Problems = append(out.Problems, problems...)
	for _, pkg := range reqs {
		pkg.Direct = true
		if pkg.Scope == "main" {
			if m := reExtraMarker.FindStringSubmatch(pkg.Marker); m != nil {
				pkg.Scope = "optional:" + pkgname.Normalize(m[1])
			} else {
				root.addRequires(pkg.Name)
			}
		}
		out.Packages = append(out.Packages, pkg)
	}
	if root.License == nil && a.Meta.Pyproject != nil {
		root.License = licenses.FromText(a.Meta.Pyproject.License)
	}
	return out, nil
}

// artifactRequirements lists what an artifact requires, each named by
// the entry that says so: core metadata, else (an sdist whose PKG-INFO
// predates Requires-Dist) pyproject.toml, setup.cfg or setup.py.
func artifactRequirements(a *artifact.Artifact, base string) ([]Package, []Problem) {
	if c := a.Meta.Core; c != nil && (len(c.RequiresDist) > 0 || a.Kind == artifact.KindWheel) {
		ref := base + "!/" + a.Meta.CorePath
		var out []Package
		var problems []Problem
		for _, r := range c.RequiresDist {
			pkg, err := parseRequirementLine(r, false)
			if err != nil {
				problems = append(problems, Problem{File: ref, Message: err.Error()})
				continue
			}
			pkg.File, pkg.Scope = ref, "main"
			out = append(out, pkg)
		}
		return out, problems
	}
	for _, name := range []string{"pyproject.toml", "setup.cfg", "setup.py"} {
		f := a.RootFile(name)
		if f == nil {
			continue
		}
		ref := base + "!/" + f.Path
		var d *Declared
		var err error
		switch name {
		case "pyproject.toml":
			d, err = ParsePyproject(ref, f.Bytes())
		case "setup.cfg":
			d = ParseSetupCfg(ref, f.Bytes())
		default:
			d, err = ParseSetupPy(ref, f.Bytes())
		}
		if err == nil && len(d.Packages) > 0 {
			return d.Packages, d.Problems
		}
	}
	return nil, nil
}
