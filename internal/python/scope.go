package python

import "slices"

// Scopes. What a name holds is recorded per scope, flow-insensitively as
// before but no longer for the whole file: a name a function binds
// (assigns, loops over, takes as a parameter, catches, defines) is local
// to that function unless it declares the name global (the binding is
// then the module's) or nonlocal (an enclosing function's). An identifier
// reads the innermost enclosing function that binds its name, else the
// module. Class bodies and comprehensions belong to the scope around
// them; lambdas bind nothing.
//
// Most names are never bound inside a function: m.locals lists, for the
// names that are, the functions that bind them (in m.localFns); the others
// are kept, and looked up, by name alone as they always were. Imports and methods bound
// to constants (m.bound) stay module-wide.

// slot is where one binding of a name is kept: the function that binds
// it, or -1 for the module.
type slot struct {
	fn   int32
	name string
}

// How a function declares a name.
const (
	scopeGlobal uint8 = iota + 1
	scopeNonlocal
)

// scopeNode records what node n binds or declares in the function
// around it. Extract calls it on each node in order, once m.encl[n] is
// known, then sortLocals.
func (m *Module) scopeNode(n int32) {
	t := m.Tree
	k := t.Nodes[n].Kind
	if k == KFunctionDef {
		m.addParams(n)
		if name := t.ChildByField(n, FName); name >= 0 {
			m.setLocal(m.encl[n], name)
		}
		return
	}
	fn := m.encl[n]
	if fn < 0 {
		return
	}
	switch k {
	case KAssignment, KAugAssignment, kFor, kForIn:
		m.localPattern(fn, t.ChildByField(n, FLeft))
	case kNamedExpr:
		m.localPattern(fn, t.ChildByField(n, FName))
	case kAsPattern, kExceptClause:
		m.localPattern(fn, t.ChildByField(n, FAlias))
	case KClassDef:
		if name := t.ChildByField(n, FName); name >= 0 {
			m.setLocal(fn, name)
		}
	case kGlobal, kNonlocal:
		how := scopeGlobal
		if k == kNonlocal {
			how = scopeNonlocal
		}
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind == KIdentifier {
				m.declare(fn, t.Text(c), how)
			}
		}
	}
}

// addParams makes the parameters of function fn its locals.
func (m *Module) addParams(fn int32) {
	t := m.Tree
	ps := t.ChildByField(fn, fParameters)
	if ps < 0 {
		return
	}
	for p := t.FirstChild(ps); p >= 0; p = t.NextSibling(p) {
		switch t.Nodes[p].Kind {
		case KIdentifier, kListSplatPattern, kDictSplatPattern:
			m.localPattern(fn, p)
		case kDefaultParam, kTypedParam, kTypedDefaultParam:
			name := t.ChildByField(p, FName)
			if name < 0 {
				name = t.FirstChild(p) // typed_parameter: "x: int", "*a: int"
			}
			m.localPattern(fn, name)
		}
	}
}

// localPattern makes the names a binding target holds locals of fn:
// "x", "a, (b, *c)", "[d, e]"; not attributes or subscripts.
func (m *Module) localPattern(fn, n int32) {
	if n < 0 {
		return
	}
	t := m.Tree
	switch t.Nodes[n].Kind {
	case KIdentifier:
		m.setLocal(fn, n)
	case kPatternList, kTuplePattern, kListPattern, KTuple, KList, KParenthesized,
		kListSplatPattern, kDictSplatPattern, kAsPatternTarget:
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			m.localPattern(fn, c)
		}
	}
}

// setLocal records that function fn binds the identifier at node n
// (nothing at module level). Functions bind the same few names over and
// over: a name's text is copied once.
func (m *Module) setLocal(fn, n int32) {
	if fn < 0 {
		return
	}
	i, ok := m.locals[string(m.Tree.Bytes(n))]
	if !ok {
		i = int32(len(m.localFns))
		m.locals[m.Tree.Text(n)] = i
		m.localFns = append(m.localFns, nil)
	}
	if fns := m.localFns[i]; len(fns) == 0 || fns[len(fns)-1] != fn {
		m.localFns[i] = append(fns, fn)
	}
}

// sortLocals puts each name's functions in order: a function's bindings
// after a nested function's come out of order.
func (m *Module) sortLocals() {
	for i, fns := range m.localFns {
		if !slices.IsSorted(fns) {
			slices.Sort(fns)
			m.localFns[i] = slices.Compact(fns)
		}
	}
}

// declare records "global name" or "nonlocal name" in function fn: it
// wins over any binding, wherever it appears in the function.
func (m *Module) declare(fn int32, name string, how uint8) {
	if m.declared == nil {
		m.declared = map[slot]uint8{}
	}
	m.declared[slot{fn, name}] = how
}

// slotAt is the slot an identifier called name at node n reads and
// writes.
func (m *Module) slotAt(n int32, name string) slot {
	i, ok := m.locals[name]
	if !ok {
		return slot{-1, name}
	}
	return m.lookupFrom(m.encl[n], name, m.localFns[i])
}

// slotIn is the slot name refers to in the body of function fn.
func (m *Module) slotIn(fn int32, name string) slot {
	i, ok := m.locals[name]
	if !ok {
		return slot{-1, name}
	}
	return m.lookupFrom(fn, name, m.localFns[i])
}

// VarScope returns the function whose variable name is, read in the body
// of function fn (-1 for module level): the innermost function around it
// that binds the name, or -1 for the module's.
func (m *Module) VarScope(fn int32, name string) int32 { return m.slotIn(fn, name).fn }

// lookupFrom walks out from function fn to the first function that binds
// name (fns, in order), or declares it global.
func (m *Module) lookupFrom(fn int32, name string, fns []int32) slot {
	for f := fn; f >= 0; f = m.encl[f] {
		if m.declared != nil {
			switch m.declared[slot{f, name}] {
			case scopeGlobal:
				return slot{-1, name}
			case scopeNonlocal:
				continue
			}
		}
		if _, ok := slices.BinarySearch(fns, f); ok {
			return slot{f, name}
		}
	}
	return slot{-1, name}
}

// slotsAt returns the slots of names bound at node n.
func (m *Module) slotsAt(n int32, names []string) []slot {
	out := make([]slot, len(names))
	for i, name := range names {
		out[i] = m.slotAt(n, name)
	}
	return out
}

func (m *Module) constOf(s slot) (Value, bool) {
	if s.fn < 0 {
		v, ok := m.consts[s.name]
		return v, ok
	}
	v, ok := m.lconsts[s]
	return v, ok
}

func (m *Module) setConst(s slot, v Value) { setIn(m.consts, &m.lconsts, s, v) }

// setIn records v for slot s: in the module's table, keyed by name, for a
// module-level slot, else in the functions' table (made on first use).
func setIn[V any](module map[string]V, local *map[slot]V, s slot, v V) {
	if s.fn < 0 {
		module[s.name] = v
		return
	}
	if *local == nil {
		*local = map[slot]V{}
	}
	(*local)[s] = v
}

func (m *Module) unsetConst(s slot) {
	if s.fn < 0 {
		delete(m.consts, s.name)
		return
	}
	delete(m.lconsts, s)
}

func (m *Module) flowsOf(s slot) []string {
	if s.fn < 0 {
		return m.flows[s.name]
	}
	return m.lflows[s]
}

func (m *Module) setFlows(s slot, from []string) { setIn(m.flows, &m.lflows, s, from) }

// canonicalOf is the canonical name the name in slot s stands for: what
// an assignment in its scope made it, else what an import (or a
// module-level assignment) did.
func (m *Module) canonicalOf(s slot) (string, bool) {
	if s.fn >= 0 {
		if c, ok := m.lnames[s]; ok {
			return c, true
		}
	}
	c, ok := m.names[s.name]
	return c, ok
}

func (m *Module) setCanonical(s slot, c string) { setIn(m.names, &m.lnames, s, c) }
