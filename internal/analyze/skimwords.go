package analyze

import (
	"bytes"
	"sync"
)

// skimWords answers both trigger questions of a skimmed file (a behaviour
// trigger or pair, and an any-context trigger) in one case-folded pass
// over its text, where separate sets (triggerSet) took up to four
// passes for a file that holds neither: every word sits in a group of its
// own role, and the candidates the pass finds are confirmed as
// triggerSet confirms them.
type skimWords struct {
	groups [][]roleWord // ASCII words; group i of lits holds groups[i]
	lits   *literalSet
	other  []roleWord // words with bytes outside ASCII
	pairs  int
}

// roleWord is a trigger word and its role: roleBehaviour, roleAny, or
// rolePair+2k for the words of pair k and rolePair+2k+1 for its With.
type roleWord struct {
	w    []byte
	role int
}

const (
	roleBehaviour = iota
	roleAny
	rolePair
)

// maxPairs bounds the rules' trigger pairs: each takes two role bits.
const maxPairs = (64 - rolePair) / 2

var skimTriggers = sync.OnceValue(func() *skimWords {
	b, a := triggerWords(Rules)
	var words []roleWord
	add := func(list [][]byte, role int) {
		for _, w := range list {
			words = append(words, roleWord{w, role})
		}
	}
	add(b, roleBehaviour)
	add(a, roleAny)
	sw := &skimWords{}
	for _, r := range Rules {
		for _, p := range r.Info().TriggerPairs {
			if sw.pairs == maxPairs {
				panic("skimWords: too many trigger pairs")
			}
			add(toBytes(p.Words), rolePair+2*sw.pairs)
			add(toBytes(p.With), rolePair+2*sw.pairs+1)
			sw.pairs++
		}
	}
	// Each role gets groups in proportion to its words, at least one.
	byRole := map[int][]roleWord{}
	var roles []int
	ascii := 0
	for _, rw := range words {
		if !isASCII(rw.w) {
			sw.other = append(sw.other, rw)
			continue
		}
		if _, ok := byRole[rw.role]; !ok {
			roles = append(roles, rw.role)
		}
		byRole[rw.role] = append(byRole[rw.role], rw)
		ascii++
	}
	spare := maxGroups - len(roles)
	var lits [][]string
	for _, role := range roles {
		list := byRole[role]
		n := min(len(list), 1+spare*len(list)/ascii)
		first := len(sw.groups)
		for range n {
			sw.groups = append(sw.groups, nil)
			lits = append(lits, nil)
		}
		for i, rw := range list {
			g := first + i%n
			sw.groups[g] = append(sw.groups[g], rw)
			lits[g] = append(lits[g], string(bytes.ToLower(rw.w)))
		}
	}
	sw.lits = newLiteralSet(lits)
	return sw
})

// match reports whether src holds a behaviour trigger (a word, or both
// sides of a pair) and, when it holds none, whether it holds an
// any-context one; anyContext is false when behaviour is true.
func (sw *skimWords) match(src []byte) (behaviour, anyContext bool) {
	var seen uint64
	confirm := func(rw roleWord) bool {
		if seen&(1<<rw.role) != 0 {
			return false
		}
		ok := rw.role >= rolePair && string(rw.w) == `\x` && bytes.Contains(src, rw.w) || containsTrigger(src, rw.w)
		if ok {
			seen |= 1 << rw.role
		}
		return ok && rw.role == roleBehaviour
	}
	found, ascii := sw.lits.scanBytes(src)
	for g := 0; found != 0; g++ {
		if found&1 != 0 {
			for _, rw := range sw.groups[g] {
				if confirm(rw) {
					return true, false
				}
			}
		}
		found >>= 1
	}
	if !ascii {
		for _, rw := range sw.other {
			if confirm(rw) {
				return true, false
			}
		}
	}
	for k := range sw.pairs {
		if bits := uint64(3) << (rolePair + 2*k); seen&bits == bits {
			return true, false
		}
	}
	return false, seen&(1<<roleAny) != 0
}
