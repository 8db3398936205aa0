package analyze

import (
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// execRemote: exec/eval of what came over the network.
type execRemote struct{}

var _ Rule = (*execRemote)(nil)

func (execRemote) Info() RuleInfo {
	return RuleInfo{ID: "exec-remote-code", Severity: Critical,
		Description:        "Code downloaded at run time is executed (exec(requests.get(url).text) and the like): the package's behaviour is decided by a server.",
		Triggers:           slices.Concat([]string{"pickle"}, networkWords),
		AnyContextTriggers: execWords}
}

func (x execRemote) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.dyn || len(c.Args) == 0 {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		if d := downloadOutput(f, c, v); d != nil {
			r.report(x.Info(), f, Critical, !isDeserializer(c.Name), c.Line, c.Col, c.ctx, shortName(c.Name)+" runs the output of a command that downloads: "+d.sh.download, d.cmd)
			continue
		}
		for _, from := range v.From {
			if isNetwork(strings.TrimSuffix(from, "()")) || isNetwork(from) {
				// exec of fetched code has no innocent use anywhere; unpickling
				// fetched data is only dangerous, so it follows the context.
				// From an address the code fixes, it holds anywhere; from
				// one the caller passes (a plugin loader handed a URL by
				// its user's configuration), it follows the context.
				r.report(x.Info(), f, Critical, !isDeserializer(c.Name) && fetchesFixedAddress(f, c.Func), c.Line, c.Col, c.ctx, shortName(c.Name)+" runs code fetched by "+from)
				break
			}
		}
	}
}

// downloadOutput returns the process call whose output the code run by c
// is: a command that downloads (curl -s URL, wget -qO- URL), called in
// c's argument or, in the same function, in what the argument comes from.
func downloadOutput(f *file, c callFact, v python.Value) *callFact {
	arg := f.mod.Tree.Nodes[c.Args[0]]
	for i := range f.calls {
		d := &f.calls[i]
		if !d.proc || d.sh.download == "" {
			continue
		}
		n := f.mod.Tree.Nodes[d.Node]
		if n.Start >= arg.Start && n.End <= arg.End || d.Func == c.Func && slices.Contains(v.From, d.Name+"()") {
			return d
		}
	}
	return nil
}

// fetchesFixedAddress reports a network call in function fn (-1: the
// module's top level) whose address the code itself gives, whole or as a
// constant start ("https://host/" + path), or that it decodes.
func fetchesFixedAddress(f *file, fn int32) bool {
	for _, c := range f.calls {
		if !c.net || c.Func != fn {
			continue
		}
		a, ok := urlArg(c)
		if !ok {
			continue
		}
		v := f.mod.Eval(a)
		if v.Known && v.S != "" || !v.Known && v.Partial != "" && v.Partial[0] != '?' {
			return true
		}
	}
	return false
}
