package analyze

// defenceEvasion: switching off or hiding from security tools.
type defenceEvasion struct{}

var _ Rule = (*defenceEvasion)(nil)

func (defenceEvasion) Info() RuleInfo {
	return RuleInfo{ID: "defence-evasion", Severity: High,
		Description: "Code disables or dodges defences: Defender exclusions and switches, firewall changes, killing security tools, virtual-machine and sandbox checks.",
		Triggers:    []string{"Mp", "taskkill", "vbox"}}
}

func (x defenceEvasion) Check(f *file, r *reporter) {
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class == indEvasion {
				r.report(x.Info(), f, High, false, s.line, 0, s.ctx, "defence evasion: "+h.match, h.match)
				return
			}
		}
	}
}
