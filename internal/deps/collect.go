package deps

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// Inventory is everything a project's dependency files declare and pin.
type Inventory struct {
	// Root is what the inventory describes: the project (as its metadata
	// names it) or the artifact; nil when no file names it.
	Root     *Package  `json:"root,omitempty"`
	Files    []string  `json:"files"`
	Packages []Package `json:"packages"`
	Problems []Problem `json:"problems,omitempty"`
	Options  Options   `json:"options"`
}

// formats maps a file name to its parser.
func parserFor(name string) (func(fsys fs.FS, name string) (*Lock, error), bool) {
	base := path.Base(name)
	read := func(f func(string, []byte) (*Lock, error)) func(fs.FS, string) (*Lock, error) {
		return func(fsys fs.FS, name string) (*Lock, error) {
			data, err := readCapped(fsys, name)
			if err != nil {
				return nil, err
			}
			return f(name, data)
		}
	}
	declared := func(f func(string, []byte) (*Declared, error)) func(fs.FS, string) (*Lock, error) {
		return read(func(name string, data []byte) (*Lock, error) {
			d, err := f(name, data)
			if err != nil {
				return nil, err
			}
			return &Lock{Project: d.Project, Packages: d.Packages, Problems: d.Problems}, nil
		})
	}
	switch {
	case base == "uv.lock" || strings.HasSuffix(base, ".py.lock"):
		return read(ParseUVLock), true
	case base == "poetry.lock":
		return read(ParsePoetryLock), true
	case base == "Pipfile.lock":
		return read(ParsePipfileLock), true
	case base == "pdm.lock":
		return read(ParsePDMLock), true
	case base == "pylock.toml" || strings.HasPrefix(base, "pylock.") && strings.HasSuffix(base, ".toml"):
		return read(ParsePylock), true
	case base == "pyproject.toml":
		return declared(ParsePyproject), true
	case base == "setup.py":
		return declared(ParseSetupPy), true
	case base == "setup.cfg":
		return declared(func(n string, d []byte) (*Declared, error) { return ParseSetupCfg(n, d), nil }), true
	case strings.HasSuffix(base, ".txt") && (strings.HasPrefix(base, "requirements") || strings.HasPrefix(base, "constraints")):
		return nil, true // read by ParseRequirements, for its includes
	}
	return nil, false
}

func readCapped(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxLockBytes {
		return nil, fmt.Errorf("%s: %d bytes, larger than %d", name, st.Size(), maxLockBytes)
	}
	return fs.ReadFile(fsys, name)
}

// Collect reads the dependency files of a project directory (the files in
// its top directory that a known parser reads), one such file, an
// installed environment (a virtualenv or site-packages directory), or one
// distribution file (wheel, sdist, egg).
func Collect(ctx context.Context, target string) (*Inventory, error) {
	st, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() && artifact.HasArchiveSuffix(target) {
		l, err := ParseArtifact(ctx, target)
		if err != nil {
			return nil, err
		}
		return &Inventory{Root: l.Project, Files: []string{filepath.Base(target)}, Packages: l.Packages, Problems: l.Problems}, nil
	}
	dir, names := target, []string(nil)
	if st.IsDir() && isEnvironment(target) {
		l, err := ParseEnvironment(target)
		if err != nil {
			return nil, err
		}
		return &Inventory{Files: []string{target}, Packages: l.Packages, Problems: l.Problems}, nil
	}
	if st.IsDir() {
		entries, err := os.ReadDir(target)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if _, ok := parserFor(e.Name()); ok && e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
	} else {
		dir, names = filepath.Dir(target), []string{filepath.Base(target)}
		if _, ok := parserFor(names[0]); !ok && !strings.HasSuffix(names[0], ".txt") {
			return nil, fmt.Errorf("%s: not a dependency file Safeguard reads", target)
		}
	}
	sort.Strings(names)
	inv := &Inventory{}
	fsys := os.DirFS(dir)
	for _, n := range names {
		inv.Files = append(inv.Files, n)
		parse, _ := parserFor(n)
		if parse == nil { // a requirements file
			r, err := ParseRequirements(fsys, n, os.LookupEnv)
			if err != nil {
				inv.Problems = append(inv.Problems, Problem{File: n, Message: err.Error()})
				continue
			}
			inv.Packages = append(inv.Packages, r.Packages...)
			inv.Problems = append(inv.Problems, r.Problems...)
			inv.Options.RequireHashes = inv.Options.RequireHashes || r.Options.RequireHashes
			continue
		}
		l, err := parse(fsys, n)
		if err != nil {
			inv.Problems = append(inv.Problems, Problem{File: n, Message: err.Error()})
			continue
		}
		if inv.Root == nil {
			inv.Root = l.Project
		}
		inv.Packages = append(inv.Packages, l.Packages...)
		inv.Problems = append(inv.Problems, l.Problems...)
	}
	if len(inv.Files) == 0 {
		return nil, fmt.Errorf("%s: no dependency files (requirements*.txt, pyproject.toml, setup.cfg or a lockfile)", target)
	}
	return inv, nil
}

// isEnvironment reports a virtualenv or a site-packages directory.
func isEnvironment(dir string) bool {
	if filepath.Base(dir) == "site-packages" {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
}
