package python

import (
	"maps"
	"slices"
)

// Loop variables and the statements of folded for loops: obfuscators
// decipher a payload into an accumulator, one character at a time:
//
//	out = ""
//	for i, c in enumerate(data):
//	    out += chr(ord(c) ^ ord(key[i % len(key)]))
//
// A loop whose body only assigns plain names, extends accumulators (+=,
// .append) and whose sequence is constant is run on the constants; the
// accumulators then hold the plaintext.

// targetNames returns the names a for target binds: one identifier, or a
// flat tuple of them; nil for anything else.
func (m *Module) targetNames(n int32) []string {
	t := m.Tree
	switch t.Nodes[n].Kind {
	case KIdentifier:
		return []string{t.Text(n)}
	case kPatternList, KTuple, KParenthesized:
		var out []string
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind != KIdentifier {
				return nil
			}
			out = append(out, t.Text(c))
		}
		return out
	}
	return nil
}

// bindTarget binds the slots of a for target's names to one element.
func (m *Module) bindTarget(slots []slot, e Value) bool {
	if len(slots) == 1 {
		m.setConst(slots[0], e)
		return true
	}
	if !e.IsSeq || len(e.Elems) != len(slots) {
		return false
	}
	for i, s := range slots {
		m.setConst(s, e.Elems[i])
	}
	return true
}

type savedConst struct {
	slot slot
	v    Value
	had  bool
}

func (m *Module) saveConsts(slots []slot) []savedConst {
	m.params.temp++
	out := make([]savedConst, len(slots))
	for i, s := range slots {
		v, had := m.constOf(s)
		out[i] = savedConst{s, v, had}
	}
	return out
}

func (m *Module) restoreConsts(saved []savedConst) {
	m.params.temp--
	for i := len(saved) - 1; i >= 0; i-- {
		s := saved[i]
		if s.had {
			m.setConst(s.slot, s.v)
		} else {
			m.unsetConst(s.slot)
		}
	}
}

// elemBudget bounds the nodes one element of a loop may visit.
const elemBudget = 512

// loopEval evaluates node n for one element of a folded loop, on the
// module's loop budget rather than the evaluation's.
func (m *Module) loopEval(n int32, depth int) (Value, bool) {
	if m.loopWork >= maxLoopWork {
		return Value{}, false
	}
	outer := m.budget
	m.budget = elemBudget
	v := m.eval(n, depth+1)
	m.loopWork += elemBudget - m.budget
	spent := m.budget < 0
	m.budget = outer
	return v, !spent
}

// foldLoop runs the for statement n on constants, binding what its
// accumulators hold after it. It reports whether it could.
func (m *Module) foldLoop(n int32, depth int) bool {
	t := m.Tree
	left, right, body := t.ChildByField(n, FLeft), t.ChildByField(n, FRight), t.ChildByField(n, FBody)
	if left < 0 || right < 0 || body < 0 || t.NextSibling(body) >= 0 {
		return false // an else clause
	}
	names := m.targetNames(left)
	if names == nil {
		return false
	}
	type step struct {
		target string
		value  int32
		kind   int // 0 plain assignment, 1 +=, 2 .append, 3 .extend
	}
	var steps []step
	accs := map[string]bool{}
	for s := t.FirstChild(body); s >= 0; s = t.NextSibling(s) {
		k := t.Nodes[s].Kind
		if k == KComment {
			continue
		}
		if k != KExpressionStmt || len(steps) >= maxHelperSteps {
			return false
		}
		e := t.FirstChild(s)
		switch t.Nodes[e].Kind {
		case KAssignment:
			l, r := t.ChildByField(e, FLeft), t.ChildByField(e, FRight)
			if l < 0 || r < 0 || t.Nodes[l].Kind != KIdentifier {
				return false
			}
			// out = out + x is out += x.
			if t.Nodes[r].Kind == KBinaryOperator {
				if rl, rr := t.ChildByField(r, FLeft), t.ChildByField(r, FRight); rl >= 0 && rr >= 0 &&
					t.Nodes[rl].Kind == KIdentifier && t.Text(rl) == t.Text(l) && augAdd(t, rl, rr) {
					steps = append(steps, step{t.Text(l), rr, 1})
					accs[t.Text(l)] = true
					continue
				}
			}
			steps = append(steps, step{t.Text(l), r, 0})
		case KAugAssignment:
			l, r := t.ChildByField(e, FLeft), t.ChildByField(e, FRight)
			if l < 0 || r < 0 || t.Nodes[l].Kind != KIdentifier || !augAdd(t, l, r) {
				return false
			}
			steps = append(steps, step{t.Text(l), r, 1})
			accs[t.Text(l)] = true
		case KCall:
			fn, args := t.ChildByField(e, FFunction), m.callArgs(e)
			if fn < 0 || t.Nodes[fn].Kind != KAttribute || len(args) != 1 {
				return false
			}
			obj := t.ChildByField(fn, FObject)
			if t.Nodes[obj].Kind != KIdentifier {
				return false
			}
			kind := map[string]int{"append": 2, "extend": 3}[fieldText(t, fn, FAttribute)]
			if kind == 0 {
				return false
			}
			steps = append(steps, step{t.Text(obj), args[0], kind})
			accs[t.Text(obj)] = true
		default:
			return false
		}
	}
	if len(accs) == 0 {
		return false
	}
	init := map[string]Value{}
	for a := range accs {
		v, ok := m.initialValue(n, a, depth)
		if !ok {
			return false
		}
		init[a] = v
	}
	cipher := m.cipherOf(body)
	seq := m.evalSeq(right, depth, cipher != "")
	in, ok := seqElems(seq)
	if !ok {
		return false
	}
	// The loop's names are bound where its body reads them: in the
	// scope of the function around the loop.
	var temps []string
	for _, s := range steps {
		if s.kind == 0 {
			temps = append(temps, s.target)
		}
	}
	slots := m.slotsAt(n, names)
	saved := m.saveConsts(append(slots, m.slotsAt(n, temps)...))
	acc := map[string]*accumulator{}
	for a, v := range init {
		acc[a] = newAccumulator(v)
		m.unsetConst(m.slotAt(n, a)) // a body reading its accumulator is not folded
	}
	failed := false
	for _, e := range in {
		if !m.bindTarget(slots, e) {
			failed = true
			break
		}
		for _, s := range steps {
			v, ok := m.loopEval(s.value, depth)
			if !ok {
				failed = true
				break
			}
			switch {
			case s.kind == 0:
				m.setConst(m.slotAt(n, s.target), v)
			case !acc[s.target].add(v, s.kind == 3):
				failed = true
			}
			if failed {
				break
			}
		}
		if failed {
			break
		}
	}
	m.restoreConsts(saved)
	if failed {
		for a, v := range init {
			m.setConst(m.slotAt(n, a), v)
		}
		return false
	}
	// In order of name: the loop's payload is the same from run to run.
	for _, a := range slices.Sorted(maps.Keys(acc)) {
		v := acc[a].value()
		if items, ok := seqElems(v); cipher != "" && ok && changed(in, items) {
			v.Decoders = withDecoder(seq.Decoders, cipher)
		}
		m.setConst(m.slotAt(n, a), v)
		if v.Known && len(v.Decoders) > 0 {
			m.addPayload(n, v)
		}
	}
	return true
}

// augAdd reports "name += expr" (not -=, |= ...).
func augAdd(t *Tree, l, r int32) bool {
	op := string(t.Src[t.Nodes[l].End:t.Nodes[r].Start])
	for _, c := range op {
		if c != ' ' && c != '\t' && c != '+' && c != '=' {
			return false
		}
	}
	return true
}

// initialValue is what accumulator a holds before the loop at n: the
// nearest plain assignment to it among the statements before the loop.
func (m *Module) initialValue(n int32, a string, depth int) (Value, bool) {
	t := m.Tree
	p := t.Nodes[n].Parent
	if p < 0 {
		return Value{}, false
	}
	var found int32 = -1
	for s := t.FirstChild(p); s >= 0 && s != n; s = t.NextSibling(s) {
		if t.Nodes[s].Kind != KExpressionStmt {
			continue
		}
		e := t.FirstChild(s)
		if e >= 0 && t.Nodes[e].Kind == KAssignment {
			if l := t.ChildByField(e, FLeft); l >= 0 && t.Nodes[l].Kind == KIdentifier && t.Text(l) == a {
				found = t.ChildByField(e, FRight)
			}
		}
	}
	if found < 0 {
		return Value{}, false
	}
	v := m.eval(found, depth+1)
	if !v.Known && !(v.IsSeq && !v.Cycle) {
		return Value{}, false
	}
	return v, true
}

// accumulator collects what a folded loop appends to a name.
type accumulator struct {
	text  []byte
	elems []Value
	seq   bool
	bytes bool
}

func newAccumulator(v Value) *accumulator {
	a := &accumulator{seq: v.IsSeq, bytes: v.Bytes}
	if v.IsSeq {
		a.elems = append([]Value{}, v.Elems...)
	} else {
		a.text = []byte(v.S)
	}
	return a
}

// add appends v (the elements of v, for extend and += on a list).
func (a *accumulator) add(v Value, extend bool) bool {
	if a.seq {
		if !extend {
			a.elems = append(a.elems, v)
			return len(a.elems) <= maxLoopElems
		}
		es, ok := seqElems(v)
		a.elems = append(a.elems, es...)
		return ok && len(a.elems) <= maxLoopElems
	}
	switch {
	case v.Known:
		a.text = append(a.text, v.S...)
	case v.IsInt && a.bytes && v.Int >= 0 && v.Int < 256:
		a.text = append(a.text, byte(v.Int))
	case v.IsSeq && a.bytes:
		for _, e := range v.Elems {
			if !e.IsInt || e.Int < 0 || e.Int > 255 {
				return false
			}
			a.text = append(a.text, byte(e.Int))
		}
	default:
		return false
	}
	return len(a.text) <= maxValueLen
}

func (a *accumulator) value() Value {
	if a.seq {
		return Value{Elems: a.elems, IsSeq: true}
	}
	return Value{S: string(a.text), Known: true, Bytes: a.bytes}
}

// evalSeq evaluates the sequence a loop visits; long generated sequences
// only for a loop that may decipher (want).
func (m *Module) evalSeq(n int32, depth int, want bool) Value {
	old := m.wantSeq
	m.wantSeq = want
	v := m.eval(n, depth+1)
	m.wantSeq = old
	return v
}
