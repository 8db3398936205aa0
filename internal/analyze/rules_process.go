package analyze

import (
	"regexp"
	"strconv"
	"strings"
)

// downloadExecute: fetch something and run it.
type downloadExecute struct{}

func (downloadExecute) Info() RuleInfo {
	return RuleInfo{ID: "download-execute", Severity: Critical,
		Description: "Something is downloaded or dropped and run: a shell or PowerShell download cradle (curl|sh, Invoke-WebRequest + Start-Process...), a file fetched by Python and then executed, or an encoded payload written to disk and started."}
}

func (x downloadExecute) Check(f *file, r *reporter) {
	var fetch *callFact
	for i := range f.calls {
		if isCallOf(f.calls[i].Name, downloadAPIs) {
			fetch = &f.calls[i]
			break
		}
	}
	drop := droppedPayload(f)
	targets := downloadTargets(f, fetch)
	if w := decodedDownloadToProgram(f); w != nil {
		r.report(x.Info(), f, Critical, false, w.Line, w.Col, w.ctx, "decodes what it downloaded and writes it to a program file")
	}
	for _, c := range f.calls {
		if c.Name == "os.chmod" && len(c.Args) >= 2 && targets[f.mod.Tree.Text(c.Args[0])] && setsExec(f.mod.Tree.Text(c.Args[1])) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "makes the file it downloaded with "+fetch.Name+" (line "+itoa(fetch.Line)+") executable")
		}
	}
	for _, c := range f.calls {
		if !c.proc {
			continue
		}
		sh := c.sh
		switch {
		case fetch != nil && runsTarget(f, c, targets):
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs the file it downloaded with "+fetch.Name+" (line "+itoa(fetch.Line)+")", c.cmd)
		case drop != nil && c.ctx.Executes() && !buildTools[sh.tool]:
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "writes a payload to disk (line "+itoa(drop.Line)+") and runs a program", c.cmd)
		case sh.download != "" && (sh.runs != "" || sh.decoded != ""):
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a command that downloads and executes: "+sh.download+" … "+sh.runs, c.cmd, sh.decoded)
		case sh.download != "" && sh.hidden:
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a hidden command that downloads: "+sh.download, c.cmd, sh.decoded)
		case fetch != nil && (c.Name == "os.startfile" || runsProgram(c.cmd, sh)):
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "downloads with "+fetch.Name+" (line "+itoa(fetch.Line)+") and runs "+first(c.cmd, c.Name), c.cmd)
		}
	}
}

// downloadTargets returns the expressions naming where downloaded content
// is saved: urlretrieve's filename, and files opened for writing in a file
// that downloads.
func downloadTargets(f *file, fetch *callFact) map[string]bool {
	if fetch == nil {
		return nil
	}
	t := f.mod.Tree
	targets := map[string]bool{}
	for _, c := range f.calls {
		switch {
		case strings.HasSuffix(c.Name, "urlretrieve") && len(c.Args) >= 2:
			targets[t.Text(c.Args[1])] = true
		case c.Name == "wget.download" && len(c.Args) >= 2:
			targets[t.Text(c.Args[1])] = true
		case (c.Name == "builtins.open" || c.Name == "io.open") && len(c.Args) >= 2:
			if m := f.mod.Eval(c.Args[1]); m.Known && strings.ContainsAny(m.S, "wa") {
				targets[t.Text(c.Args[0])] = true
			}
		}
	}
	return targets
}

// runsTarget reports a process call whose command names a download target.
func runsTarget(f *file, c callFact, targets map[string]bool) bool {
	if !c.proc && c.Name != "os.startfile" || len(targets) == 0 {
		return false
	}
	t := f.mod.Tree
	for _, a := range c.Args {
		text := t.Text(a)
		for target := range targets {
			if target != "" && strings.Contains(text, target) {
				return true
			}
		}
	}
	return false
}

// droppedPayload returns a call writing a large encoded blob or a program
// to a file: the first half of a dropper.
func droppedPayload(f *file) *callFact {
	for i := range f.calls {
		c := &f.calls[i]
		if len(c.Args) == 0 || !(strings.HasSuffix(c.Name, ".write") || strings.HasSuffix(c.Name, ".write_bytes") || strings.HasSuffix(c.Name, ".write_text")) {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		text := f.mod.Tree.Text(c.Args[0])
		switch {
		case v.Known && len(v.Decoders) > 0 && len(v.S) > 512:
			return c
		case len(text) > 2048 && isBlobLike(strings.Trim(text[strings.IndexAny(text, `'"`)+1:], `'")`)):
			return c
		case v.Known && len(v.S) > 64 && (isExecutable([]byte(v.S)) || looksLikePython(v.S) && strings.Contains(v.S, "exec(")):
			return c
		}
	}
	return nil
}

// reverseShell: a shell wired to a socket.
type reverseShell struct{}

func (reverseShell) Info() RuleInfo {
	return RuleInfo{ID: "reverse-shell", Severity: Critical, AnyContext: true,
		Description: "A shell is connected to a remote host (bash -i >& /dev/tcp, nc -e, or a socket duplicated onto stdin/stdout before spawning a shell)."}
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
		if m := reReverse.FindString(s.s); m != "" {
			r.report(x.Info(), f, Critical, false, s.line, 0, s.ctx, "holds a reverse-shell command: "+m, s.s)
			return
		}
	}
}

// suspiciousCommand: commands at install or import time that builds do not run.
type suspiciousCommand struct{}

func (suspiciousCommand) Info() RuleInfo {
	return RuleInfo{ID: "suspicious-command", Severity: High,
		Description: "A command that builds do not need runs at install or import time: hidden or encoded PowerShell, a download, a program fetched from elsewhere, or an unidentified command."}
}

func (x suspiciousCommand) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.proc || !c.ctx.Executes() {
			continue
		}
		sh := c.sh
		if sh.download != "" && (sh.runs != "" || sh.hidden || sh.decoded != "") {
			continue // download-execute reports it
		}
		switch {
		case sh.decoded != "" || sh.hidden:
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "runs hidden or encoded PowerShell", c.cmd, sh.decoded)
		case sh.download != "":
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "runs a download at "+string(c.ctx)+" time: "+sh.download, c.cmd)
		case sh.tool == "pythonw":
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "runs a Python script with no window at "+string(c.ctx)+" time", c.cmd)
		case c.Name == "os.startfile" || runsProgram(c.cmd, sh):
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "runs a program at "+string(c.ctx)+" time", c.cmd)
		case sh.pipInstall:
			// pipInstall reports it.
		case c.ctx == Install && (c.cmd == "" || strings.HasPrefix(c.cmd, "?")):
			r.report(x.Info(), f, Low, false, c.Line, c.Col, c.ctx, "runs a command computed at install time", c.cmd)
		case c.ctx.Executes() && !buildTools[sh.tool]:
			r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "runs "+quoteTool(sh.tool)+" at "+string(c.ctx)+" time", c.cmd)
		}
	}
}

func quoteTool(t string) string {
	if t == "" || t == "?" {
		return "a command"
	}
	return "`" + t + "`"
}

// pipInstall: installing other packages from inside a package.
type pipInstall struct{}

func (pipInstall) Info() RuleInfo {
	return RuleInfo{ID: "pip-install-at-runtime", Severity: Medium,
		Description: "The package runs pip to install other packages while it is being installed or imported, outside the resolver and its pins: a common second-stage dropper."}
}

func (x pipInstall) Check(f *file, r *reporter) {
	for _, c := range f.calls {
		if !c.ctx.Executes() {
			continue
		}
		pipCall := c.Name == "pip.main" || c.Name == "pip._internal.main" || c.Name == "pip._internal.cli.main.main"
		if !(c.proc && rePip.MatchString(c.cmd) || pipCall) {
			continue
		}
		// What is installed is written so that no one can read it.
		if args := f.mod.Tree.Text(c.Node); isObfuscatedExpr(args) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "installs packages whose names are hidden by obfuscation at "+string(c.ctx)+" time")
			continue
		}
		r.report(x.Info(), f, Medium, false, c.Line, c.Col, c.ctx, "installs packages with pip at "+string(c.ctx)+" time", c.cmd)
	}
}

// isObfuscatedExpr recognises expressions built to hide a string: names
// assembled from builtins' reprs, chr() arithmetic, reversed or decoded data.
func isObfuscatedExpr(text string) bool {
	marks := 0
	for _, m := range []string{"__builtins__", "__str__", "chr(", "getattr(", "[::-1]", "b64decode", "<<", "\\x"} {
		if strings.Contains(text, m) {
			marks++
		}
	}
	return marks >= 2
}

func itoa(i int) string { return strconv.Itoa(i) }

// setsExec reports a chmod mode that makes a file executable.
func setsExec(mode string) bool {
	if strings.Contains(mode, "S_IEXEC") || strings.Contains(mode, "S_IX") {
		return true
	}
	m := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(mode)), "0o"), "0")
	v, err := strconv.ParseUint(m, 8, 32)
	return err == nil && v&0o111 != 0
}

// decodedDownloadToProgram returns a write of downloaded data that was
// decoded (hex, base64) on the way, in a function that opens a program
// file (.exe, .dll, .scr...) for writing: a program smuggled as text.
func decodedDownloadToProgram(f *file) *callFact {
	programFile := map[int32]bool{} // functions opening a program file for writing
	for _, c := range f.calls {
		if (c.Name == "builtins.open" || c.Name == "io.open") && len(c.Args) >= 2 {
			mode, p := f.mod.Eval(c.Args[1]), f.mod.Eval(c.Args[0])
			if mode.Known && strings.ContainsAny(mode.S, "wa") && reProgramFile.MatchString(valueText(p)) {
				programFile[c.Func] = true
			}
		}
	}
	if len(programFile) == 0 {
		return nil
	}
	for i := range f.calls {
		c := &f.calls[i]
		if !programFile[c.Func] || len(c.Args) == 0 || !strings.HasSuffix(c.Name, ".write") {
			continue
		}
		v := f.mod.Eval(c.Args[0])
		if v.DerivesFrom(isNetwork) && v.DerivesFrom(func(s string) bool { return isDecoder(strings.TrimSuffix(s, "()")) }) {
			return c
		}
	}
	return nil
}

var reProgramFile = regexp.MustCompile(`(?i)\.(?:exe|dll|scr|com|pif|msi|bat|cmd|ps1|vbs|hta|jar)["']?$`)
