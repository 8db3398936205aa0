package analyze

import (
	"bytes"
	"fmt"
)

// triggerSet tells whether a source holds any of a list of words (case
// sensitive), in one pass for the ASCII words: a case-folded scan finds
// the candidates, each confirmed with an exact search; the others are
// searched only in sources that are not all ASCII.
type triggerSet struct {
	words [][]byte // ASCII words; word i is group i of lits
	lits  *literalSet
	other [][]byte // words with bytes outside ASCII
}

func newTriggerSet(words [][]byte) *triggerSet {
	ts := &triggerSet{}
	var groups [][]string
	for _, w := range words {
		if isASCII(w) {
			ts.words = append(ts.words, w)
			groups = append(groups, []string{string(bytes.ToLower(w))})
		} else {
			ts.other = append(ts.other, w)
		}
	}
	if len(groups) > 64 {
		panic(fmt.Sprintf("triggerSet: %d ASCII words, at most 64", len(groups)))
	}
	ts.lits = newLiteralSet(groups)
	return ts
}

// match reports whether src contains one of the words.
func (ts *triggerSet) match(src []byte) bool {
	found, ascii := ts.lits.scanBytes(src)
	for g := 0; found != 0; g++ {
		if found&1 != 0 && bytes.Contains(src, ts.words[g]) {
			return true
		}
		found >>= 1
	}
	if ascii {
		return false
	}
	for _, w := range ts.other {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return false
}
