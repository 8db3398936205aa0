package python

import (
	"slices"
	"strings"
	"unicode"
)

// Conditions on constants. A character map written as a comprehension
// keeps some characters and shifts the rest ("".join(chr(219 - ord(c)) if
// c.islower() else c for c in s)): folding it needs the condition's
// truth for each character. Only what a constant decides is answered:
// comparisons of known strings and integers, membership, the str.is*
// predicates, not, and, or.

// evalConditional folds "a if cond else b" when cond is decided by
// constants.
func (m *Module) evalConditional(n int32, depth int) (Value, bool) {
	t := m.Tree
	yes := t.FirstChild(n)
	if yes < 0 {
		return Value{}, false
	}
	cond := t.NextSibling(yes)
	if cond < 0 {
		return Value{}, false
	}
	no := t.NextSibling(cond)
	if no < 0 {
		return Value{}, false
	}
	b, ok := m.truth(cond, depth)
	switch {
	case !ok:
		return Value{}, false
	case b:
		return m.eval(yes, depth+1), true
	default:
		return m.eval(no, depth+1), true
	}
}

// truth reports what condition n is, when constants decide it.
func (m *Module) truth(n int32, depth int) (bool, bool) {
	t := m.Tree
	if depth > 64 || m.budget < 0 {
		return false, false
	}
	switch t.Nodes[n].Kind {
	case kTrue:
		return true, true
	case kFalse:
		return false, true
	case KParenthesized:
		if c := t.FirstChild(n); c >= 0 {
			return m.truth(c, depth+1)
		}
	case kNotOperator:
		if c := t.ChildByField(n, FArgument); c >= 0 {
			b, ok := m.truth(c, depth+1)
			return !b, ok
		}
	case KBooleanOperator:
		l, r := t.ChildByField(n, FLeft), t.ChildByField(n, FRight)
		if l < 0 || r < 0 {
			return false, false
		}
		lb, lok := m.truth(l, depth+1)
		rb, rok := m.truth(r, depth+1)
		if !lok || !rok {
			return false, false
		}
		if strings.TrimSpace(string(t.Src[t.Nodes[l].End:t.Nodes[r].Start])) == "and" {
			return lb && rb, true
		}
		return lb || rb, true
	case kComparison:
		return m.compare(n, depth)
	case KCall:
		return m.strPredicate(n, depth)
	}
	return false, false
}

// compare decides a comparison, chained or not (a <= c <= z), of known
// strings or integers; the operator is read between the operands.
func (m *Module) compare(n int32, depth int) (bool, bool) {
	t := m.Tree
	var operands []int32
	for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
		if t.Nodes[c].Kind != KComment {
			operands = append(operands, c)
		}
	}
	if len(operands) < 2 || len(operands) > 4 {
		return false, false
	}
	vals := make([]Value, len(operands))
	for i, o := range operands {
		vals[i] = m.eval(o, depth+1)
	}
	for i := 1; i < len(operands); i++ {
		op := strings.Join(strings.Fields(string(t.Src[t.Nodes[operands[i-1]].End:t.Nodes[operands[i]].Start])), " ")
		b, ok := compareValues(op, vals[i-1], vals[i])
		if !ok {
			return false, false
		}
		if !b {
			return false, true
		}
	}
	return true, true
}

func compareValues(op string, a, b Value) (bool, bool) {
	switch {
	case a.IsInt && b.IsInt:
		switch op {
		case "==":
			return a.Int == b.Int, true
		case "!=":
			return a.Int != b.Int, true
		case "<":
			return a.Int < b.Int, true
		case "<=":
			return a.Int <= b.Int, true
		case ">":
			return a.Int > b.Int, true
		case ">=":
			return a.Int >= b.Int, true
		}
	case a.Known && b.Known && !a.IsSeq && !b.IsSeq:
		switch op {
		case "==":
			return a.S == b.S, true
		case "!=":
			return a.S != b.S, true
		case "<":
			return a.S < b.S, true
		case "<=":
			return a.S <= b.S, true
		case ">":
			return a.S > b.S, true
		case ">=":
			return a.S >= b.S, true
		case "in":
			return strings.Contains(b.S, a.S), true
		case "not in":
			return !strings.Contains(b.S, a.S), true
		}
	case a.Known && b.IsSeq && (op == "in" || op == "not in"):
		in := false
		for _, e := range b.Elems {
			if !e.Known {
				return false, false
			}
			in = in || e.S == a.S
		}
		return in == (op == "in"), true
	}
	return false, false
}

// strPredicate decides s.islower(), s.isupper(), s.isalpha(),
// s.isdigit(), s.isalnum() and s.isspace() on a known string.
func (m *Module) strPredicate(n int32, depth int) (bool, bool) {
	t := m.Tree
	fn := t.ChildByField(n, FFunction)
	if fn < 0 || t.Nodes[fn].Kind != KAttribute {
		return false, false
	}
	recv := m.eval(t.ChildByField(fn, FObject), depth+1)
	if !recv.Known || recv.IsSeq || recv.S == "" {
		return false, false
	}
	s := []rune(recv.S)
	all := func(f func(rune) bool) bool { return !slices.ContainsFunc(s, func(r rune) bool { return !f(r) }) }
	cased := slices.ContainsFunc(s, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) })
	switch fieldText(t, fn, FAttribute) {
	case "islower":
		return cased && !slices.ContainsFunc(s, unicode.IsUpper), true
	case "isupper":
		return cased && !slices.ContainsFunc(s, unicode.IsLower), true
	case "isalpha":
		return all(unicode.IsLetter), true
	case "isdigit":
		return all(unicode.IsDigit), true
	case "isalnum":
		return all(func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }), true
	case "isspace":
		return all(unicode.IsSpace), true
	}
	return false, false
}
