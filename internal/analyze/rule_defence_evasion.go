package analyze

import "regexp"

// defenceEvasion: switching off or hiding from security tools.
type defenceEvasion struct{}

var _ Rule = (*defenceEvasion)(nil)

func (defenceEvasion) Info() RuleInfo {
	return RuleInfo{ID: "defence-evasion", Severity: High,
		Description: "Code disables or dodges defences: Defender exclusions and switches, firewall changes, killing security tools, deleting shadow copies, virtual-machine and sandbox checks. A command that switches a defence off, run on install, import or start-up, is critical.",
		Triggers:    []string{"Mp", "taskkill", "vbox"}}
}

// reDisablesDefence matches commands that switch a defence off or carve
// an exception into it, as opposed to checks for a sandbox or a debugger.
var reDisablesDefence = regexp.MustCompile(`(?i)DisableRealtimeMonitoring|Add-MpPreference|Set-MpPreference|DisableAntiSpyware|netsh\s+advfirewall\s+set|\btaskkill\b.*\b(?:defender|msmpeng|avast|avg|kaspersky|malwarebytes)|vssadmin\s+delete|bcdedit\s+/set`)

func (x defenceEvasion) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		// No package's install or import has a reason to weaken the
		// machine's defences.
		if c.proc && c.ctx.Executes() {
			if m := reDisablesDefence.FindString(c.cmd); m != "" {
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a command that disables a defence at "+string(c.ctx)+" time: "+m, c.cmd)
				return
			}
		}
	}
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class == indEvasion {
				r.report(x.Info(), f, High, false, s.line, 0, s.ctx, "defence evasion: "+h.match, h.match)
				return
			}
		}
	}
}
