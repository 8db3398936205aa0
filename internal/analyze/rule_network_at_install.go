package analyze

import "strings"

// networkAtInstall: network access while installing.
type networkAtInstall struct{}

var _ Rule = (*networkAtInstall)(nil)

func (networkAtInstall) Info() RuleInfo {
	return RuleInfo{ID: "network-at-install", Severity: Medium,
		Description: "The network is used while the package is installed, at interpreter start or on import. A few builds download native libraries; most packages never need to.",
		Triggers:    networkWords}
}

func (x networkAtInstall) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if c.net && c.ctx.Executes() && !strings.HasPrefix(c.Name, "socket.getaddrinfo") {
			r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "uses the network ("+shortName(c.Name)+") at "+string(c.ctx)+" time")
			return
		}
	}
}
