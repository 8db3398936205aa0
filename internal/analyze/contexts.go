package analyze

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/metadata"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// testDirs hold code that installing or importing the package never runs:
// tests, documentation, examples and maintainer tooling.
var testDirs = map[string]bool{
	"test": true, "tests": true, "testing": true, "docs": true, "doc": true, "examples": true, "example": true,
	"benchmarks": true, "benchmark": true, "bench": true, "samples": true, "demo": true, "demos": true,
	// Maintainer tooling that ships in source trees but never runs on install.
	"ci": true, ".github": true, ".circleci": true, "maint": true, "hacking": true, "devtools": true, "dev-tools": true,
}

// relPath is a file's path relative to the artifact root, and below src/.
func relPath(a *artifact.Artifact, p string) string {
	if a.Root != "" {
		p = strings.TrimPrefix(p, a.Root+"/")
	}
	return p
}

// initialContext decides a file's context from its place alone.
func initialContext(a *artifact.Artifact, p string) Context {
	rel := relPath(a, p)
	base := path.Base(rel)
	dir := path.Dir(rel)
	switch {
	case rel == "setup.py" || rel == "hatch_build.py" || rel == "pdm_build.py":
		return Install
	case strings.HasSuffix(rel, ".pth"):
		return Startup
	case (base == "sitecustomize.py" || base == "usercustomize.py") && (dir == "." || a.Kind == artifact.KindSdist):
		return Startup
	}
	for _, part := range strings.Split(dir, "/") {
		if testDirs[part] || strings.HasPrefix(part, "test_") {
			return Test
		}
	}
	if strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || base == "conftest.py" {
		return Test
	}
	if a.Kind == artifact.KindFile {
		return Import // a lone script runs when it is used
	}
	if base == "__init__.py" || a.Kind == artifact.KindWheel && dir == "." && strings.HasSuffix(base, ".py") {
		return Import
	}
	return Runtime
}

// buildBackendFiles returns in-tree PEP 517 backends and build scripts the
// pyproject.toml names, as root-relative paths.
func buildBackendFiles(a *artifact.Artifact) []string {
	p := a.Meta.Pyproject
	if p == nil {
		return nil
	}
	var out []string
	if len(p.BackendPath) > 0 && p.BuildBackend != "" {
		mod, _, _ := strings.Cut(p.BuildBackend, ":")
		modPath := strings.ReplaceAll(mod, ".", "/")
		for _, bp := range p.BackendPath {
			bp = strings.Trim(path.Clean(bp), "/")
			base := modPath
			if bp != "." && bp != "" {
				base = bp + "/" + modPath
			}
			out = append(out, base+".py", base+"/__init__.py")
		}
	}
	if tool, ok := p.Raw["tool"].(map[string]any); ok {
		if poetry, ok := tool["poetry"].(map[string]any); ok {
			if build, ok := poetry["build"].(map[string]any); ok {
				if s, ok := build["script"].(string); ok {
					out = append(out, path.Clean(s))
				}
			}
		}
		if hatch, ok := tool["hatch"].(map[string]any); ok {
			out = append(out, findHookPaths(hatch, 0)...)
		}
	}
	return out
}

// findHookPaths collects "path" values under hatch build hook tables.
func findHookPaths(m map[string]any, depth int) []string {
	if depth > 6 {
		return nil
	}
	var out []string
	for k, v := range m {
		switch v := v.(type) {
		case map[string]any:
			out = append(out, findHookPaths(v, depth+1)...)
		case string:
			if k == "path" && strings.HasSuffix(v, ".py") {
				out = append(out, path.Clean(v))
			}
		}
	}
	return out
}

// moduleIndex maps dotted module names to the files that define them.
type moduleIndex map[string]string

func newModuleIndex(a *artifact.Artifact, files []string) moduleIndex {
	idx := moduleIndex{}
	for _, p := range files {
		rel := relPath(a, p)
		for _, r := range []string{rel, strings.TrimPrefix(rel, "src/"), strings.TrimPrefix(rel, "lib/")} {
			mod := strings.TrimSuffix(r, ".py")
			mod = strings.TrimSuffix(mod, "/__init__")
			mod = strings.ReplaceAll(mod, "/", ".")
			if _, ok := idx[mod]; !ok {
				idx[mod] = p
			}
		}
	}
	return idx
}

// packageOf returns the dotted package a file belongs to.
func packageOf(a *artifact.Artifact, p string) string {
	rel := strings.TrimPrefix(relPath(a, p), "src/")
	dir := path.Dir(rel)
	if dir == "." {
		return ""
	}
	return strings.ReplaceAll(dir, "/", ".")
}

// absoluteName turns a name imported by file from with level leading
// dots into an absolute dotted name; ok is false when the dots climb
// above the tree.
func absoluteName(a *artifact.Artifact, from, name string, level int) (string, bool) {
	if level == 0 {
		return name, true
	}
	pkg := packageOf(a, from)
	parts := strings.Split(pkg, ".")
	if pkg == "" {
		parts = nil
	}
	up := level - 1
	if up > len(parts) {
		return "", false
	}
	return joinDot(strings.Join(parts[:len(parts)-up], "."), name), true
}

// resolve finds the local files an import statement loads.
func (idx moduleIndex) resolve(a *artifact.Artifact, from string, imp python.Import) []string {
	base, ok := absoluteName(a, from, imp.Module, imp.Level)
	if !ok {
		return nil
	}
	var out []string
	if imp.Name != "" && imp.Name != "*" {
		if p, ok := idx[joinDot(base, imp.Name)]; ok {
			out = append(out, p)
		}
	}
	if p, ok := idx[base]; ok && base != "" {
		out = append(out, p)
	}
	return out
}

func joinDot(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "." + b
}

// lookup finds the local module and member that ref, used by code in
// file from, names: the longest dotted prefix of the name that is a
// module of the artifact, and the name after it ("" when ref names the
// module itself).
func (idx moduleIndex) lookup(a *artifact.Artifact, from string, ref extRef) (file, member string) {
	name, ok := absoluteName(a, from, ref.name, ref.level)
	if !ok {
		return "", ""
	}
	parts := strings.Split(name, ".")
	for n := len(parts); n > 0; n-- {
		if p, ok := idx[strings.Join(parts[:n], ".")]; ok {
			if n < len(parts) {
				member = parts[n]
			}
			return p, member
		}
	}
	return "", ""
}

// entryPoints lists the entry points an artifact declares: its
// entry_points.txt, setup.cfg's, pyproject.toml's, and those setup.py
// passes as literal "name = module:function" strings.
func entryPoints(a *artifact.Artifact) []metadata.EntryPoint {
	eps := append([]metadata.EntryPoint(nil), a.Meta.EntryPoints...)
	if a.Meta.SetupCfg != nil {
		eps = append(eps, a.Meta.SetupCfg.EntryPoints...)
	}
	if a.Meta.Pyproject != nil {
		eps = append(eps, a.Meta.Pyproject.EntryPoints...)
	}
	if a.Meta.SetupPy != "" {
		// Entry points are written under entry_points= (or in a
		// variable handed to it): without the word, none can be.
		if f := a.File(a.Meta.SetupPy); f != nil && f.Size <= maxSourceBytes {
			src := f.Bytes()
			if !bytes.Contains(src, []byte("entry_points")) {
				return eps
			}
			for _, m := range reEntryPoint.FindAllSubmatch(src, 256) {
				eps = append(eps, metadata.NewEntryPoint("", string(m[1]), string(m[2]), 0))
			}
		}
	}
	return eps
}

// reEntryPoint matches an entry point written as a string in setup.py.
var reEntryPoint = regexp.MustCompile(`['"]\s*([\w.-]+)\s*=\s*([\w.]+\s*:\s*[\w.]+)\s*(?:\[[^\]'"]*\])?\s*['"]`)
