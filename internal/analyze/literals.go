package analyze

import (
	"fmt"
	"strings"
)

// literalSet tells which groups of lower-case ASCII literals occur in a
// text, in one pass: an Aho–Corasick automaton compiled to a DFA over byte
// classes. ASCII letters are folded to lower case as the text is read, so
// for ASCII text it finds what strings.Contains(strings.ToLower(s), lit)
// would.
type literalSet struct {
	class  [256]uint8
	nclass int
	next   []uint16 // next[state*nclass+class]
	out    []uint64 // groups with a literal ending at the state
}

// newLiteralSet compiles groups of literals; group i sets bit i. It panics
// on more than 64 groups or a literal that is not lower-case ASCII.
func newLiteralSet(groups [][]string) *literalSet {
	if len(groups) > 64 {
		panic("literalSet: more than 64 groups")
	}
	ls := &literalSet{nclass: 1}
	for _, lits := range groups {
		for _, lit := range lits {
			if lit == "" || lit != strings.ToLower(lit) {
				panic(fmt.Sprintf("literalSet: literal %q is empty or not lower case", lit))
			}
			for i := 0; i < len(lit); i++ {
				if lit[i] >= 0x80 {
					panic(fmt.Sprintf("literalSet: literal %q is not ASCII", lit))
				}
				if ls.class[lit[i]] == 0 {
					ls.class[lit[i]] = uint8(ls.nclass)
					ls.nclass++
				}
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		ls.class[b] = ls.class[b+'a'-'A']
	}
	// The trie, with -1 for a missing edge.
	trie := [][]int32{ls.newState()}
	ls.out = []uint64{0}
	for g, lits := range groups {
		for _, lit := range lits {
			s := int32(0)
			for i := 0; i < len(lit); i++ {
				c := ls.class[lit[i]]
				if trie[s][c] < 0 {
					trie[s][c] = int32(len(trie))
					trie = append(trie, ls.newState())
					ls.out = append(ls.out, 0)
				}
				s = trie[s][c]
			}
			ls.out[s] |= 1 << g
		}
	}
	if len(trie) > 1<<16 {
		panic("literalSet: too many states")
	}
	// Breadth-first, each state's missing edges take those of its failure
	// state, which is shallower and so already complete.
	ls.next = make([]uint16, len(trie)*ls.nclass)
	fail := make([]int32, len(trie))
	queue := []int32{}
	for c := 0; c < ls.nclass; c++ {
		if t := trie[0][c]; t > 0 {
			ls.next[c] = uint16(t)
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		ls.out[s] |= ls.out[fail[s]]
		for c := 0; c < ls.nclass; c++ {
			f := ls.next[int(fail[s])*ls.nclass+c]
			if t := trie[s][c]; t >= 0 {
				ls.next[int(s)*ls.nclass+c] = uint16(t)
				fail[t] = int32(f)
				queue = append(queue, t)
			} else {
				ls.next[int(s)*ls.nclass+c] = f
			}
		}
	}
	return ls
}

func (ls *literalSet) newState() []int32 {
	s := make([]int32, ls.nclass)
	for i := range s {
		s[i] = -1
	}
	return s
}

// scan returns the groups with a literal in s, ASCII letters folded to
// lower case, and whether s is all ASCII.
func (ls *literalSet) scan(s string) (found uint64, ascii bool) { return scanText(ls, s) }

// scanBytes is scan for a byte slice.
func (ls *literalSet) scanBytes(b []byte) (found uint64, ascii bool) { return scanText(ls, b) }

func scanText[T string | []byte](ls *literalSet, s T) (found uint64, ascii bool) {
	var st uint16
	var or byte
	n := ls.nclass
	for i := 0; i < len(s); i++ {
		b := s[i]
		or |= b
		st = ls.next[int(st)*n+int(ls.class[b])]
		found |= ls.out[st]
	}
	return found, or < 0x80
}

// ends calls yield with the end offset of each occurrence in s of a
// literal of the given groups, in order, until yield returns false. With
// folds, it also yields the end of each Kelvin sign and long s, the two
// characters that case-insensitive matching takes for ASCII letters
// (k and s): a literal spelled with them holds one.
func (ls *literalSet) ends(s string, groups uint64, folds bool, yield func(end int) bool) {
	var st uint16
	n := ls.nclass
	for i := 0; i < len(s); i++ {
		b := s[i]
		st = ls.next[int(st)*n+int(ls.class[b])]
		if ls.out[st]&groups != 0 && !yield(i+1) {
			return
		}
		if folds && (b == 0xAA && i >= 2 && s[i-2:i+1] == "\u212A" || b == 0xBF && i >= 1 && s[i-1:i+1] == "\u017F") && !yield(i+1) {
			return
		}
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
