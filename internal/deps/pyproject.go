package deps

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/metadata"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Declared is what a project's metadata file asks for.
type Declared struct {
	// Project is the project itself, when the file names it.
	Project  *Package  `json:"project,omitempty"`
	Packages []Package `json:"packages"`
	Problems []Problem `json:"problems,omitempty"`
}

var pyprojectInfo = ParserInfo{
	Name:    "pyproject.toml",
	Files:   []string{"pyproject.toml"},
	Records: Records{Specifiers: true, Direct: true, Scopes: true, Markers: true, Extras: true, Sources: true, Project: true},
	Notes: "PEP 621 `dependencies` and `optional-dependencies`, PEP 735 `[dependency-groups]` with `include-group` " +
		"(a cycle is a problem), Poetry's `dependencies`, `dev-dependencies` and groups (constraints such as `^1.2` kept as written). " +
		"The project named by `[project]` or `[tool.poetry]` is the inventory root.",
}

// ParsePyproject reads the dependencies a pyproject.toml declares: PEP 621
// [project] dependencies and optional-dependencies, PEP 735
// [dependency-groups] (with include-group), and Poetry's
// [tool.poetry] dependencies, dev-dependencies and groups.
func ParsePyproject(file string, data []byte) (*Declared, error) {
	p, err := metadata.ParsePyproject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	d := &Declared{}
	lines := lineIndex{data: data}
	d.Project = pyprojectSelf(file, p, &lines)
	add := func(spec, scope string) { d.add(file, lines.of(spec), spec, scope) }
	for _, s := range p.Dependencies {
		add(s, "main")
	}
	for _, extra := range sortedKeys(p.OptionalDependencies) {
		for _, s := range p.OptionalDependencies[extra] {
			add(s, "optional:"+extra)
		}
	}
	if groups, ok := p.Raw["dependency-groups"].(map[string]any); ok {
		for _, g := range sortedKeys(groups) {
			for _, s := range expandGroup(groups, g, map[string]bool{}, func(msg string) {
				d.Problems = append(d.Problems, Problem{File: file, Line: lines.of("[dependency-groups]"), Message: msg})
			}) {
				add(s, "group:"+g)
			}
		}
	}
	if tool, ok := p.Raw["tool"].(map[string]any); ok {
		if poetry, ok := tool["poetry"].(map[string]any); ok {
			d.poetry(file, poetry, &lines)
		}
	}
	return d, nil
}

// add records the requirement spec a file declares at line, direct and in
// scope, or a problem when it does not parse.
func (d *Declared) add(file string, line int, spec, scope string) {
	pkg, err := parseRequirementLine(spec, false)
	if err != nil {
		d.Problems = append(d.Problems, Problem{File: file, Line: line, Message: err.Error()})
		return
	}
	pkg.File, pkg.Line, pkg.Scope, pkg.Direct = file, line, scope, true
	d.Packages = append(d.Packages, pkg)
}

// expandGroup lists a PEP 735 group's requirements, following
// {include-group = "..."} entries; a cycle is reported once.
func expandGroup(groups map[string]any, name string, seen map[string]bool, problem func(string)) []string {
	if seen[name] {
		problem(fmt.Sprintf("dependency group %q includes itself", name))
		return nil
	}
	seen[name] = true
	defer delete(seen, name)
	items, ok := groups[name].([]any)
	if !ok {
		problem(fmt.Sprintf("dependency group %q is not a list", name))
		return nil
	}
	var out []string
	for _, it := range items {
		switch v := it.(type) {
		case string:
			out = append(out, v)
		case map[string]any:
			inc, ok := v["include-group"].(string)
			if !ok {
				problem(fmt.Sprintf("dependency group %q: a table without include-group", name))
				continue
			}
			if _, ok := groups[inc]; !ok {
				problem(fmt.Sprintf("dependency group %q includes unknown group %q", name, inc))
				continue
			}
			out = append(out, expandGroup(groups, inc, seen, problem)...)
		default:
			problem(fmt.Sprintf("dependency group %q: entry of type %T", name, it))
		}
	}
	return out
}

// poetry reads [tool.poetry] dependency tables. Poetry's constraints (^1.2,
// ~1.2, *) are kept as written; only an exact version is a pin.
func (d *Declared) poetry(file string, poetry map[string]any, lines *lineIndex) {
	read := func(table any, scope string) {
		deps, ok := table.(map[string]any)
		if !ok {
			return
		}
		for _, name := range sortedKeys(deps) {
			if name == "python" {
				continue
			}
			pkg := Package{Name: pkgname.Normalize(name), Source: Source{Kind: "index"}, Scope: scope, Direct: true, File: file, Line: lines.of(name)}
			switch v := deps[name].(type) {
			case string:
				pkg.Specifier = v
			case map[string]any:
				pkg.Specifier, _ = v["version"].(string)
				if m, ok := v["markers"].(string); ok {
					pkg.Marker = m
				}
				if o, _ := v["optional"].(bool); o {
					pkg.Scope = "optional"
				}
				for _, k := range []string{"git", "url", "path"} {
					if s, ok := v[k].(string); ok {
						if k == "git" {
							s = gitURL(s)
						}
						pkg.Source = Source{Kind: map[string]string{"git": "vcs", "url": "url", "path": "path"}[k], URL: s}
					}
				}
				if ex, ok := v["extras"].([]any); ok {
					for _, e := range ex {
						if s, ok := e.(string); ok {
							pkg.Extras = append(pkg.Extras, s)
						}
					}
				}
			case []any:
				// Several constraints by marker: each is a declaration.
				pkg.Specifier = fmt.Sprintf("(%d alternatives)", len(v))
			default:
				d.Problems = append(d.Problems, Problem{File: file, Line: pkg.Line, Message: fmt.Sprintf("poetry dependency %q of type %T", name, v)})
				continue
			}
			pkg.Version = poetryPin(pkg.Specifier)
			d.Packages = append(d.Packages, pkg)
		}
	}
	read(poetry["dependencies"], "main")
	read(poetry["dev-dependencies"], "dev")
	if groups, ok := poetry["group"].(map[string]any); ok {
		for _, g := range sortedKeys(groups) {
			if t, ok := groups[g].(map[string]any); ok {
				read(t["dependencies"], "group:"+g)
			}
		}
	}
}

// poetryPin returns the version an exact Poetry constraint names.
func poetryPin(c string) string {
	c = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c), "=="))
	if c == "" || strings.ContainsAny(c, "^~*<>=!, |") {
		return ""
	}
	return c
}

// lineIndex finds the line a value appears on, searching forward from the
// last hit so that repeated names map to successive lines.
type lineIndex struct {
	data []byte
	from map[string]int
}

func (l *lineIndex) of(needle string) int {
	if l.from == nil {
		l.from = map[string]int{}
	}
	start := l.from[needle]
	i := bytes.Index(l.data[start:], []byte(needle))
	if i < 0 {
		i = bytes.Index(l.data, []byte(needle))
		start = 0
	}
	if i < 0 {
		return 1
	}
	l.from[needle] = start + i + len(needle)
	return bytes.Count(l.data[:start+i], []byte("\n")) + 1
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
