package analyze

import (
	"slices"
	"strings"
)

// reverseShell: a shell wired to a socket.
type reverseShell struct{}

var _ Rule = (*reverseShell)(nil)

func (reverseShell) Info() RuleInfo {
	return RuleInfo{ID: "reverse-shell", Severity: Critical, AnyContext: true,
		Description:        "A shell is connected to a remote host (bash -i >& /dev/tcp, nc -e, or a socket duplicated onto stdin/stdout before spawning a shell), or a chat-bot handler or web route runs the text it receives as a command or code.",
		Triggers:           slices.Concat(networkWords, processWords),
		AnyContextTriggers: []string{"/dev/tcp", "dup2", " -e "}}
}

func (x reverseShell) Check(f *file, r *reporter) {
	var connect, dup, spawn *callFact
	for i := range f.calls {
		c := &f.calls[i]
		switch {
		case strings.HasSuffix(c.Name, ".connect") && strings.HasPrefix(c.Name, "socket."):
			connect = c
		case c.Name == "os.dup2":
			dup = c
		case c.Name == "pty.spawn" || c.proc && (strings.Contains(c.cmd, "/bin/sh") || strings.Contains(c.cmd, "/bin/bash") || strings.Contains(c.cmd, "cmd.exe") || strings.Contains(c.cmd, "powershell")):
			spawn = c
		}
		if c.proc && len(c.Args) > 0 {
			// A command read from a socket: a remote shell.
			v := f.mod.Eval(c.Args[0])
			if v.DerivesFrom(func(s string) bool { return strings.HasPrefix(s, "socket.") && strings.Contains(s, ".recv") }) {
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs commands received from a socket")
				return
			}
			// The whole command, program included, comes from a web
			// response: a command-and-control loop.
			if (c.sh.tool == "" || c.sh.tool == "?") && v.DerivesFrom(isNetwork) {
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs commands received over the network")
				return
			}
		}
		if c.proc {
			if sh := c.sh; sh.reverse != "" {
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a reverse shell: "+sh.reverse, c.cmd)
				return
			}
		}
	}
	if c, via := remoteControl(f); c != nil {
		r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, shortName(c.Name)+" runs "+via+": remote control")
		return
	}
	if connect != nil && spawn != nil && (dup != nil || spawn.Name == "pty.spawn") {
		r.report(x.Info(), f, Critical, false, spawn.Line, spawn.Col, spawn.ctx, "connects a socket (line "+itoa(connect.Line)+") and gives it a shell")
	}
	for _, s := range f.strs {
		// A shell in a string of Python (python -c "...") or of shell.
		if strings.Contains(s.s, "dup2") && strings.Contains(s.s, "connect") && (strings.Contains(s.s, "pty") || strings.Contains(s.s, "/bin/")) {
			r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "holds a reverse shell: a socket duplicated onto a shell's input and output", s.s)
			return
		}
		if !strings.Contains(s.s, "/dev/tcp") && !strings.Contains(s.s, " -e ") {
			continue
		}
		if m := reverseShellIn(shellFilter.candidates(s.s), s.s); m != "" {
			r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "holds a reverse-shell command: "+m, s.s)
			return
		}
	}
}
