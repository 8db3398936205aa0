package deps

import (
	"io/fs"
	"slices"
)

// rootChoice picks the inventory root among the projects the files name:
// a lock's own record of its project first (uv.lock's editable or virtual
// root, a pylock.toml directory package "."), else the project metadata
// (pyproject.toml's [project] or [tool.poetry], setup.cfg, setup.py).
type rootChoice struct {
	lock, declared *Package
}

// offer considers the project a file read by p names (nil for none).
func (c *rootChoice) offer(p Parser, project *Package) {
	if project == nil {
		return
	}
	if p.Info().Records.Versions {
		if c.lock == nil {
			c.lock = project
		}
		return
	}
	if c.declared == nil {
		c.declared = project
	}
}

// besideFiles are the project metadata files read, when a lock is given
// alone and does not name its project, for the project it is for.
var besideFiles = []string{"pyproject.toml", "setup.cfg"}

// beside reads the project metadata next to a lock given alone when
// nothing read so far names the project: its [project] (or
// [tool.poetry]) is the root, and what it declares is the root's direct
// dependencies. Its packages are not added: only the file named was asked
// for. A metadata file that does not parse names nothing.
func (c *rootChoice) beside(fsys fs.FS, read string) {
	if c.lock != nil && c.lock.Version != "" || c.declared != nil {
		return
	}
	for _, n := range besideFiles {
		if n == read {
			continue
		}
		p := parserFor(n)
		if _, err := fs.Stat(fsys, n); err != nil || p == nil {
			continue
		}
		l, err := p.Parse(fsys, n)
		if err != nil || l.Project == nil {
			continue
		}
		root := *l.Project
		root.Requires = nil
		for _, d := range l.Packages {
			if d.Direct && d.Scope != "constraint" {
				root.addRequires(d.Name)
			}
		}
		c.declared = &root
		return
	}
}

// root is the chosen project: the lock's name, version and edges, with
// the metadata's licence and location when both name the same project (and
// its version when the lock leaves it out, as for a virtual root); else
// whichever names one; nil when nothing does.
func (c *rootChoice) root() *Package {
	switch {
	case c.lock == nil:
		return c.declared
	case c.declared == nil || c.declared.Name != c.lock.Name:
		return c.lock
	}
	r := *c.declared
	if c.lock.Version != "" {
		r.Version = c.lock.Version
	}
	r.Requires = slices.Clone(c.declared.Requires)
	r.addRequires(c.lock.Requires...)
	return &r
}
