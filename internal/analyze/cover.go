package analyze

import (
	"regexp/syntax"
	"slices"
	"strings"
)

// Every match of a regular expression in an ASCII text contains one of
// the lower-case literals of its cover (case-insensitively), so a text
// that contains none cannot match. regexCover derives the cover from the
// expression's syntax: finite sets of strings are multiplied out along a
// concatenation, and the longest such run stands for the whole.
//
// The cover holds only for ASCII text: (?i) also matches the Kelvin sign
// and the long s, and those are dropped here.

// maxCoverSet bounds the strings a finite set may have.
const maxCoverSet = 64

// regexCover returns the cover of expr, or ok = false when some match
// need not contain any literal. An empty cover means no ASCII text can
// match.
func regexCover(expr string) (lits []string, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	return cover(re)
}

// exactSet returns every string re can match, lower-cased, when there are
// few of them.
func exactSet(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		// Assertions take no text.
		return []string{""}, true
	case syntax.OpNoMatch:
		return nil, true
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range re.Rune {
			if r >= 0x80 {
				return nil, true // no ASCII text matches
			}
			b.WriteRune(r)
		}
		return []string{strings.ToLower(b.String())}, true
	case syntax.OpCharClass:
		var set []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1] && r < 0x80; r++ {
				s := strings.ToLower(string(r))
				if !slices.Contains(set, s) {
					set = append(set, s)
				}
				if len(set) > 16 {
					return nil, false
				}
			}
		}
		return set, true
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpQuest:
		s, ok := exactSet(re.Sub[0])
		if !ok || len(s) >= maxCoverSet {
			return nil, false
		}
		return union([]string{""}, s), true
	case syntax.OpAlternate:
		var set []string
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok {
				return nil, false
			}
			set = union(set, s)
			if len(set) > maxCoverSet {
				return nil, false
			}
		}
		return set, true
	case syntax.OpConcat:
		set := []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok || len(set)*len(s) > maxCoverSet {
				return nil, false
			}
			set = product(set, s)
		}
		return set, true
	}
	return nil, false
}

// cover returns literals one of which every match of re contains.
func cover(re *syntax.Regexp) ([]string, bool) {
	if s, ok := exactSet(re); ok {
		if slices.Contains(s, "") {
			return nil, false
		}
		return s, true
	}
	switch re.Op {
	case syntax.OpCapture:
		return cover(re.Sub[0])
	case syntax.OpPlus:
		return cover(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return cover(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			c, ok := cover(sub)
			if !ok {
				return nil, false
			}
			all = union(all, c)
		}
		return all, true
	case syntax.OpConcat:
		// Runs of finite sets multiply out, and a run may end with how
		// the next part begins; any run, or the cover of any other part,
		// will do: take the one with the longest shortest literal.
		var best []string
		found := false
		consider := func(c []string) {
			if !slices.Contains(c, "") && (!found || better(c, best)) {
				best, found = c, true
			}
		}
		run := []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if ok && len(run)*len(s) <= maxCoverSet {
				run = product(run, s)
				continue
			}
			if p := prefixSet(sub); len(run)*len(p) <= maxCoverSet {
				consider(product(run, p))
			} else {
				consider(run)
			}
			run = []string{""}
			if ok {
				run = s
			} else if c, ok := cover(sub); ok {
				consider(c)
			}
		}
		consider(run)
		return best, found
	}
	return nil, false
}

// prefixSet returns strings one of which every match of re starts with;
// at worst {""}.
func prefixSet(re *syntax.Regexp) []string {
	if s, ok := exactSet(re); ok {
		return s
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return prefixSet(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return prefixSet(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			all = union(all, prefixSet(sub))
			if len(all) > maxCoverSet {
				return []string{""}
			}
		}
		return all
	case syntax.OpConcat:
		run := []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if ok && len(run)*len(s) <= maxCoverSet {
				run = product(run, s)
				continue
			}
			if p := prefixSet(sub); len(run)*len(p) <= maxCoverSet {
				return product(run, p)
			}
			return run
		}
		return run
	}
	return []string{""}
}

// better reports whether cover a is more selective than b.
func better(a, b []string) bool {
	ma, mb := minLen(a), minLen(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minLen(set []string) int {
	if len(set) == 0 {
		return 1 << 30 // matches nothing: the best cover there is
	}
	m := len(set[0])
	for _, s := range set[1:] {
		m = min(m, len(s))
	}
	return m
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func product(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if s := x + y; !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
