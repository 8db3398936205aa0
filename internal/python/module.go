package python

import (
	"strings"
)

// Module is what the analysis knows about one Python file.
type Module struct {
	Tree    *Tree
	Imports []Import
	Calls   []Call
	Funcs   []Func
	Classes []Class
	// Strings are the string literals, evaluated where they are built
	// from constants, with what decoded them.
	Strings []StringLit
	// Payloads are values produced by decoders from constants: the code
	// or commands that obfuscation hides.
	Payloads []StringLit

	names  map[string]string // local name -> canonical name
	bound  map[string]int32  // local name -> attribute node of a method bound to a constant ("j = ''.join")
	flows  map[string][]string
	consts map[string]Value
	// Bindings of names local to functions (see scope.go): what the
	// function binds, the slots' canonical names, flows and constants.
	locals   map[string]int32 // name -> index in localFns
	localFns [][]int32        // the functions a name is local to, in order
	declared map[slot]uint8   // global and nonlocal declarations
	lnames   map[slot]string
	lflows   map[slot][]string
	lconsts  map[slot]Value
	encl     []int32 // enclosing function_definition of each node, -1 at top level
	inMain   []bool  // node is under `if __name__ == "__main__":`
	// evaluating guards against cycles through identifiers.
	evaluating map[string]bool
	// helpers indexes the first function of each name that is not a
	// method: the one a call by that name inlines (see inlineCall).
	helpers map[string]int32
	budget  int
	// loopWork counts the nodes folded loops visited (see maxLoopWork).
	loopWork int
	// wantSeq is set while a loop that may decipher evaluates its
	// sequence: range, enumerate and zip then build long ones.
	wantSeq bool
	// memo keeps what Eval returned, once the facts are extracted.
	memo map[int32]Value
	// params is what the evaluator knows of parameters (see paramflow.go).
	params paramState
	// external answers for names imported at top level from the
	// artifact's own modules (see External); importOf maps such a local
	// name to its import.
	external External
	importOf map[string]Import
}

// Import is one imported name.
type Import struct {
	Module string // "os.path", or the relative name for "from . import x"
	Name   string // the imported member for "from m import n", else ""
	Alias  string // the local name it is bound to
	Level  int    // leading dots of a relative import
	Line   int
	Func   int32 // enclosing function node, -1 at top level
}

// Call is one call expression.
type Call struct {
	Node int32
	// Name is the canonical name of what is called ("os.system",
	// "builtins.exec", "socket.socket().connect"); a local function's plain
	// name; or "" when it cannot be named.
	Name string
	Line int
	Col  int
	Func int32 // enclosing function_definition node, -1 at top level
	Args []int32
	// Kwargs maps keyword names to value nodes.
	Kwargs map[string]int32
}

// Func is a function definition.
type Func struct {
	Node  int32
	Name  string
	Class string // enclosing class, if a method
	Line  int
}

// Class is a class definition.
type Class struct {
	Node  int32
	Name  string
	Bases []string // canonical names of the base classes
	Line  int
}

// StringLit is a string value with where it appears.
type StringLit struct {
	Node  int32
	Line  int
	Value Value
	// Doc is true for a string that is a statement of its own: a
	// docstring or a comment written as a string; it is never used.
	Doc bool
}

// Load parses src and extracts the module's facts. Python 2 exec
// statements the grammar cannot parse ("exec expr in ns") are rewritten to
// calls first.
func Load(src []byte) (*Module, error) { return LoadWith(src, nil) }

// LoadWith is Load for a file of an artifact whose other modules ext
// answers for: a constant another module defines and this one imports
// is known by its value.
func LoadWith(src []byte, ext External) (*Module, error) {
	t, err := sharedParser().Parse(shrinkEscapes(rewritePy2Exec(src)))
	if err != nil {
		return nil, err
	}
	return extract(t, ext), nil
}

// builtinNames are the builtins whose calls matter to the analysis.
var builtinNames = map[string]bool{
	"exec": true, "eval": true, "compile": true, "__import__": true, "getattr": true, "setattr": true,
	"globals": true, "locals": true, "vars": true, "open": true, "input": true, "print": true,
	"chr": true, "ord": true, "bytes": true, "bytearray": true, "str": true, "memoryview": true,
	"execfile": true, "reload": true, "breakpoint": true, "help": true, "__builtins__": true,
	"map": true, "int": true, "reversed": true, "list": true, "dict": true, "type": true, "hasattr": true,
	"len": true, "range": true, "enumerate": true, "zip": true, "tuple": true,
}

// Extract computes a module's facts from its tree.
func Extract(t *Tree) *Module { return extract(t, nil) }

func extract(t *Tree, ext External) *Module {
	m := &Module{Tree: t, names: map[string]string{}, bound: map[string]int32{}, flows: map[string][]string{}, consts: map[string]Value{},
		locals: map[string]int32{}, evaluating: map[string]bool{}, helpers: map[string]int32{}, external: ext}
	m.encl = make([]int32, len(t.Nodes))
	m.inMain = make([]bool, len(t.Nodes))
	strs := 0
	for i := range t.Nodes {
		if k := t.Nodes[i].Kind; k == KString || k == KConcatenated {
			strs++
		}
		if p := t.Nodes[i].Parent; p >= 0 {
			m.inMain[i] = m.inMain[p] || t.Nodes[p].Kind == kIf && isMainGuard(t, p)
		}
		p := t.Nodes[i].Parent
		switch {
		case p < 0:
			m.encl[i] = -1
		case t.Nodes[p].Kind == KFunctionDef:
			m.encl[i] = p
		default:
			m.encl[i] = m.encl[p]
		}
		m.scopeNode(int32(i))
	}
	m.sortLocals()
	// Pass 1: definitions and imports bind names.
	for i := range t.Nodes {
		n := int32(i)
		switch t.Nodes[i].Kind {
		case KImport, KImportFrom:
			m.addImport(n)
		case KFunctionDef:
			m.addFunc(n)
		case KClassDef:
			m.addClass(n)
		}
	}
	m.params.ready = true
	// Pass 2: assignments, in order, bind names to what they hold; loops
	// that decipher constants into accumulators are run on them.
	var loopEnd uint32
	for i := range t.Nodes {
		if t.Nodes[i].Start < loopEnd {
			continue // inside a folded loop: its accumulators are bound
		}
		switch t.Nodes[i].Kind {
		case KAssignment:
			m.addAssignment(int32(i))
		case kAsPattern:
			m.addWithItem(int32(i))
		case kFor:
			m.budget = evalBudget
			if m.foldLoop(int32(i), 0) {
				loopEnd = t.Nodes[i].End
			}
		}
	}
	m.resetParamSites()
	// Pass 3: calls and strings. A data table holds hundreds of thousands
	// of strings: their slice is sized once.
	m.Strings = make([]StringLit, 0, strs)
	for i := range t.Nodes {
		n := int32(i)
		switch t.Nodes[i].Kind {
		case KCall:
			m.addCall(n)
		case KString, KConcatenated:
			if p := t.Nodes[i].Parent; p >= 0 && t.Nodes[p].Kind == KConcatenated {
				continue // evaluated as part of the concatenation
			}
			m.budget = evalBudget
			v := m.Eval(n)
			p := t.Nodes[i].Parent
			doc := p >= 0 && t.Nodes[p].Kind == KExpressionStmt && t.FirstChild(p) == n && t.NextSibling(n) < 0
			m.Strings = append(m.Strings, StringLit{Node: n, Line: t.Line(n), Value: v, Doc: doc})
		case KExecStatement:
			m.addExecStatement(n)
		}
	}
	m.memo = map[int32]Value{}
	return m
}

// InMainGuard reports whether node n only runs when the file is executed
// as a script (under `if __name__ == "__main__":`), never on import.
func (m *Module) InMainGuard(n int32) bool { return n >= 0 && m.inMain[n] }

func isMainGuard(t *Tree, ifNode int32) bool {
	cond := t.ChildByField(ifNode, fCondition)
	if cond < 0 {
		return false
	}
	c := t.Text(cond)
	return strings.Contains(c, "__name__") && strings.Contains(c, "__main__")
}

// Enclosing returns the function_definition node enclosing node n, or -1.
func (m *Module) Enclosing(n int32) int32 { return m.encl[n] }

// FuncByNode returns the function defined by node n.
func (m *Module) FuncByNode(n int32) *Func {
	for i := range m.Funcs {
		if m.Funcs[i].Node == n {
			return &m.Funcs[i]
		}
	}
	return nil
}

func (m *Module) addImport(n int32) {
	t := m.Tree
	line, fn := t.Line(n), m.encl[n]
	if t.Nodes[n].Kind == KImport {
		for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
			switch t.Nodes[c].Kind {
			case KDottedName:
				mod := t.Text(c)
				top, _, _ := strings.Cut(mod, ".")
				m.names[top] = top
				m.addImportOf(Import{Module: mod, Alias: top, Line: line, Func: fn})
			case KAliasedImport:
				mod, alias := t.Text(t.ChildByField(c, FName)), fieldText(t, c, FAlias)
				m.names[alias] = mod
				m.addImportOf(Import{Module: mod, Alias: alias, Line: line, Func: fn})
			}
		}
		return
	}
	modNode := t.ChildByField(n, FModule)
	if modNode < 0 {
		return
	}
	mod, level := t.Text(modNode), 0
	if t.Nodes[modNode].Kind == KRelativeImport {
		level = strings.Count(mod, ".") - strings.Count(strings.TrimLeft(mod, "."), ".")
		mod = strings.TrimLeft(mod, ".")
	}
	for c := t.FirstChild(n); c >= 0; c = t.NextSibling(c) {
		if c == modNode {
			continue
		}
		var name, alias string
		switch t.Nodes[c].Kind {
		case KDottedName:
			name = t.Text(c)
			alias = name
		case KAliasedImport:
			name, alias = t.Text(t.ChildByField(c, FName)), fieldText(t, c, FAlias)
		case KWildcardImport:
			name, alias = "*", ""
		default:
			continue
		}
		full := name
		if mod != "" {
			full = mod + "." + name
		}
		if alias != "" {
			if level > 0 {
				m.names[alias] = alias // a sibling module: known by its own name
			} else {
				m.names[alias] = full
			}
		}
		m.addImportOf(Import{Module: mod, Name: name, Alias: alias, Level: level, Line: line, Func: fn})
	}
}

// addImportOf records an import; one at top level that binds a name is
// remembered for the external lookup.
func (m *Module) addImportOf(imp Import) {
	m.Imports = append(m.Imports, imp)
	if m.external == nil || imp.Func >= 0 || imp.Alias == "" {
		return
	}
	if m.importOf == nil {
		m.importOf = map[string]Import{}
	}
	if _, ok := m.importOf[imp.Alias]; ok {
		imp = Import{} // bound by two imports: neither is trusted
	}
	m.importOf[imp.Alias] = imp
}

func (m *Module) addFunc(n int32) {
	t := m.Tree
	f := Func{Node: n, Name: fieldText(t, n, FName), Line: t.Line(n)}
	// A method: the nearest class_definition above, through the class body.
	for p := t.Nodes[n].Parent; p >= 0; p = t.Nodes[p].Parent {
		k := t.Nodes[p].Kind
		if k == KClassDef {
			f.Class = fieldText(t, p, FName)
			break
		}
		if k == KFunctionDef {
			break
		}
	}
	if _, ok := m.helpers[f.Name]; !ok && f.Class == "" {
		m.helpers[f.Name] = int32(len(m.Funcs))
	}
	m.Funcs = append(m.Funcs, f)
}

func (m *Module) addClass(n int32) {
	t := m.Tree
	c := Class{Node: n, Name: fieldText(t, n, FName), Line: t.Line(n)}
	if sup := t.ChildByField(n, FSuperclasses); sup >= 0 {
		for b := t.FirstChild(sup); b >= 0; b = t.NextSibling(b) {
			if t.Nodes[b].Kind != KKeywordArgument {
				c.Bases = append(c.Bases, m.Resolve(b))
			}
		}
	}
	m.Classes = append(m.Classes, c)
}

func (m *Module) addAssignment(n int32) {
	t := m.Tree
	left, right := t.ChildByField(n, FLeft), t.ChildByField(n, FRight)
	if left < 0 || right < 0 {
		return
	}
	if k := t.Nodes[left].Kind; (k == kPatternList || k == KTuple) && (t.Nodes[right].Kind == kExprList || t.Nodes[right].Kind == KTuple) {
		// a, b = x, y: bind pairwise.
		ls, rs := t.Children(left), t.Children(right)
		if len(ls) == len(rs) {
			for i := range ls {
				if t.Nodes[ls[i]].Kind == KIdentifier {
					m.bind(m.slotAt(ls[i], t.Text(ls[i])), rs[i])
				}
			}
		}
		return
	}
	if k := t.Nodes[left].Kind; k == kPatternList || k == KTuple {
		// fd, path = tempfile.mkstemp(): each name flows from the call.
		m.budget = evalBudget
		if from := m.Eval(right).From; len(from) > 0 {
			for _, l := range t.Children(left) {
				if t.Nodes[l].Kind == KIdentifier {
					m.setFlows(m.slotAt(l, t.Text(l)), from)
				}
			}
		}
		return
	}
	if t.Nodes[left].Kind != KIdentifier {
		return
	}
	m.bind(m.slotAt(left, t.Text(left)), right)
}

// addWithItem binds the target of "with expression as name".
func (m *Module) addWithItem(n int32) {
	t := m.Tree
	p := t.Nodes[n].Parent
	if p < 0 || t.Nodes[p].Kind != kWithItem {
		return // except E as e
	}
	value, alias := t.FirstChild(n), t.ChildByField(n, FAlias)
	if value < 0 || alias < 0 || value == alias {
		return
	}
	if name := t.Text(alias); isIdentifier(name) {
		m.bind(m.slotAt(alias, name), value)
	}
}

// maxBoundElems bounds the constant sequences a name keeps.
const maxBoundElems = 1 << 12

// knownElems reports a sequence whose elements are all constants: a list
// of string pieces or character codes.
func knownElems(es []Value) bool {
	for _, e := range es {
		if !e.Known && !e.IsInt {
			return false
		}
	}
	return len(es) > 0
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// bind records what the name in slot s now holds: a constant, a flow, a
// canonical name.
func (m *Module) bind(s slot, right int32) {
	t := m.Tree
	name := s.name
	m.budget = evalBudget
	if t.Nodes[right].Kind == KAttribute {
		if recv := m.Eval(t.ChildByField(right, FObject)); recv.Known {
			m.bound[name] = right
		}
	}
	v := m.Eval(right)
	if v.Known || v.IsInt || v.Partial != "" || v.IsDict || v.IsSeq && len(v.Elems) <= maxBoundElems && knownElems(v.Elems) {
		m.setConst(s, v)
	} else {
		// Rebound to what is not known (privkey = "" ... privkey =
		// f.read()): the name no longer holds its earlier constant.
		m.unsetConst(s)
	}
	if len(v.From) > 0 {
		m.setFlows(s, v.From)
	}
	if r := m.Resolve(right); r != "" && r != name {
		m.setCanonical(s, r)
	}
}

func (m *Module) addCall(n int32) {
	t := m.Tree
	c := Call{Node: n, Line: t.Line(n), Col: int(t.Nodes[n].Col) + 1, Func: m.encl[n]}
	c.Name = m.Resolve(t.ChildByField(n, FFunction))
	if args := t.ChildByField(n, FArguments); args >= 0 && t.Nodes[args].Kind == KGeneratorExpr {
		c.Args = []int32{args}
	} else if args >= 0 {
		for a := t.FirstChild(args); a >= 0; a = t.NextSibling(a) {
			switch t.Nodes[a].Kind {
			case KKeywordArgument:
				if c.Kwargs == nil {
					c.Kwargs = map[string]int32{}
				}
				c.Kwargs[fieldText(t, a, FName)] = t.ChildByField(a, FValue)
			case KComment:
			default:
				c.Args = append(c.Args, a)
			}
		}
	}
	if code := m.functionExec(n); code >= 0 {
		c.Name, c.Args, c.Kwargs = "builtins.exec", []int32{code}, nil
	}
	m.Calls = append(m.Calls, c)
	if _, ok := decoders[c.Name]; ok || c.Name == "codecs.decode" || strings.HasSuffix(c.Name, ".decode") || m.mayDecipher(n) {
		m.budget = evalBudget
		m.Eval(n) // records the decoded payload
	}
	if (c.Name == "builtins.exec" || c.Name == "builtins.eval" || c.Name == "builtins.compile") && len(c.Args) > 0 {
		m.budget = evalBudget
		m.Eval(c.Args[0]) // what a helper deciphers for it is a payload
	}
}

// addExecStatement turns Python 2 "exec code [in ns]" into a call.
func (m *Module) addExecStatement(n int32) {
	t := m.Tree
	code := t.ChildByField(n, FCode)
	if code < 0 {
		code = t.FirstChild(n)
	}
	if code < 0 {
		return
	}
	m.Calls = append(m.Calls, Call{Node: n, Name: "builtins.exec", Line: t.Line(n), Col: int(t.Nodes[n].Col) + 1,
		Func: m.encl[n], Args: []int32{code}})
}

func fieldText(t *Tree, n int32, f Field) string {
	c := t.ChildByField(n, f)
	if c < 0 {
		return ""
	}
	return t.Text(c)
}
