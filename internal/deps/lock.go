package deps

import (
	"fmt"
	"sort"

	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Lock is what a dependency file records: every package, with files and
// graph where a lockfile pins them. Every parser in the registry returns one.
type Lock struct {
	// Project is the project the lock is for, when the file names it.
	Project  *Package  `json:"project,omitempty"`
	Packages []Package `json:"packages"`
	Problems []Problem `json:"problems,omitempty"`
	// Options are the pip options a requirements file sets; zero for
	// every other format.
	Options Options `json:"options,omitzero"`
}

// maxLockBytes bounds a lockfile.
const maxLockBytes = 256 << 20

// decodeLock bounds data and decodes it with unmarshal (TOML or JSON),
// naming the file in errors.
func decodeLock(file string, data []byte, v any, unmarshal func([]byte, any) error) error {
	if len(data) > maxLockBytes {
		return fmt.Errorf("%s: %d bytes, larger than %d", file, len(data), maxLockBytes)
	}
	if err := unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// entry starts the i-th locked package: its name normalised, its version
// pinned, its line taken from lines (the lines of the [[package]] headers,
// nil when the format has none). A package without a name is a problem.
func (l *Lock) entry(file string, lines []int, i int, name, version string) (Package, bool) {
	line := 0
	if i < len(lines) {
		line = lines[i]
	}
	if name == "" {
		l.Problems = append(l.Problems, Problem{File: file, Line: line, Message: "package without a name"})
		return Package{}, false
	}
	p := Package{Name: pkgname.Normalize(name), Version: version, File: file, Line: line, Scope: "main", Source: Source{Kind: "index"}}
	if version != "" {
		p.Specifier = "==" + version
	}
	return p, true
}

// addFile records a distribution file, and its hash among the package's.
func (p *Package) addFile(f File) {
	p.Files = append(p.Files, f)
	if f.Hash != "" {
		p.Hashes = append(p.Hashes, f.Hash)
	}
}

// addRequires records graph edges: normalised, once each, sorted.
func (p *Package) addRequires(names ...string) {
	for _, n := range names {
		n = pkgname.Normalize(n)
		if !contains(p.Requires, n) {
			p.Requires = append(p.Requires, n)
		}
	}
	sort.Strings(p.Requires)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// requiresDist turns Requires-Dist lines into graph edges: those whose
// markers hold in env (no extra requested) and that name a package present
// in installed. Lines that do not parse are returned as errors.
func requiresDist(lines []string, env map[string]string, installed map[string]bool) ([]string, []error) {
	var names []string
	var errs []error
	for _, d := range lines {
		r, err := pep508.Parse(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if r.Marker != nil {
			if ok, err := r.Marker.Evaluate(env); err != nil || !ok {
				continue
			}
		}
		if installed[r.NormalizedName()] {
			names = append(names, r.Name)
		}
	}
	return names, errs
}
