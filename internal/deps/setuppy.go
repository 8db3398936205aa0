package deps

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

var setupPyInfo = ParserInfo{
	Name:    "setup.py",
	Files:   []string{"setup.py"},
	Records: Records{Specifiers: true, Direct: true, Scopes: true, Markers: true, Extras: true, Sources: true},
	Notes: "The `install_requires` and `extras_require` passed to `setup()` as literals (or names bound to them), " +
		"read with the Python front end: the file is never run. Requirements computed at run time are problems.",
}

// ParseSetupPy reads the install_requires and extras_require a setup.py
// passes to setup() as literals (lists and dicts of strings, or names bound
// to them), with the Python front end: the file is parsed, never run.
// Requirements computed at run time cannot be known and are reported as a
// problem.
func ParseSetupPy(file string, data []byte) (*Declared, error) {
	mod, err := python.Load(data)
	if err != nil {
		return nil, err
	}
	d := &Declared{}
	t := mod.Tree
	add := func(v python.Value, line int, scope string) {
		if !v.IsSeq {
			d.Problems = append(d.Problems, Problem{File: file, Line: line, Message: scope + " requirements are computed when setup.py runs; they cannot be read"})
			return
		}
		for _, e := range v.Elems {
			if !e.Known {
				d.Problems = append(d.Problems, Problem{File: file, Line: line, Message: "a requirement computed when setup.py runs"})
				continue
			}
			for _, s := range strings.Split(e.S, "\n") { // "a\nb" strings are allowed too
				if s = strings.TrimSpace(s); s == "" || strings.HasPrefix(s, "#") {
					continue
				}
				d.add(file, line, s, scope)
			}
		}
	}
	for _, c := range mod.Calls {
		if !strings.HasSuffix(c.Name, "setup") && c.Name != "setup" {
			continue
		}
		if n, ok := c.Kwargs["install_requires"]; ok {
			add(mod.Eval(n), t.Line(n), "main")
		}
		if n, ok := c.Kwargs["extras_require"]; ok {
			d.extras(file, mod, n, add)
		}
	}
	return d, nil
}

// extras reads an extras_require dict literal, following one name binding.
func (d *Declared) extras(file string, mod *python.Module, n int32, add func(python.Value, int, string)) {
	t := mod.Tree
	if t.Nodes[n].Kind == python.KIdentifier {
		if def := mod.Definition(t.Text(n)); def >= 0 {
			n = def
		}
	}
	if t.Nodes[n].Kind != python.KDictionary {
		d.Problems = append(d.Problems, Problem{File: file, Line: t.Line(n), Message: "extras_require is computed when setup.py runs; it cannot be read"})
		return
	}
	for p := t.FirstChild(n); p >= 0; p = t.NextSibling(p) {
		if t.Nodes[p].Kind != python.KPair {
			continue
		}
		k := mod.Eval(t.ChildByField(p, python.FKey))
		v := t.ChildByField(p, python.FValue)
		if !k.Known || v < 0 {
			continue
		}
		add(mod.Eval(v), t.Line(v), "optional:"+k.S)
	}
}
