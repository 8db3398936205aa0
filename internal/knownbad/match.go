package knownbad

import (
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep440"
)

// affects reports whether version of the package is covered: listed in
// versions, or inside one of the ranges. An empty version asks whether any
// version is affected, which a record naming the package always answers
// yes.
func (a *Affected) affects(version string) bool {
	if version == "" {
		return true
	}
	v, err := pep440.Parse(version)
	valid := err == nil
	for _, s := range a.Versions {
		if s == version {
			return true
		}
		if w, err := pep440.Parse(s); valid && err == nil && sameRelease(v, w) {
			return true
		}
	}
	if !valid {
		return false // ranges need an order; the listed versions were checked
	}
	for _, r := range a.Ranges {
		if (r.Type == "ECOSYSTEM" || r.Type == "SEMVER") && inRange(v, r.Events) {
			return true
		}
	}
	return false
}

// sameRelease compares like PEP 440 "==" without a local label in the
// specifier: 1.0+ubuntu1 is a build of 1.0, and is as malicious.
func sameRelease(v, listed pep440.Version) bool {
	if v.Equal(listed) {
		return true
	}
	s := v.String()
	if i := strings.IndexByte(s, '+'); i >= 0 && !strings.Contains(listed.String(), "+") {
		if pub, err := pep440.Parse(s[:i]); err == nil {
			return pub.Equal(listed)
		}
	}
	return false
}

// inRange evaluates OSV range events for v, as the schema defines them:
// sorted by version (introduced "0" first), each event at or below v sets
// the state — introduced opens, fixed closes at its version, last_affected
// closes after it, limit closes at it.
func inRange(v pep440.Version, events []Event) bool {
	type step struct {
		at   *pep440.Version // nil: introduced "0", before every version
		open bool
		// after: the step takes effect only above at (last_affected).
		after bool
	}
	var steps []step
	for _, e := range events {
		var s string
		st := step{}
		switch {
		case e.Introduced != "":
			s, st.open = e.Introduced, true
			if s == "0" {
				steps = append(steps, st)
				continue
			}
		case e.Fixed != "":
			s = e.Fixed
		case e.LastAffected != "":
			s, st.after = e.LastAffected, true
		case e.Limit != "":
			if e.Limit == "*" {
				continue
			}
			s = e.Limit
		default:
			continue
		}
		at, err := pep440.Parse(s)
		if err != nil {
			continue // an event we cannot order cannot be placed
		}
		st.at = &at
		steps = append(steps, st)
	}
	sort.SliceStable(steps, func(i, j int) bool {
		a, b := steps[i].at, steps[j].at
		switch {
		case a == nil:
			return b != nil
		case b == nil:
			return false
		}
		return a.Compare(*b) < 0
	})
	affected := false
	for _, st := range steps {
		if st.at != nil {
			c := v.Compare(*st.at)
			if c < 0 || st.after && c == 0 {
				break
			}
		}
		affected = st.open
	}
	return affected
}
