package analyze

import (
	"bytes"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// reach is how a file is reached besides by its own context: functions
// and classes that code in other files calls (from setup.py, a cmdclass,
// a package's import-time code or an entry point), and whether the file
// is run as a program, so that its __main__ block runs too.
type reach struct {
	// entries maps a function or class name to the most exposed context
	// of the code elsewhere that calls it.
	entries map[string]Context
	script  bool
}

// raise records that name is called from code in context c; it reports
// whether that is news.
func (r *reach) raise(name string, c Context) bool {
	if old, ok := r.entries[name]; ok && old.rank() <= c.rank() {
		return false
	}
	if r.entries == nil {
		r.entries = map[string]Context{}
	}
	r.entries[name] = c
	return true
}

// extRef is a name code in another module, reached in context ctx, uses:
// a dotted name ("pkg.helper.steal") as imported, with the leading dots
// of a relative import counted in level.
type extRef struct {
	name   string
	level  int
	called bool
	ctx    Context
}

// maxExtRefs bounds the names one file hands to the artifact-wide
// reachability step.
const maxExtRefs = 4096

// refs are the identifiers a module's code references, by where the
// code sits: at top level (outside __main__ blocks), in __main__ blocks,
// and in the body of each function.
type refs struct {
	top, main []int32
	in        map[int32][]int32
	// aliases maps a name bound to functions by assignment (copy, paste
	// = stub_copy, stub_paste) to them: the functions run when the name
	// is used, not when it is bound.
	aliases map[string][]string
}

// collectRefs indexes the identifier references of f's module. The name
// of a definition is not a reference to it; a function registered with
// atexit by a decorator is referenced where it is defined.
func (f *file) collectRefs() refs {
	t := f.mod.Tree
	rs := refs{in: map[int32][]int32{}}
	add := func(scope, n int32) {
		switch {
		case scope >= 0:
			rs.in[scope] = append(rs.in[scope], n)
		case f.mod.InMainGuard(n):
			rs.main = append(rs.main, n)
		default:
			rs.top = append(rs.top, n)
		}
	}
	for i := range t.Nodes {
		n := int32(i)
		if t.Nodes[i].Kind != python.KIdentifier {
			continue
		}
		if p := t.Nodes[i].Parent; p >= 0 && (t.Nodes[p].Kind == python.KFunctionDef || t.Nodes[p].Kind == python.KClassDef) && t.Nodes[i].Field == python.FName {
			if d := t.Nodes[p].Parent; d >= 0 && t.Nodes[d].Kind == python.KDecorated && runsAtExit(t, d, p) {
				add(f.mod.Enclosing(d), n)
			}
			continue
		}
		if !isReference(t, n) {
			continue
		}
		if lhs, ok := aliasBinding(t, n); ok {
			if rs.aliases == nil {
				rs.aliases = map[string][]string{}
			}
			for _, name := range lhs {
				rs.aliases[name] = append(rs.aliases[name], t.Text(n))
			}
			continue
		}
		add(f.mod.Enclosing(n), n)
	}
	return rs
}

// aliasBinding reports an identifier that is the value of an assignment
// to plain names (f = g; a, b = g, h), with the names it binds. An
// assignment's targets are bindings, not references; they are reported
// with no names.
func aliasBinding(t *python.Tree, n int32) ([]string, bool) {
	p := t.Nodes[n].Parent
	if p < 0 {
		return nil, false
	}
	node, field := n, t.Nodes[n].Field
	if k := t.Nodes[p].Kind; k == python.KExprList || k == python.KTuple || k == python.KPatternList {
		node, field = p, t.Nodes[p].Field
		p = t.Nodes[p].Parent
	}
	if p < 0 || t.Nodes[p].Kind != python.KAssignment {
		return nil, false
	}
	if field == python.FLeft {
		return nil, true // a target
	}
	if field != python.FRight || node != t.ChildByField(p, python.FRight) {
		return nil, false
	}
	left := t.ChildByField(p, python.FLeft)
	if left < 0 {
		return nil, false
	}
	switch t.Nodes[left].Kind {
	case python.KIdentifier:
		return []string{t.Text(left)}, true
	case python.KPatternList, python.KTuple:
		var names []string
		for c := t.FirstChild(left); c >= 0; c = t.NextSibling(c) {
			if t.Nodes[c].Kind != python.KIdentifier {
				return nil, false
			}
			names = append(names, t.Text(c))
		}
		return names, true
	}
	return nil, false
}

// isReference reports whether identifier n uses a name: not the names an
// import statement lists, a keyword argument's name, or an annotation.
func isReference(t *python.Tree, n int32) bool {
	p := t.Nodes[n].Parent
	if p >= 0 && t.Nodes[p].Kind == python.KKeywordArgument && t.Nodes[n].Field == python.FName {
		return false
	}
	for i := 0; i < 3 && p >= 0; i++ {
		switch t.Nodes[p].Kind {
		case python.KImport, python.KImportFrom, python.KFutureImport:
			return false
		}
		p = t.Nodes[p].Parent
	}
	// A function wrapped as a class's static method, class method or
	// property (_view = staticmethod(viewing.view)) is not called by it.
	arg := n
	for p := t.Nodes[arg].Parent; p >= 0 && t.Nodes[p].Kind == python.KAttribute; p = t.Nodes[arg].Parent {
		arg = p
	}
	if args := t.Nodes[arg].Parent; args >= 0 && t.Nodes[args].Kind == python.KArgumentList {
		if call := t.Nodes[args].Parent; call >= 0 && t.Nodes[call].Kind == python.KCall {
			// Compared as bytes: this runs for every identifier in an
			// argument list, and a string would be allocated for each.
			fn := t.Bytes(t.ChildByField(call, python.FFunction))
			if string(fn) == "staticmethod" || string(fn) == "classmethod" || string(fn) == "property" {
				return false
			}
			// A function handed to a registry (handlers.register("c10d",
			// create)) is kept to be looked up later, not run. atexit's
			// register runs it when the interpreter exits: in a file that
			// names atexit at all (import atexit as ae), every register
			// may be it.
			if bytes.HasSuffix(fn, []byte(".register")) && !bytes.Contains(t.Src, []byte("atexit")) {
				return false
			}
		}
	}
	// A function kept as a value of a table stored on an object
	// (self.VERBS = {"run": main.run}) is looked up later, by the
	// object's user; a table bound to a plain name may be indexed and
	// called right there, and stays a reference.
	if storedOnObject(t, arg) {
		return false
	}
	// A name in a type annotation (-> list[Preload], x: Client) is not
	// called by it: the class is named, not instantiated.
	for p, i := t.Nodes[n].Parent, 0; p >= 0 && i < 8; p, i = t.Nodes[p].Parent, i+1 {
		switch t.Nodes[p].Kind {
		case python.KType:
			return false
		case python.KBlock, python.KModule, python.KCall:
			return true
		}
	}
	return true
}

// storedOnObject reports n, a name or a dotted name, as the value of a
// dictionary entry in a dictionary assigned to an attribute.
func storedOnObject(t *python.Tree, n int32) bool {
	pair := t.Nodes[n].Parent
	if pair < 0 || t.Nodes[pair].Kind != python.KPair || t.Nodes[n].Field != python.FValue {
		return false
	}
	dict := t.Nodes[pair].Parent
	if dict < 0 || t.Nodes[dict].Kind != python.KDictionary {
		return false
	}
	assign := t.Nodes[dict].Parent
	if assign < 0 || t.Nodes[assign].Kind != python.KAssignment {
		return false
	}
	left := t.ChildByField(assign, python.FLeft)
	return left >= 0 && t.Nodes[left].Kind == python.KAttribute
}

// refName is how the reacher keys the name identifier n uses: an
// attribute's name ("x.steal") with a leading dot, as it can only name a
// method; a plain name as it is; either followed by "()" when it is
// called.
func refName(t *python.Tree, n int32) string {
	name, node := t.Text(n), n
	if p := t.Nodes[n].Parent; p >= 0 && t.Nodes[p].Kind == python.KAttribute && t.Nodes[n].Field == python.FAttribute {
		name, node = "."+name, p
	}
	if isCallee(t, node) {
		name += "()"
	}
	return name
}

// isCallee reports whether node n is what a call calls.
func isCallee(t *python.Tree, n int32) bool {
	p := t.Nodes[n].Parent
	return p >= 0 && t.Nodes[p].Kind == python.KCall && t.Nodes[n].Field == python.FFunction
}

// runsAtExit reports whether the decorators of definition def (inside the
// decorated_definition d) register it to run when the interpreter exits.
func runsAtExit(t *python.Tree, d, def int32) bool {
	decorators := t.Src[t.Nodes[d].Start:t.Nodes[def].Start]
	return strings.Contains(string(decorators), "atexit")
}

// computeFuncContexts decides in which context each function's body runs.
// Install code is read generously: a function referenced anywhere in
// setup.py (cmdclass tables, setup() arguments, helpers) runs on install.
// Elsewhere a function runs in a context when code running in that
// context references it, directly or through functions it reaches: the
// file's top-level code (in its own context), and the names other files
// call (f.reach.entries). For a method, its class must be reached and the
// method be a dunder, a command method, or referenced by reached code.
// A function nothing reaches runs only if someone calls it: runtime.
func (f *file) computeFuncContexts() {
	f.funcCtx = make(map[int32]Context, len(f.mod.Funcs))
	idle := Runtime
	if f.ctx == Test {
		idle = Test
	}
	for _, fn := range f.mod.Funcs {
		f.funcCtx[fn.Node] = idle
	}
	rs := f.collectRefs()
	f.refs = rs
	if len(f.mod.Funcs) == 0 {
		return
	}
	if f.ctx == Install {
		f.installFuncContexts()
	}
	w := newReacher(f, rs)
	if f.ctx.rank() <= Entry.rank() && f.ctx != Install {
		// The class hooks of a class the module's own top-level code names
		// (a base, a registry entry) are taken to run, but the class is
		// not taken to be instantiated: its other methods need a call.
		top := w.names(rs.top)
		if f.script() {
			top = append(top, w.names(rs.main)...)
		}
		for _, name := range top {
			if _, ok := w.byClass[name]; ok {
				top = append(top, name+dundersRun)
			}
		}
		w.fromNames(f.ctx, top...)
	}
	if f.reach != nil {
		names := make([]string, 0, len(f.reach.entries))
		for name := range f.reach.entries {
			names = append(names, name)
		}
		// The most exposed first: a function takes the first context that
		// reaches it.
		sort.Slice(names, func(i, j int) bool {
			ci, cj := f.reach.entries[names[i]], f.reach.entries[names[j]]
			if ci.rank() != cj.rank() {
				return ci.rank() < cj.rank()
			}
			return names[i] < names[j]
		})
		for _, name := range names {
			w.fromNames(f.reach.entries[name], name)
		}
	}
	// A function nested in another runs no more surely than it does.
	for _, fn := range f.mod.Funcs {
		if p := f.mod.Enclosing(fn.Node); p >= 0 && f.funcCtx[p].rank() > f.funcCtx[fn.Node].rank() {
			f.funcCtx[fn.Node] = f.funcCtx[p]
		}
	}
}

// installFuncContexts gives install context to every function setup.py
// references anywhere, and to command methods.
func (f *file) installFuncContexts() {
	t := f.mod.Tree
	count := map[string]int{}
	for i := range t.Nodes {
		if t.Nodes[i].Kind == python.KIdentifier {
			count[t.Text(int32(i))]++
		}
	}
	custom := customCommands(t)
	for _, fn := range f.mod.Funcs {
		// The definition's own name is one reference.
		reached := count[fn.Name] > 1
		if fn.Class != "" {
			reached = (count[fn.Class] > 1 || isCommandMethod(fn.Name)) && !custom[fn.Class]
		}
		if reached {
			f.funcCtx[fn.Node] = Install
		}
	}
}

// customCommands returns the classes setup.py registers as commands
// (cmdclass={"name": Class}, cmdclass["name"] = Class, dict(name=Class))
// only under names that installing never runs: "test", "lint", "release"
// run when a developer types python setup.py test, not on pip install.
func customCommands(t *python.Tree) map[string]bool {
	var custom map[string]bool
	std := map[string]bool{}
	add := func(key string, val int32) {
		if val < 0 || t.Nodes[val].Kind != python.KIdentifier {
			return
		}
		name := t.Text(val)
		if installCommands[strings.Trim(key, `"'`)] {
			std[name] = true
			return
		}
		if custom == nil {
			custom = map[string]bool{}
		}
		custom[name] = true
	}
	for i := range t.Nodes {
		n := int32(i)
		switch t.Nodes[i].Kind {
		case python.KPair:
			if k := t.ChildByField(n, python.FKey); k >= 0 && t.Nodes[k].Kind == python.KString {
				add(t.Text(k), t.ChildByField(n, python.FValue))
			}
		case python.KAssignment:
			// cmdclass["name"] = Class
			l := t.ChildByField(n, python.FLeft)
			if l < 0 || t.Nodes[l].Kind != python.KSubscript {
				continue
			}
			if k := t.ChildByField(l, python.FSubscript); k >= 0 && t.Nodes[k].Kind == python.KString {
				add(t.Text(k), t.ChildByField(n, python.FRight))
			}
		case python.KKeywordArgument:
			// dict(name=Class) inside a call of dict.
			args := t.Nodes[i].Parent
			if args < 0 || t.Nodes[args].Kind != python.KArgumentList {
				continue
			}
			call := t.Nodes[args].Parent
			if call >= 0 && t.Nodes[call].Kind == python.KCall && t.Text(t.ChildByField(call, python.FFunction)) == "dict" {
				add(t.Text(t.ChildByField(n, python.FName)), t.ChildByField(n, python.FValue))
			}
		}
	}
	for name := range std {
		delete(custom, name)
	}
	return custom
}

// installCommands are the setuptools and distutils commands that building
// and installing a package run (pip install, pip wheel, python -m build,
// editable installs), directly or as sub-commands.
var installCommands = map[string]bool{
	"build": true, "build_py": true, "build_ext": true, "build_clib": true, "build_scripts": true, "build_src": true,
	"install": true, "install_lib": true, "install_headers": true, "install_scripts": true, "install_data": true,
	"install_egg_info": true, "egg_info": true, "develop": true, "bdist_wheel": true, "bdist_egg": true, "bdist": true,
	"sdist": true, "editable_wheel": true, "dist_info": true, "config": true, "build_clib_ext": true,
}

// script reports whether the file runs as a program: its __main__ block
// runs in its context.
func (f *file) script() bool {
	return f.ctx == Install || f.reach != nil && f.reach.script
}

// dundersRun marks a class name whose dunder methods run though nothing
// is known to call the class.
const dundersRun = "(dunders)"

// reacher raises the functions that code in a context reaches.
type reacher struct {
	f       *file
	rs      refs
	byName  map[string][]python.Func
	byClass map[string][]python.Func
}

func newReacher(f *file, rs refs) *reacher {
	w := &reacher{f: f, rs: rs, byName: map[string][]python.Func{}, byClass: map[string][]python.Func{}}
	for _, fn := range f.mod.Funcs {
		w.byName[fn.Name] = append(w.byName[fn.Name], fn)
		if fn.Class != "" {
			w.byClass[fn.Class] = append(w.byClass[fn.Class], fn)
		}
	}
	return w
}

// isMetaclass reports a class of the file derived from type (or a
// metaclass such as ABCMeta): naming it in a class statement runs it.
func (w *reacher) isMetaclass(name string) bool {
	for _, c := range w.f.mod.Classes {
		if c.Name != name {
			continue
		}
		for _, b := range c.Bases {
			if b == "type" || b == "builtins.type" || strings.HasSuffix(b, "Meta") || strings.HasSuffix(b, "Type") {
				return true
			}
		}
	}
	return false
}

// names returns the reacher's keys for the identifiers at nodes.
func (w *reacher) names(nodes []int32) []string {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = refName(w.f.mod.Tree, n)
	}
	return names
}

// fromNames raises what code naming names reaches to context c: plain
// names reach functions, a function named being taken to be called
// (handed to a thread, atexit, a wrapper); a class called ("name()") is
// instantiated: its dunder and command methods run, and its methods that
// attribute names (".name") name.
func (w *reacher) fromNames(c Context, names ...string) {
	seen := map[string]bool{}    // names in the forms met
	attrs := map[string]bool{}   // method names met
	classes := map[string]bool{} // classes named
	queue := append([]string(nil), names...)
	raise := func(fn python.Func) {
		if w.f.funcCtx[fn.Node].rank() <= c.rank() {
			return
		}
		w.f.funcCtx[fn.Node] = c
		for _, n := range w.rs.in[fn.Node] {
			queue = append(queue, refName(w.f.mod.Tree, n))
		}
	}
	for len(queue) > 0 {
		key := queue[0]
		queue = queue[1:]
		if seen[key] {
			continue
		}
		seen[key] = true
		name, dunders := strings.CutSuffix(key, dundersRun)
		if dunders {
			// Named, not called: the hooks a class's mention runs
			// (subclassing it, subscripting it), and a metaclass's
			// construction; __init__ of an instance needs a call.
			meta := w.isMetaclass(name)
			for _, m := range w.byClass[name] {
				switch m.Name {
				case "__init_subclass__", "__class_getitem__", "__set_name__":
					raise(m)
				case "__new__", "__init__", "__call__", "__prepare__":
					if meta {
						raise(m)
					}
				}
			}
			continue
		}
		name, called := strings.CutSuffix(name, "()")
		for _, target := range w.rs.aliases[name] {
			if called {
				target += "()"
			}
			queue = append(queue, target)
		}
		if method, ok := strings.CutPrefix(name, "."); ok {
			attrs[method] = true
			for _, fn := range w.byName[method] {
				if fn.Class != "" && classes[fn.Class] {
					raise(fn)
				}
			}
			continue
		}
		for _, fn := range w.byName[name] {
			if fn.Class == "" {
				raise(fn)
			}
		}
		if methods, ok := w.byClass[name]; ok && called {
			classes[name] = true
			for _, m := range methods {
				if strings.HasPrefix(m.Name, "__") || isCommandMethod(m.Name) || attrs[m.Name] {
					raise(m)
				}
			}
		}
	}
}

// outgoing returns the names of other modules that f's running code uses,
// each with the context of the code using it: what a module's import-time
// code, setup.py or an entry point calls elsewhere runs in that context.
func (f *file) outgoing() []extRef {
	if f.refs.in == nil {
		return nil
	}
	aliases := map[string]python.Import{}
	for _, imp := range f.mod.Imports {
		if imp.Alias != "" && imp.Name != "*" {
			aliases[imp.Alias] = imp
		}
	}
	if len(aliases) == 0 {
		return nil
	}
	var out []extRef
	seen := map[extRef]bool{}
	emit := func(c Context, nodes []int32) {
		if c.rank() > Entry.rank() {
			return
		}
		for _, n := range nodes {
			imp, ok := aliases[f.mod.Tree.Text(n)]
			if !ok || len(out) >= maxExtRefs {
				continue
			}
			chain, end := attributeChain(f.mod.Tree, n)
			r := extRef{name: importedName(imp, chain), level: imp.Level, called: isCallee(f.mod.Tree, end), ctx: c}
			if r.name != "" && !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	emit(f.ctx, f.refs.top)
	if f.script() {
		emit(f.ctx, f.refs.main)
	}
	for fn, nodes := range f.refs.in {
		c := f.funcCtx[fn]
		if f.ctx == Install && c != Install {
			c = Install // setup.py's helpers are read generously
		}
		emit(c, nodes)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].ctx.rank() < out[j].ctx.rank()
	})
	return out
}

// attributeChain returns the attribute names read off identifier n, and
// the node of the whole chain: ["helper", "steal"] for n in
// "n.helper.steal(...)".
func attributeChain(t *python.Tree, n int32) ([]string, int32) {
	var chain []string
	for len(chain) < 4 {
		p := t.Nodes[n].Parent
		if p < 0 || t.Nodes[p].Kind != python.KAttribute || t.ChildByField(p, python.FObject) != n {
			break
		}
		a := t.ChildByField(p, python.FAttribute)
		if a < 0 {
			break
		}
		chain = append(chain, t.Text(a))
		n = p
	}
	return chain, n
}

// importedName is the dotted name that using imp's alias followed by
// chain names: "pkg.helper.steal" for "from pkg import helper" and
// helper.steal.
func importedName(imp python.Import, chain []string) string {
	var parts []string
	switch {
	case imp.Name != "":
		if imp.Module != "" {
			parts = append(parts, imp.Module)
		}
		parts = append(parts, imp.Name)
	case imp.Alias == imp.Module || strings.HasPrefix(imp.Module, imp.Alias+"."):
		parts = append(parts, imp.Alias) // import a.b: the chain names the rest
	default:
		parts = append(parts, imp.Module)
	}
	parts = append(parts, chain...)
	return strings.Join(parts, ".")
}

// clone returns a copy of r.
func (r *reach) clone() reach {
	c := reach{script: r.script}
	if len(r.entries) > 0 {
		c.entries = make(map[string]Context, len(r.entries))
		for k, v := range r.entries {
			c.entries[k] = v
		}
	}
	return c
}

// same reports whether r says what s does.
func (r reach) same(s *reach) bool {
	if s == nil {
		return len(r.entries) == 0 && !r.script
	}
	if r.script != s.script || len(r.entries) != len(s.entries) {
		return false
	}
	for k, v := range r.entries {
		if s.entries[k] != v {
			return false
		}
	}
	return true
}

// pythonModulesRun returns the modules a command line runs through the
// interpreter: `python -m pkg.mod`, and what `python -c "import pkg.mod"`
// or "from pkg.mod import x" imports.
func pythonModulesRun(words []string) []string {
	var out []string
	code := false
	for i := 0; i < len(words); i++ {
		w := strings.Trim(words[i], `"';,()`)
		switch {
		case w == "-m" && i+1 < len(words):
			out = append(out, strings.Trim(words[i+1], `"';,()`))
			i++
		case w == "-c":
			code = true
		case code && (w == "import" || w == "from") && i+1 < len(words):
			for _, m := range strings.Split(strings.Trim(words[i+1], `"';()`), ",") {
				if m = strings.TrimSpace(m); m != "" {
					out = append(out, m)
				}
			}
			i++
		}
	}
	return out
}
