package metadata

import (
	"strings"
)

// EntryPoint is one entry point: "name = module:attr [extras]".
type EntryPoint struct {
	Group  string   `json:"group"`
	Name   string   `json:"name"`
	Value  string   `json:"value"`
	Module string   `json:"module"`
	Attr   string   `json:"attr,omitempty"`
	Extras []string `json:"extras,omitempty"`
	Line   int      `json:"line,omitempty"`
}

// ParseEntryPoints parses entry_points.txt (the INI form used by wheels,
// eggs and setup.cfg's [options.entry_points]).
func ParseEntryPoints(data []byte) ([]EntryPoint, []Problem) {
	f := ParseINI(data, false)
	var eps []EntryPoint
	for _, s := range f.Sections {
		for _, v := range s.Values {
			eps = append(eps, NewEntryPoint(s.Name, v.Key, v.Value, v.Line))
		}
	}
	return eps, f.Problems
}

// NewEntryPoint splits an object reference "module:attr [extra1, extra2]".
func NewEntryPoint(group, name, value string, line int) EntryPoint {
	ep := EntryPoint{Group: group, Name: name, Value: value, Line: line}
	ref := value
	if i := strings.IndexByte(ref, '['); i >= 0 {
		extras := strings.TrimSuffix(strings.TrimSpace(ref[i+1:]), "]")
		for _, e := range strings.Split(extras, ",") {
			if e = strings.TrimSpace(e); e != "" {
				ep.Extras = append(ep.Extras, e)
			}
		}
		ref = ref[:i]
	}
	mod, attr, _ := strings.Cut(strings.TrimSpace(ref), ":")
	ep.Module, ep.Attr = strings.TrimSpace(mod), strings.TrimSpace(attr)
	return ep
}
