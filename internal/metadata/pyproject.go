package metadata

import (
	"fmt"
	"sort"

	"github.com/pelletier/go-toml/v2"
)

// Pyproject is what Safeguard reads from pyproject.toml: the
// [build-system] table (PEP 517/518) and the [project] table (PEP 621).
// Fields of the wrong type are problems, not errors.
type Pyproject struct {
	BuildRequires []string `json:"build_requires,omitempty"`
	BuildBackend  string   `json:"build_backend,omitempty"`
	// BackendPath lists in-tree directories the backend is loaded from.
	BackendPath []string `json:"backend_path,omitempty"`

	Name                 string              `json:"name,omitempty"`
	Version              string              `json:"version,omitempty"`
	Description          string              `json:"description,omitempty"`
	RequiresPython       string              `json:"requires_python,omitempty"`
	License              string              `json:"license,omitempty"`
	Dependencies         []string            `json:"dependencies,omitempty"`
	OptionalDependencies map[string][]string `json:"optional_dependencies,omitempty"`
	Dynamic              []string            `json:"dynamic,omitempty"`
	Scripts              map[string]string   `json:"scripts,omitempty"`
	GUIScripts           map[string]string   `json:"gui_scripts,omitempty"`
	EntryPoints          []EntryPoint        `json:"entry_points,omitempty"`
	// Tools lists the [tool.*] tables present ("poetry", "hatch"...).
	Tools []string `json:"tools,omitempty"`
	// Raw is the whole document, for readers that need other keys.
	Raw      map[string]any `json:"-"`
	Problems []Problem      `json:"problems,omitempty"`
}

// ParsePyproject parses pyproject.toml. Invalid TOML is an error; valid TOML
// with unexpected types yields problems and the fields that did make sense.
func ParsePyproject(data []byte) (*Pyproject, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse pyproject.toml: %w", err)
	}
	p := &Pyproject{Raw: raw}
	t := tableReader{p: p}
	if bs := t.table(raw, "build-system"); bs != nil {
		p.BuildRequires = t.strings(bs, "build-system", "requires")
		p.BuildBackend = t.str(bs, "build-system", "build-backend")
		p.BackendPath = t.strings(bs, "build-system", "backend-path")
	}
	if pr := t.table(raw, "project"); pr != nil {
		p.Name = t.str(pr, "project", "name")
		p.Version = t.str(pr, "project", "version")
		p.Description = t.str(pr, "project", "description")
		p.RequiresPython = t.str(pr, "project", "requires-python")
		p.Dependencies = t.strings(pr, "project", "dependencies")
		p.Dynamic = t.strings(pr, "project", "dynamic")
		switch l := pr["license"].(type) {
		case string:
			p.License = l
		case map[string]any:
			if s, ok := l["text"].(string); ok {
				p.License = clip(s)
			} else if s, ok := l["file"].(string); ok {
				p.License = "file: " + s
			}
		}
		if od := t.table(pr, "optional-dependencies"); od != nil {
			p.OptionalDependencies = map[string][]string{}
			for extra := range od {
				p.OptionalDependencies[extra] = t.strings(od, "project.optional-dependencies", extra)
			}
		}
		p.Scripts = t.stringMap(pr, "scripts")
		p.GUIScripts = t.stringMap(pr, "gui-scripts")
		if eps := t.table(pr, "entry-points"); eps != nil {
			for _, group := range sortedKeys(eps) {
				refs := t.stringMap(eps, group)
				names := make([]string, 0, len(refs))
				for name := range refs {
					names = append(names, name)
				}
				sort.Strings(names)
				for _, name := range names {
					p.EntryPoints = append(p.EntryPoints, NewEntryPoint(group, name, refs[name], 0))
				}
			}
		}
	}
	if tools := t.table(raw, "tool"); tools != nil {
		p.Tools = sortedKeys(tools)
	}
	return p, nil
}

// tableReader pulls typed values out of decoded TOML, recording a problem
// for each value of the wrong type.
type tableReader struct{ p *Pyproject }

func (t tableReader) wrongType(key string, v any) {
	t.p.Problems = append(t.p.Problems, Problem{Message: fmt.Sprintf("%s has type %T", key, v)})
}

func (t tableReader) table(m map[string]any, key string) map[string]any {
	v, ok := m[key]
	if !ok {
		return nil
	}
	tab, ok := v.(map[string]any)
	if !ok {
		t.wrongType(key, v)
	}
	return tab
}

func (t tableReader) str(m map[string]any, table, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(table+"."+key, v)
	}
	return s
}

func (t tableReader) strings(m map[string]any, table, key string) []string {
	v, ok := m[key]
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		t.wrongType(table+"."+key, v)
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			t.wrongType(table+"."+key+"[]", e)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (t tableReader) stringMap(m map[string]any, key string) map[string]string {
	tab := t.table(m, key)
	if tab == nil {
		return nil
	}
	out := make(map[string]string, len(tab))
	for k, v := range tab {
		s, ok := v.(string)
		if !ok {
			t.wrongType(key+"."+k, v)
			continue
		}
		out[k] = s
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
