package analyze

import "regexp"

// coverFilter tells, in one pass over a text, which of a few regular
// expressions can match it: those one of whose cover literals occurs
// (see regexCover). Expressions without a cover always run, and on text
// that is not ASCII, for which covers do not hold, all do.
type coverFilter struct {
	res    []*regexp.Regexp
	lits   *literalSet
	always uint64 // expressions without a cover
}

func newCoverFilter(res ...*regexp.Regexp) *coverFilter {
	f := &coverFilter{res: res}
	groups := make([][]string, len(res))
	for i, re := range res {
		c, ok := regexCover(re.String())
		if !ok {
			f.always |= 1 << i
		}
		groups[i] = c
	}
	f.lits = newLiteralSet(groups)
	return f
}

// coverMatch is the expressions that may match one text.
type coverMatch struct {
	f     *coverFilter
	found uint64
}

func (f *coverFilter) candidates(s string) coverMatch {
	found, ascii := f.lits.scan(s)
	if !ascii {
		found = ^uint64(0)
	}
	return coverMatch{f, found | f.always}
}

// find returns re's leftmost match in s, skipping the search when re
// cannot match; re must be one of the filter's expressions.
func (m coverMatch) find(re *regexp.Regexp, s string) string {
	for i, r := range m.f.res {
		if r == re {
			if m.found&(1<<i) == 0 {
				return ""
			}
			return re.FindString(s)
		}
	}
	panic("coverFilter: expression not in the filter")
}
