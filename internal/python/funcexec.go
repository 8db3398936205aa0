package python

// Code objects turned into functions and called run like exec:
// types.FunctionType(compile(src, "<x>", "exec"), {})() is exec(src).

// functionTypes are the constructors of functions from code objects.
var functionTypes = map[string]bool{"types.FunctionType": true, "types.LambdaType": true}

// functionExec returns the code a call of a function built from a code
// object runs — compile's source, or the expression making the code
// object (marshal.loads(...)) — or -1 when call is not one.
func (m *Module) functionExec(call int32) int32 {
	t := m.Tree
	fn := t.ChildByField(call, FFunction)
	if fn >= 0 && t.Nodes[fn].Kind == KIdentifier {
		// f = types.FunctionType(...); f()
		switch c, _ := m.canonicalOf(m.slotAt(fn, t.Text(fn))); c {
		case "types.FunctionType()", "types.LambdaType()", "builtins.type()()":
			fn = m.Definition(t.Text(fn))
		}
	}
	if fn < 0 || t.Nodes[fn].Kind != KCall {
		return -1
	}
	ctor := t.ChildByField(fn, FFunction)
	if !functionTypes[m.resolve(ctor, 0)] && !m.isFunctionType(ctor) {
		return -1
	}
	args := m.callArgs(fn)
	if len(args) == 0 {
		return -1
	}
	code := args[0]
	if t.Nodes[code].Kind == KIdentifier {
		if d := m.Definition(t.Text(code)); d >= 0 {
			code = d
		}
	}
	if t.Nodes[code].Kind != KCall {
		return -1
	}
	switch m.resolve(t.ChildByField(code, FFunction), 0) {
	case "builtins.compile":
		if src := m.callArgs(code); len(src) > 0 {
			return src[0]
		}
	case "marshal.loads":
		return code
	}
	return -1
}

// isFunctionType reports type(lambda: ...) or type(f) for a local
// function: the function type got without naming it.
func (m *Module) isFunctionType(n int32) bool {
	t := m.Tree
	if n < 0 || t.Nodes[n].Kind != KCall || m.resolve(t.ChildByField(n, FFunction), 0) != "builtins.type" {
		return false
	}
	args := m.callArgs(n)
	if len(args) != 1 {
		return false
	}
	if t.Nodes[args[0]].Kind == KLambda {
		return true
	}
	if t.Nodes[args[0]].Kind == KIdentifier {
		name := t.Text(args[0])
		for _, f := range m.Funcs {
			if f.Name == name {
				return true
			}
		}
	}
	return false
}
