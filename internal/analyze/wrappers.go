package analyze

import "github.com/safeguard-dev/safeguard/internal/python"

// wrapperCalls sees through local wrappers: when a function hands one of
// its parameters straight to a process or dynamic-code call
// ("def run(cmd): subprocess.Popen(cmd, shell=True)", or the lone element
// of its argument list), each call of the
// wrapper is also a call of that API with the caller's argument, in the
// caller's context.
func (f *file) wrapperCalls() []callFact {
	type sink struct {
		name  string
		param int
	}
	t := f.mod.Tree
	// One pass over the calls: a sink call inside a plain function whose
	// first argument is one of that function's parameters.
	funcs := map[int32]python.Func{}
	for _, fn := range f.mod.Funcs {
		if fn.Class == "" {
			funcs[fn.Node] = fn
		}
	}
	sinks := map[string]sink{}
	params := map[int32][]string{}
	for _, c := range f.mod.Calls {
		fn, ok := funcs[c.Func]
		if !ok || len(c.Args) == 0 || !(isCallOf(c.Name, processAPIs) || isCallOf(c.Name, dynamicCodeAPIs)) {
			continue
		}
		ps, done := params[fn.Node]
		if !done {
			ps = f.mod.Params(fn.Node)
			params[fn.Node] = ps
		}
		arg := t.Text(c.Args[0])
		if k := t.Nodes[c.Args[0]].Kind; (k == python.KList || k == python.KTuple) && t.FirstChild(c.Args[0]) >= 0 && t.NextSibling(t.FirstChild(c.Args[0])) < 0 {
			arg = t.Text(t.FirstChild(c.Args[0])) // Popen([path]): the program alone
		}
		for i, p := range ps {
			if p != "" && p == arg {
				sinks[fn.Name] = sink{c.Name, i}
			}
		}
	}
	if len(sinks) == 0 {
		return nil
	}
	var out []callFact
	for _, c := range f.mod.Calls {
		s, ok := sinks[c.Name]
		if !ok || s.param >= len(c.Args) {
			continue
		}
		call := python.Call{Node: c.Node, Name: s.name, Line: c.Line, Col: c.Col, Func: c.Func, Args: []int32{c.Args[s.param]}}
		cf := callFact{Call: call, ctx: f.nodeContext(c.Node, c.Func), proc: isCallOf(s.name, processAPIs), dyn: isCallOf(s.name, dynamicCodeAPIs)}
		if cf.proc {
			cf.cmd = f.commandLine(call)
			cf.sh = analyzeShell(cf.cmd, 0)
		}
		out = append(out, cf)
	}
	return out
}
