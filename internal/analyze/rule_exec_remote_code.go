package analyze

import (
	"slices"
	"strings"
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
		for _, from := range v.From {
			if isNetwork(strings.TrimSuffix(from, "()")) || isNetwork(from) {
				// exec of fetched code has no innocent use anywhere; unpickling
				// fetched data is only dangerous, so it follows the context.
				r.report(x.Info(), f, Critical, !isDeserializer(c.Name), c.Line, c.Col, c.ctx, shortName(c.Name)+" runs code fetched by "+from)
				break
			}
		}
	}
}
