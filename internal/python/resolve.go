package python

import (
	"regexp"
	"strings"
)

// reEvalImport matches the code an obfuscator evaluates to import a module.
var reEvalImport = regexp.MustCompile(`^(?:__import__|importlib\.import_module)\(\s*['"]([\w.]+)['"]\s*\)$`)

// Resolve returns the canonical name of the expression at node n: an
// import-qualified dotted name ("os.system" for "from os import system as
// s; s"), with "()" marking a call's result ("socket.socket().connect"),
// or "" when it cannot be named. It sees through __import__,
// importlib.import_module, getattr with a constant name, globals() and
// __builtins__ lookups, and subscripts with constant keys.
func (m *Module) Resolve(n int32) string {
	return m.resolve(n, 0)
}

const maxResolveDepth = 32

func (m *Module) resolve(n int32, depth int) string {
	if n < 0 || depth > maxResolveDepth {
		return ""
	}
	t := m.Tree
	switch t.Nodes[n].Kind {
	case KIdentifier:
		name := t.Text(n)
		if c, ok := m.canonicalOf(m.slotAt(n, name)); ok {
			return c
		}
		if name == "__builtins__" || name == "builtins" {
			return "builtins"
		}
		if builtinNames[name] {
			return "builtins." + name
		}
		return name
	case KAttribute:
		obj := m.resolve(t.ChildByField(n, FObject), depth+1)
		attr := fieldText(t, n, FAttribute)
		if obj == "" || attr == "" {
			return ""
		}
		return joinName(obj, attr)
	case KParenthesized:
		return m.resolve(t.FirstChild(n), depth+1)
	case KSubscript:
		obj := m.resolve(t.ChildByField(n, FValue), depth+1)
		key := t.ChildByField(n, FSubscript)
		if obj == "" || key < 0 {
			return ""
		}
		m.budget = evalBudget
		k := m.Eval(key)
		if !k.Known || !isIdentifierPath(k.S) {
			return ""
		}
		switch obj {
		case "sys.modules", "builtins.globals()", "builtins.locals()", "builtins.vars()", "builtins.__dict__", "builtins":
			if k.S == "__builtins__" {
				return "builtins"
			}
			if obj == "sys.modules" {
				return k.S
			}
			if builtinNames[k.S] {
				return "builtins." + k.S
			}
			if c, ok := m.names[k.S]; ok {
				return c
			}
			return k.S
		}
		return ""
	case KCall:
		fn := m.resolve(t.ChildByField(n, FFunction), depth+1)
		if fn == "" {
			return ""
		}
		args := m.callArgs(n)
		switch fn {
		case "builtins.__import__", "importlib.import_module", "importlib.__import__":
			if len(args) > 0 {
				m.budget = evalBudget
				if v := m.Eval(args[0]); v.Known && isIdentifierPath(v.S) {
					if fn == "builtins.__import__" {
						// __import__("a.b") returns a; fromlist changes that, rarely.
						return v.S
					}
					return v.S
				}
			}
			return ""
		case "builtins.eval":
			// eval("exec") and the like look a builtin up by name;
			// eval("__import__('base64')") imports by name.
			if len(args) > 0 {
				m.budget = evalBudget
				code := args[0]
				if t.Nodes[code].Kind == KCall && m.resolve(t.ChildByField(code, FFunction), depth+1) == "builtins.compile" {
					if cargs := m.callArgs(code); len(cargs) > 0 {
						code = cargs[0] // eval(compile(src, ...)) is eval(src)
					}
				}
				v := m.Eval(code)
				if v.Known {
					if mm := reEvalImport.FindStringSubmatch(strings.TrimSpace(v.S)); mm != nil {
						return mm[1]
					}
				}
				if v.Known && isIdentifierPath(strings.TrimSpace(v.S)) {
					name := strings.TrimSpace(v.S)
					if c, ok := m.names[name]; ok {
						return c
					}
					if builtinNames[name] {
						return "builtins." + name
					}
					return name
				}
			}
			return fn + "()"
		case "builtins.getattr":
			if len(args) >= 2 {
				obj := m.resolve(args[0], depth+1)
				m.budget = evalBudget
				if v := m.Eval(args[1]); obj != "" && v.Known && isIdentifierPath(v.S) {
					return joinName(obj, v.S)
				}
			}
			return ""
		}
		return fn + "()"
	}
	return ""
}

// joinName appends attr to a canonical object name, folding the ways code
// reaches the builtins module.
func joinName(obj, attr string) string {
	if obj == "builtins" && attr == "__dict__" {
		return "builtins.__dict__"
	}
	if (obj == "builtins.globals()" || obj == "builtins.__dict__") && attr == "__builtins__" {
		return "builtins"
	}
	return obj + "." + attr
}

// callArgs returns the positional argument nodes of call n.
func (m *Module) callArgs(n int32) []int32 {
	t := m.Tree
	args := t.ChildByField(n, FArguments)
	if args < 0 {
		return nil
	}
	if t.Nodes[args].Kind == KGeneratorExpr {
		return []int32{args} // f(x for x in y)
	}
	var out []int32
	for a := t.FirstChild(args); a >= 0; a = t.NextSibling(a) {
		if k := t.Nodes[a].Kind; k != KKeywordArgument && k != KComment {
			out = append(out, a)
		}
	}
	return out
}

func isIdentifierPath(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for i, r := range part {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}
