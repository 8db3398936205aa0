package python

import "strings"

// Parameters. Code inside a function is evaluated on its own — the
// analysis evaluates the arguments of every call in the file — and a
// parameter's value comes from the calls of the function. Flow-insensitive
// and cheap: when every call of the function in the module passes the same
// constant for a parameter (or omits it and its default is that constant),
// the parameter holds that constant; whatever the call sites pass, their
// flows are the parameter's.
//
//	def run_exe(exe_path):
//	    subprocess.Popen(exe_path)          # "pics.exe"
//	def main():
//	    exe_path = "pics.exe"
//	    run_exe(exe_path)
//
// A function's calls are found by name: a plain function's (at module
// level or nested) by its name in the scope that defines it; a method's as
// self.m(...), cls.m(...) in its class, Class.m(...) or x.m(...) for
// x = Class(). A reference that is not a call (a callback, a stored
// function, a decorator other than staticmethod and classmethod) may pass
// anything: the parameter then holds no constant, though it keeps the
// flows of the calls found. A parameter the function rebinds is left to its
// bindings.

// maxParamSites bounds the calls of a function a parameter's value is
// taken from; maxParamChain bounds the parameters being computed at once
// (one's calls passing another's parameter).
const (
	maxParamSites = 32
	maxParamChain = 16
)

// paramSpec is one parameter of a function.
type paramSpec struct {
	name string
	pos  int   // position among the positional parameters, -1 if keyword-only
	def  int32 // default value node, or -1
}

// paramSite is one call of a function: positional argument i binds the
// parameter at position i+off (off is 1 for a bound method's self).
type paramSite struct {
	call int32
	off  int
}

// funcParams is what the evaluator knows about one function's parameters
// and calls, computed once.
type funcParams struct {
	params  []paramSpec
	rebound map[string]bool // parameters the function (or a closure, nonlocal) rebinds
	method  bool
	static  bool
	classm  bool
	// decorated by something other than staticmethod or classmethod: the
	// decorator may call it with anything.
	decorated bool
	sites     []paramSite
	sitesOK   bool // sites computed
	// opaque: the function is referenced other than by calls it can
	// resolve, or has more calls than maxParamSites.
	opaque bool
}

type paramResult struct {
	v  Value
	ok bool
}

// paramState is the evaluator's state for parameters.
type paramState struct {
	ready bool // functions are known (after Extract's first pass)
	funcs map[int32]*funcParams
	// funcIdx maps function nodes to m.Funcs; occ lists, per function
	// name, the identifiers spelling it (not definitions, not keyword
	// names). Built on first use.
	funcIdx map[int32]int
	occ     map[string][]int32
	defs    map[slot]int // plain functions of each name in each scope
	cache   map[slot]paramResult
	stack   []slot
	// minCut is the lowest stack index a cycle was cut at since the
	// innermost computation began.
	minCut int
	// temp counts the temporary bindings in force (loop variables,
	// inlined helpers' parameters): values computed under them are not
	// kept.
	temp int
	// truncs counts evaluations cut by the budget or the depth limit.
	truncs int
}

// paramValue returns what parameter s holds from its function's calls;
// false when s is not a parameter, the function rebinds it, or no call
// of the function is found.
func (m *Module) paramValue(s slot, depth int) (Value, bool) {
	ps := &m.params
	if !ps.ready || s.fn < 0 {
		return Value{}, false
	}
	fp := m.funcParamsOf(s.fn)
	spec := -1
	for i := range fp.params {
		if fp.params[i].name == s.name {
			spec = i
			break
		}
	}
	if spec < 0 || fp.rebound[s.name] {
		return Value{}, false
	}
	p := fp.params[spec]
	if fp.method && !fp.static && p.pos == 0 {
		return Value{}, false // self, cls
	}
	if r, ok := ps.cache[s]; ok {
		return r.v, r.ok
	}
	for i, o := range ps.stack {
		if o == s {
			ps.minCut = min(ps.minCut, i)
			return Value{}, false
		}
	}
	if len(ps.stack) >= maxParamChain {
		ps.truncs++
		return Value{}, false
	}
	m.paramSitesOf(s.fn, fp)
	if len(fp.sites) == 0 {
		return Value{}, false
	}
	me := len(ps.stack)
	ps.stack = append(ps.stack, s)
	outerCut, truncs := ps.minCut, ps.truncs
	ps.minCut = me + 1
	v, ok := m.paramCompute(fp, p, depth)
	ps.stack = ps.stack[:me]
	if ps.minCut >= me && ps.truncs == truncs && ps.temp == 0 {
		if ps.cache == nil {
			ps.cache = map[slot]paramResult{}
		}
		ps.cache[s] = paramResult{v, ok}
	}
	ps.minCut = min(outerCut, ps.minCut)
	return v, ok
}

// paramCompute merges what the calls of a function pass for parameter p.
func (m *Module) paramCompute(fp *funcParams, p paramSpec, depth int) (Value, bool) {
	t := m.Tree
	var first Value
	agree, any := !fp.opaque && !fp.decorated, false
	var vals []Value
	add := func(v Value) {
		if !any {
			first, any = v, true
			agree = agree && (v.Known || v.IsInt || v.Partial != "")
		} else if agree && !sameConst(first, v) {
			agree = false
		}
		if len(v.From) > 0 {
			vals = append(vals, v)
		}
	}
	for _, site := range fp.sites {
		arg, splat := m.siteArg(site, p)
		if arg < 0 {
			if splat || p.def < 0 {
				agree = false // *args, **kwargs; or a call missing it
				continue
			}
			arg = p.def
		}
		if t.Nodes[arg].Kind == KIdentifier && m.onParamStack(arg) {
			continue // passed on unchanged in a cycle: adds nothing
		}
		add(m.eval(arg, depth+1))
	}
	if !any {
		return Value{}, false
	}
	if !agree {
		return Value{From: merge(vals...)}, true
	}
	v := first
	v.From = merge(vals...)
	return v, true
}

// onParamStack reports an identifier reading a parameter being computed,
// recording the cycle.
func (m *Module) onParamStack(id int32) bool {
	ps := &m.params
	if len(ps.stack) == 0 {
		return false
	}
	s := m.slotAt(id, m.Tree.Text(id))
	for i, o := range ps.stack {
		if o == s {
			ps.minCut = min(ps.minCut, i)
			return true
		}
	}
	return false
}

// sameConst reports two values holding the same constant.
func sameConst(a, b Value) bool {
	switch {
	case a.Known:
		return b.Known && a.S == b.S && a.Bytes == b.Bytes
	case a.IsInt:
		return b.IsInt && a.Int == b.Int
	case a.Partial != "":
		return !b.Known && !b.IsInt && a.Partial == b.Partial
	}
	return false
}

// siteArg returns the argument a call passes for parameter p, or -1;
// splat reports a *args or **kwargs argument that may hold it.
func (m *Module) siteArg(site paramSite, p paramSpec) (arg int32, splat bool) {
	t := m.Tree
	args := t.ChildByField(site.call, FArguments)
	if args < 0 || t.Nodes[args].Kind != KArgumentList {
		return -1, args >= 0 // f(x for x in y): one positional argument
	}
	i := 0
	arg = -1
	for a := t.FirstChild(args); a >= 0; a = t.NextSibling(a) {
		switch t.Nodes[a].Kind {
		case KComment:
		case kListSplat, kDictSplat:
			splat = true
		case KKeywordArgument:
			if arg < 0 && fieldText(t, a, FName) == p.name {
				arg = t.ChildByField(a, FValue)
			}
		default:
			if p.pos >= 0 && i+site.off == p.pos && !splat {
				arg = a
			}
			i++
		}
	}
	return arg, splat
}

// funcParamsOf returns what is known of the parameters of function fn.
func (m *Module) funcParamsOf(fn int32) *funcParams {
	ps := &m.params
	if fp, ok := ps.funcs[fn]; ok {
		return fp
	}
	if ps.funcs == nil {
		ps.funcs = map[int32]*funcParams{}
	}
	fp := &funcParams{}
	ps.funcs[fn] = fp
	t := m.Tree
	if pl := t.ChildByField(fn, fParameters); pl >= 0 {
		pos := 0
		for p := t.FirstChild(pl); p >= 0; p = t.NextSibling(p) {
			name, def := int32(-1), int32(-1)
			switch t.Nodes[p].Kind {
			case KIdentifier:
				name = p
			case kDefaultParam, kTypedDefaultParam:
				name, def = t.ChildByField(p, FName), t.ChildByField(p, FValue)
			case kTypedParam:
				name = t.FirstChild(p)
				if name >= 0 && t.Nodes[name].Kind != KIdentifier {
					pos = -1 // *args: int
					continue
				}
			case kListSplatPattern, kKeywordSeparator:
				pos = -1
				continue
			default:
				continue
			}
			if name < 0 || t.Nodes[name].Kind != KIdentifier {
				continue
			}
			fp.params = append(fp.params, paramSpec{name: t.Text(name), pos: pos, def: def})
			if pos >= 0 {
				pos++
			}
		}
	}
	if len(fp.params) == 0 {
		return fp
	}
	if par := t.Nodes[fn].Parent; par >= 0 && t.Nodes[par].Kind == KDecorated {
		for d := t.FirstChild(par); d >= 0; d = t.NextSibling(d) {
			if t.Nodes[d].Kind != kDecorator {
				continue
			}
			switch strings.TrimSpace(strings.TrimPrefix(t.Text(d), "@")) {
			case "staticmethod":
				fp.static = true
			case "classmethod":
				fp.classm = true
			default:
				fp.decorated = true
			}
		}
	}
	// Rebinding: a binding in the function (or a nested one declaring
	// it nonlocal) of a name that is a parameter.
	end := t.Nodes[fn].End
	check := func(id int32) {
		if id < 0 || t.Nodes[id].Kind != KIdentifier {
			return
		}
		name := t.Bytes(id)
		for _, p := range fp.params {
			if p.name == string(name) && m.slotAt(id, p.name) == (slot{fn, p.name}) {
				if fp.rebound == nil {
					fp.rebound = map[string]bool{}
				}
				fp.rebound[p.name] = true
			}
		}
	}
	for i := fn + 1; int(i) < len(t.Nodes) && t.Nodes[i].Start < end; i++ {
		var target int32 = -1
		switch t.Nodes[i].Kind {
		case KAssignment, KAugAssignment, kFor, kForIn:
			target = t.ChildByField(i, FLeft)
		case kNamedExpr:
			target = t.ChildByField(i, FName)
		case kAsPattern, kExceptClause:
			target = t.ChildByField(i, FAlias)
		case KFunctionDef, KClassDef:
			check(t.ChildByField(i, FName))
			continue
		default:
			continue
		}
		m.eachTarget(target, check)
	}
	return fp
}

// eachTarget calls f on the identifiers a binding target binds.
func (m *Module) eachTarget(n int32, f func(int32)) {
	if n < 0 {
		return
	}
	t := m.Tree
	switch t.Nodes[n].Kind {
	case KIdentifier:
		f(n)
	case kPatternList, kTuplePattern, kListPattern, KTuple, KList, KParenthesized,
		kListSplatPattern, kDictSplatPattern, kAsPatternTarget:
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			m.eachTarget(c, f)
		}
	}
}

// paramIndex builds the index of functions and of the identifiers naming
// them.
func (m *Module) paramIndex() {
	ps := &m.params
	if ps.occ != nil {
		return
	}
	ps.funcIdx = make(map[int32]int, len(m.Funcs))
	ps.occ = map[string][]int32{}
	ps.defs = map[slot]int{}
	for i := range m.Funcs {
		f := &m.Funcs[i]
		ps.funcIdx[f.Node] = i
		ps.occ[f.Name] = nil
		if f.Class == "" {
			ps.defs[slot{m.encl[f.Node], f.Name}]++
		}
	}
	// A first filter on the first byte and the length of a name spares
	// most identifiers the map.
	var shape [256]uint64
	for name := range ps.occ {
		if name != "" {
			shape[name[0]] |= 1 << min(len(name), 63)
		}
	}
	t := m.Tree
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		if nd.Kind != KIdentifier || nd.End <= nd.Start || shape[t.Src[nd.Start]]&(1<<min(nd.End-nd.Start, 63)) == 0 {
			continue
		}
		list, ok := ps.occ[string(t.Src[nd.Start:nd.End])]
		if !ok {
			continue
		}
		if p := nd.Parent; p >= 0 && nd.Field == FName {
			if k := t.Nodes[p].Kind; k == KFunctionDef || k == KKeywordArgument || k == KClassDef {
				continue
			}
		}
		ps.occ[string(t.Src[nd.Start:nd.End])] = append(list, int32(i))
	}
}

// resetParamSites forgets the calls found and the values computed: the
// bindings they were found with (x = Class()) were not all made yet.
func (m *Module) resetParamSites() {
	ps := &m.params
	for _, fp := range ps.funcs {
		fp.sites, fp.sitesOK, fp.opaque = nil, false, false
	}
	ps.cache = nil
}

// paramSitesOf finds the calls of function fn.
func (m *Module) paramSitesOf(fn int32, fp *funcParams) {
	if fp.sitesOK {
		return
	}
	fp.sitesOK = true
	m.paramIndex()
	ps := &m.params
	fi, ok := ps.funcIdx[fn]
	if !ok {
		fp.opaque = true
		return
	}
	f := &m.Funcs[fi]
	t := m.Tree
	fp.method = f.Class != ""
	isCall := func(callee int32) int32 {
		p := t.Nodes[callee].Parent
		if p >= 0 && t.Nodes[p].Kind == KCall && t.ChildByField(p, FFunction) == callee {
			return p
		}
		return -1
	}
	full := false
	add := func(call int32, off int) {
		if len(fp.sites) >= maxParamSites {
			fp.opaque, full = true, true
			return
		}
		fp.sites = append(fp.sites, paramSite{call, off})
	}
	if !fp.method {
		scope := m.encl[fn]
		if ps.defs[slot{scope, f.Name}] > 1 {
			fp.opaque = true // defined twice: calls may be the other's
		}
		want := slot{-1, f.Name}
		if scope >= 0 {
			want = m.slotIn(scope, f.Name)
		}
		for _, id := range ps.occ[f.Name] {
			if full {
				break
			}
			if p := t.Nodes[id].Parent; p >= 0 && t.Nodes[p].Kind == KAttribute && t.Nodes[id].Field == FAttribute {
				continue // x.name: another object's
			}
			if m.slotAt(id, f.Name) != want {
				continue
			}
			if c := isCall(id); c >= 0 {
				add(c, 0)
			} else {
				fp.opaque = true
			}
		}
		return
	}
	for _, id := range ps.occ[f.Name] {
		if full {
			break
		}
		attr := t.Nodes[id].Parent
		if attr < 0 || t.Nodes[attr].Kind != KAttribute || t.Nodes[id].Field != FAttribute {
			continue // a plain name: not the method
		}
		recv := t.ChildByField(attr, FObject)
		off, ok := m.methodReceiver(recv, attr, f, fp)
		if !ok {
			continue
		}
		if off < 0 {
			fp.opaque = true // a receiver that may be this class's
			continue
		}
		if c := isCall(attr); c >= 0 {
			add(c, off)
		} else {
			fp.opaque = true // self.m passed on: a callback
		}
	}
}

// methodReceiver classifies the receiver of x.m for method f: the offset
// of a call's positional arguments when x is the class, one of its
// instances (c = Class(); c.m()), or self/cls in the class; -1 when x may
// be one; false when x is another object (an import's, a literal, an
// attribute of self or of an import, what a call returns).
func (m *Module) methodReceiver(recv, attr int32, f *Func, fp *funcParams) (int, bool) {
	t := m.Tree
	bound := 1
	if fp.static {
		bound = 0
	}
	if recv < 0 {
		return -1, true
	}
	switch t.Nodes[recv].Kind {
	case KIdentifier:
		switch name := t.Text(recv); name {
		case "self", "cls":
			if fn := m.encl[attr]; fn >= 0 {
				if i, ok := m.params.funcIdx[fn]; ok && m.Funcs[i].Class == f.Class {
					return bound, true
				}
			}
			return -1, true
		case f.Class:
			if fp.classm {
				return 1, true
			}
			return 0, true
		default:
			if c, ok := m.canonicalOf(m.slotAt(recv, name)); ok {
				if c == f.Class+"()" {
					return bound, true
				}
				if c != name {
					return 0, false // bound to an import or what a call returns
				}
			}
			if builtinNames[name] {
				return 0, false
			}
			return -1, true
		}
	case KCall:
		if fn := t.ChildByField(recv, FFunction); fn >= 0 && t.Nodes[fn].Kind == KIdentifier && t.Text(fn) == f.Class {
			return bound, true
		}
		return 0, false
	case KAttribute, KSubscript:
		root := recv
		for root >= 0 && (t.Nodes[root].Kind == KAttribute || t.Nodes[root].Kind == KSubscript) {
			if t.Nodes[root].Kind == KAttribute {
				root = t.ChildByField(root, FObject)
			} else {
				root = t.ChildByField(root, FValue)
			}
		}
		if root < 0 || t.Nodes[root].Kind != KIdentifier {
			return 0, false
		}
		name := t.Text(root)
		if name == "self" || name == "cls" {
			return 0, false
		}
		if _, ok := m.canonicalOf(m.slotAt(root, name)); ok || builtinNames[name] {
			return 0, false
		}
		return -1, true
	}
	return 0, false // a literal's method
}
