package deps

import (
	"context"
	"fmt"
	"os"
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

// Collect reads the dependency files of a project directory (the files in
// its top directory that a registered parser reads), one such file (or any
// .txt file as requirements, any .json file that is an SBOM), an
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
	var named Parser // reads a file named on the command line that no registered name matches
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
			if parserFor(e.Name()) != nil && e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
	} else {
		dir, names = filepath.Dir(target), []string{filepath.Base(target)}
		switch {
		case parserFor(names[0]) != nil:
		case strings.HasSuffix(names[0], ".txt"):
			named = requirementsFile{}
		case strings.HasSuffix(names[0], ".json"):
			// A CycloneDX or SPDX SBOM under any name: read by content.
			if named, err = sbomParserFor(os.DirFS(dir), names[0]); err != nil {
				return nil, err
			}
		}
		if parserFor(names[0]) == nil && named == nil {
			return nil, fmt.Errorf("%s: not a dependency file Safeguard reads", target)
		}
	}
	sort.Strings(names)
	inv := &Inventory{}
	fsys := os.DirFS(dir)
	var roots rootChoice
	for _, n := range names {
		inv.Files = append(inv.Files, n)
		p := parserFor(n)
		if p == nil {
			p = named
		}
		l, err := p.Parse(fsys, n)
		if err != nil {
			inv.Problems = append(inv.Problems, Problem{File: n, Message: err.Error()})
			continue
		}
		roots.offer(p, l.Project)
		inv.Packages = append(inv.Packages, l.Packages...)
		inv.Problems = append(inv.Problems, l.Problems...)
		inv.Options.RequireHashes = inv.Options.RequireHashes || l.Options.RequireHashes
	}
	if len(inv.Files) == 0 {
		return nil, fmt.Errorf("%s: no dependency files (requirements*.txt, pyproject.toml, setup.cfg or a lockfile)", target)
	}
	if p := parserFor(names[0]); !st.IsDir() && p != nil && p.Info().Records.Versions {
		// A lock given alone: the project may be named beside it.
		roots.beside(fsys, names[0])
	}
	inv.Root = roots.root()
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

// DependencyFiles returns the dependency files Collect reads in a project
// directory's top level (those a registered parser takes by name), or the
// file itself when path is a file.
func DependencyFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if parserFor(e.Name()) != nil && e.Type().IsRegular() {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no dependency file Safeguard reads in this directory", path)
	}
	return out, nil
}
