package pep508

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep440"
)

// Specifier is a set of version clauses, all of which must hold
// (">=1.0, <2, !=1.5.*").
type Specifier struct {
	clauses []clause
}

type clause struct {
	op, version string
	wildcard    bool
	v           pep440.Version // the version, wildcard removed; unset for ===
}

var reClause = regexp.MustCompile(`^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$`)

// ParseSpecifier parses a comma-separated list of clauses; "" matches every
// version.
func ParseSpecifier(s string) (Specifier, error) {
	var sp Specifier
	if strings.TrimSpace(s) == "" {
		return sp, nil
	}
	for _, part := range strings.Split(s, ",") {
		m := reClause.FindStringSubmatch(part)
		if m == nil {
			return Specifier{}, fmt.Errorf("invalid version specifier %q", strings.TrimSpace(part))
		}
		c := clause{op: m[1], version: m[2]}
		if c.op == "===" {
			sp.clauses = append(sp.clauses, c)
			continue
		}
		ver := c.version
		if strings.HasSuffix(ver, ".*") {
			if c.op != "==" && c.op != "!=" {
				return Specifier{}, fmt.Errorf("invalid version specifier %q: a wildcard needs == or !=", part)
			}
			c.wildcard, ver = true, strings.TrimSuffix(ver, ".*")
		}
		v, err := pep440.Parse(ver)
		if err != nil {
			return Specifier{}, fmt.Errorf("invalid version specifier %q: %w", strings.TrimSpace(part), err)
		}
		switch {
		case c.wildcard && (v.Local() != "" || strings.Contains(v.String(), ".dev")):
			return Specifier{}, fmt.Errorf("invalid version specifier %q: no wildcard after a dev or local version", part)
		case c.op == "~=" && (v.Local() != "" || len(strings.Split(v.BaseVersion()[strings.Index(v.BaseVersion(), "!")+1:], ".")) < 2):
			return Specifier{}, fmt.Errorf("invalid version specifier %q: ~= needs two release numbers and no local label", part)
		case c.op != "==" && c.op != "!=" && c.op != "~=" && v.Local() != "":
			return Specifier{}, fmt.Errorf("invalid version specifier %q: no local label with %s", part, c.op)
		}
		c.v = v
		sp.clauses = append(sp.clauses, c)
	}
	return sp, nil
}

// String returns the clauses, sorted as packaging prints them.
func (s Specifier) String() string {
	parts := make([]string, len(s.clauses))
	for i, c := range s.clauses {
		parts[i] = c.op + c.version
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// Contains reports whether version satisfies every clause. Pre-releases
// match only when prereleases is true or a clause names one, as pip does.
func (s Specifier) Contains(version string, prereleases bool) bool {
	v, err := pep440.Parse(version)
	if err != nil {
		return false
	}
	if !prereleases {
		for _, c := range s.clauses {
			prereleases = prereleases || c.namesPrerelease()
		}
	}
	if !prereleases && v.IsPreRelease() {
		return false
	}
	for _, c := range s.clauses {
		if !c.contains(v) {
			return false
		}
	}
	return true
}

func (c clause) namesPrerelease() bool {
	switch c.op {
	case "==", ">=", "<=", "~=", "===":
		if c.op == "===" {
			v, err := pep440.Parse(c.version)
			return err == nil && v.IsPreRelease()
		}
		return c.v.IsPreRelease()
	}
	return false
}

func (c clause) contains(p pep440.Version) bool {
	switch c.op {
	case "===":
		return strings.EqualFold(p.String(), c.version)
	case "==":
		return c.equal(p)
	case "!=":
		return !c.equal(p)
	case "<=":
		return public(p).Compare(c.v) <= 0
	case ">=":
		return public(p).Compare(c.v) >= 0
	case "<":
		// <V never admits a pre-release of V itself.
		if p.Compare(c.v) >= 0 {
			return false
		}
		return c.v.IsPreRelease() || !p.IsPreRelease() || !sameBase(p, c.v)
	case ">":
		// >V never admits a post-release or local build of V itself.
		if p.Compare(c.v) <= 0 {
			return false
		}
		if !c.v.IsPostRelease() && p.IsPostRelease() && sameBase(p, c.v) {
			return false
		}
		return p.Local() == "" || !sameBase(p, c.v)
	case "~=":
		var prefix []string
		for _, x := range versionSplit(c.v.String()) {
			if strings.HasPrefix(x, "post") || strings.HasPrefix(x, "dev") {
				break
			}
			prefix = append(prefix, x)
		}
		eq := clause{op: "==", wildcard: true, version: strings.Join(prefix[:len(prefix)-1], ".") + ".*"}
		return public(p).Compare(c.v) >= 0 && eq.equal(p)
	}
	return false
}

func (c clause) equal(p pep440.Version) bool {
	if c.wildcard {
		spec := versionSplit(strings.TrimSuffix(c.version, ".*"))
		pro := versionSplit(public(p).String())
		if len(pro) > len(spec) {
			pro = pro[:len(spec)]
		}
		a, b := padVersion(spec, pro)
		return strings.Join(a, ".") == strings.Join(b, ".")
	}
	if c.v.Local() == "" {
		p = public(p)
	}
	return p.Equal(c.v)
}

func public(v pep440.Version) pep440.Version {
	if v.Local() == "" {
		return v
	}
	p, err := pep440.Parse(v.Public())
	if err != nil {
		return v
	}
	return p
}

func sameBase(a, b pep440.Version) bool {
	x, err1 := pep440.Parse(a.BaseVersion())
	y, err2 := pep440.Parse(b.BaseVersion())
	return err1 == nil && err2 == nil && x.Equal(y)
}

var rePrefix = regexp.MustCompile(`^([0-9]+)((?:a|b|c|rc)[0-9]+)$`)

// versionSplit splits a version on dots, and between a release number and
// a pre-release tag ("1.0rc1" is 1, 0, rc1).
func versionSplit(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ".") {
		if m := rePrefix.FindStringSubmatch(x); m != nil {
			out = append(out, m[1], m[2])
		} else {
			out = append(out, x)
		}
	}
	return out
}

// padVersion pads the numeric release parts of left and right with zeros
// to the same length.
func padVersion(left, right []string) ([]string, []string) {
	ln, rn := leadingDigits(left), leadingDigits(right)
	pad := func(s []string, n, to int) []string {
		out := append([]string{}, s[:n]...)
		for i := n; i < to; i++ {
			out = append(out, "0")
		}
		return append(out, s[n:]...)
	}
	return pad(left, ln, max(ln, rn)), pad(right, rn, max(ln, rn))
}

func leadingDigits(s []string) int {
	for i, x := range s {
		if x == "" || strings.Trim(x, "0123456789") != "" {
			return i
		}
	}
	return len(s)
}

// Pin returns the version a specifier holds a package to: one "==" clause
// without a wildcard, or "===".
func (s Specifier) Pin() (string, bool) {
	if len(s.clauses) != 1 {
		return "", false
	}
	c := s.clauses[0]
	if (c.op == "==" && !c.wildcard) || c.op == "===" {
		return c.version, true
	}
	return "", false
}
