package licenses

import (
	"slices"
	"sort"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/safeguard-dev/safeguard/internal/metadata"
)

// maxNameLen bounds a named licence taken from free text.
const maxNameLen = 200

// License is a distribution's licence in SPDX terms. At most one of
// Expression and IDs is set; Names holds what has no SPDX identifier.
type License struct {
	// Expression is a valid SPDX licence expression (PEP 639, or a License
	// field that is one).
	Expression string `json:"expression,omitempty"`
	// IDs are SPDX identifiers mapped from licence classifiers, sorted.
	IDs []string `json:"ids,omitempty"`
	// Names are licences known only by name: an ambiguous classifier
	// ("BSD License") or the License field's first line.
	Names []string `json:"names,omitempty"`
}

// Empty reports a licence that says nothing.
func (l *License) Empty() bool {
	return l == nil || l.Expression == "" && len(l.IDs) == 0 && len(l.Names) == 0
}

// SPDX returns the licence as one SPDX expression (IDs joined with AND,
// since metadata does not say whether several classifiers are a choice),
// and false when some part has no SPDX identifier.
func (l *License) SPDX() (string, bool) {
	switch {
	case l.Empty():
		return "", false
	case l.Expression != "":
		return l.Expression, true
	case len(l.Names) > 0:
		return "", false
	}
	if len(l.IDs) == 1 {
		return l.IDs[0], true
	}
	return strings.Join(l.IDs, " AND "), true
}

// FromCore reads the licence of core metadata; nil when it states none.
func FromCore(c *metadata.Core) *License {
	if c == nil {
		return nil
	}
	l := &License{}
	if e := strings.TrimSpace(c.LicenseExpression); e != "" {
		if Valid(e) {
			l.Expression = e
			return l
		}
		l.Names = append(l.Names, clip(e))
	}
	for _, cl := range c.Classifiers {
		rest, ok := strings.CutPrefix(cl, "License :: ")
		if !ok {
			continue
		}
		if id, ok := classifierIDs[strings.TrimSpace(rest)]; ok {
			if !slices.Contains(l.IDs, id) {
				l.IDs = append(l.IDs, id)
			}
			continue
		}
		name := strings.TrimSpace(rest)
		if i := strings.LastIndex(name, " :: "); i >= 0 {
			name = name[i+len(" :: "):]
		}
		if name != "" && !categories[name] && !slices.Contains(l.Names, name) {
			l.Names = append(l.Names, name)
		}
	}
	sort.Strings(l.IDs)
	if text := firstLine(c.License); text != "" && len(l.IDs) == 0 && len(l.Names) == 0 && l.Expression == "" {
		if Valid(text) {
			l.Expression = text
		} else {
			l.Names = append(l.Names, text)
		}
	}
	if l.Empty() {
		return nil
	}
	return l
}

// Valid reports a syntactically valid SPDX expression over known
// identifiers (LicenseRef- references allowed).
func Valid(expr string) bool {
	ok, _ := spdxexp.ValidateLicenses([]string{expr})
	return ok
}

// firstLine returns the License field's first line, or "" when it is
// empty or UNKNOWN.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	line = strings.TrimSpace(line)
	if strings.EqualFold(line, "UNKNOWN") || strings.EqualFold(line, "none") {
		return ""
	}
	return clip(line)
}

func clip(s string) string {
	if len(s) <= maxNameLen {
		return s
	}
	cut := maxNameLen
	for cut > 0 && s[cut]&0xC0 == 0x80 { // keep UTF-8 whole
		cut--
	}
	return s[:cut] + "…"
}

// FromText reads a licence stated as text (pyproject's license, Poetry's
// license): an SPDX expression when it is one, else a named licence.
func FromText(s string) *License {
	s = firstLine(s)
	switch {
	case s == "":
		return nil
	case Valid(s):
		return &License{Expression: s}
	}
	return &License{Names: []string{s}}
}
