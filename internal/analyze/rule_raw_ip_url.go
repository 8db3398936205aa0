package analyze

import "slices"

// rawIPURL: URLs that name a bare IP address.
type rawIPURL struct{}

var _ Rule = (*rawIPURL)(nil)

func (rawIPURL) Info() RuleInfo {
	return RuleInfo{ID: "raw-ip-url", Severity: Medium,
		Description: "A URL names a bare IP address rather than a host: typical of command-and-control and payload servers.",
		Triggers:    slices.Concat(networkWords, processWords)}
}

func (x rawIPURL) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class != indRawIP || isPrivateOrLocal(h.match) {
				continue
			}
			sev := Medium
			if s.ctx.Executes() {
				sev = High
				for _, c := range f.calls {
					if c.ctx.Executes() && (c.net || c.proc) {
						sev = Critical // install or import code that talks to a bare IP
						break
					}
				}
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, "URL with a bare IP address: "+h.match, h.match)
			return
		}
	}
}
