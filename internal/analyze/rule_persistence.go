package analyze

import "strings"

// persistence: making code run again later.
type persistence struct{}

var _ Rule = (*persistence)(nil)

func (persistence) Info() RuleInfo {
	return RuleInfo{ID: "persistence", Severity: High,
		Description: "Code installs itself to run again: shell profiles, crontab, an SSH key added to authorized_keys, systemd units, Windows Run keys, the Startup folder, scheduled tasks, LaunchAgents; or keeps elevated rights by a UAC bypass (an auto-elevating program's registry command rewritten) or a new administrator account (a UAC bypass is critical in any context).",
		Triggers:    []string{"crontab", "bashrc", "schtasks", "CurrentVersion", "ms-settings", "fodhelper", "localgroup", "LocalUser", "DelegateExecute", "authorized_keys"}}
}

func (x persistence) Check(f *file, r *reporter) {
	// acts: the file runs programs or writes files or the registry;
	// actsNow: it does so on install, startup or import.
	acts, actsNow := false, false
	for _, c := range f.calls {
		if c.proc || strings.HasPrefix(c.Name, "builtins.open") || strings.HasPrefix(c.Name, "winreg.") ||
			strings.HasPrefix(c.Name, "_winreg.") || strings.HasPrefix(c.Name, "shutil.copy") ||
			strings.HasPrefix(c.Name, "win32com.client.Dispatch") { // WScript.Shell: shortcuts, the registry
			acts, actsNow = true, actsNow || c.ctx.Executes()
		}
	}
	if line, ctx, what, anyContext, ok := privilegeTrick(f); ok && acts {
		// No installer, tool or library elevates itself behind the
		// user's back: that holds wherever the code sits. An account
		// added is critical where it runs unasked.
		r.report(x.Info(), f, Critical, anyContext, line, 0, ctx, what)
		return
	}
	if c := addsSSHKey(f); c != nil {
		// A key added to the user's authorized_keys lets whoever holds it
		// log in later: no install or import has a reason to.
		r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "adds an SSH key to authorized_keys at "+string(c.ctx)+" time", c.cmd)
		return
	}
	for _, s := range f.strs {
		for _, h := range s.hits {
			if h.class != indPersistence {
				continue
			}
			if h.match == "crontab" && !strings.Contains(s.s, "crontab -") && !strings.Contains(s.s, "/crontab") {
				continue
			}
			// A location named at module level (CRON_COMMAND =
			// "/usr/bin/crontab") by a library that acts on it only when
			// called is not persistence on import.
			sev := Medium
			if actsNow && s.ctx.Executes() {
				sev = Critical
			} else if acts {
				sev = High
			}
			r.report(x.Info(), f, sev, false, s.line, 0, s.ctx, "touches a persistence location: "+h.match, h.match)
			return
		}
	}
}

// addsSSHKey returns a call run on install, import or start-up that
// writes or appends to an authorized_keys file: open() with a writing
// mode, or a command redirecting into it.
func addsSSHKey(f *file) *callFact {
	for i := range f.calls {
		c := &f.calls[i]
		if !c.ctx.Executes() {
			continue
		}
		if c.proc && strings.Contains(c.cmd, ">") && strings.Contains(c.cmd, "authorized_keys") {
			return c
		}
		if (c.Name == "builtins.open" || c.Name == "io.open") && len(c.Args) > 0 && (strings.Contains(textSoFar(f.mod.Eval(c.Args[0])), "authorized_keys") || strings.Contains(f.mod.Tree.Text(c.Args[0]), "authorized_keys")) {
			mode, ok := c.Kwargs["mode"]
			if len(c.Args) > 1 {
				mode, ok = c.Args[1], true
			}
			if m := f.mod.Eval(mode); ok && m.Known && strings.ContainsAny(m.S, "aw") {
				return c
			}
		}
	}
	return nil
}
