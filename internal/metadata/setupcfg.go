package metadata

import "strings"

// SetupCfg is what Safeguard reads from setup.cfg: the declarative
// setuptools configuration.
type SetupCfg struct {
	Name            string       `json:"name,omitempty"`
	Version         string       `json:"version,omitempty"`
	InstallRequires []string     `json:"install_requires,omitempty"`
	SetupRequires   []string     `json:"setup_requires,omitempty"`
	PythonRequires  string       `json:"python_requires,omitempty"`
	EntryPoints     []EntryPoint `json:"entry_points,omitempty"`
	// INI is the whole file, for readers that need other keys.
	INI *INI `json:"-"`
}

// ParseSetupCfg parses setup.cfg.
func ParseSetupCfg(data []byte) *SetupCfg {
	f := ParseINI(data, true)
	c := &SetupCfg{INI: f}
	if s := f.Section("metadata"); s != nil {
		c.Name, _ = s.Get("name")
		c.Version, _ = s.Get("version")
	}
	if s := f.Section("options"); s != nil {
		v, _ := s.Get("install_requires")
		c.InstallRequires = splitList(v)
		v, _ = s.Get("setup_requires")
		c.SetupRequires = splitList(v)
		c.PythonRequires, _ = s.Get("python_requires")
	}
	if s := f.Section("options.entry_points"); s != nil {
		for _, v := range s.Values {
			for _, line := range strings.Split(v.Value, "\n") {
				name, val, ok := strings.Cut(line, "=")
				if ok {
					c.EntryPoints = append(c.EntryPoints, NewEntryPoint(v.Key, strings.TrimSpace(name), strings.TrimSpace(val), v.Line))
				}
			}
		}
	}
	return c
}

// splitList splits a setup.cfg requirement list as setuptools does: one
// item a line, or ";"-separated when the value is one line; comments dropped.
func splitList(v string) []string {
	var out []string
	lines := strings.Split(v, "\n")
	for _, l := range lines {
		if i := strings.Index(l, " #"); i >= 0 {
			l = l[:i]
		}
		items := []string{l}
		if len(lines) == 1 {
			items = strings.Split(l, ";")
		}
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" && !strings.HasPrefix(it, "#") {
				out = append(out, it)
			}
		}
	}
	return out
}
