package analyze

import "strings"

// suspiciousCommand: commands at install or import time that builds do not run.
type suspiciousCommand struct{}

var _ Rule = (*suspiciousCommand)(nil)

func (suspiciousCommand) Info() RuleInfo {
	return RuleInfo{ID: "suspicious-command", Severity: High,
		Description: "A command that builds do not need runs at install or import time: hidden or encoded PowerShell, a download, a program fetched from elsewhere, a desktop application opened as proofs of code execution do (critical), or an unidentified command.",
		Triggers:    processWords}
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
		case desktopApps[strings.TrimSuffix(strings.ToLower(sh.tool), ".exe")]:
			// Opening the calculator or a text editor is how a proof of
			// code execution shows itself; no build or import needs it.
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "starts the desktop application "+quoteTool(sh.tool)+" at "+string(c.ctx)+" time, as proofs of code execution do", c.cmd)
		case c.ctx == Install && reconCommands[strings.TrimSuffix(strings.ToLower(sh.tool), ".exe")]:
			// Who am I, where am I: what a proof of code execution
			// prints, and what a probe collects first. Builds ask none
			// of it; a library may (a notebook client lists the local
			// addresses with ifconfig on import).
			r.report(x.Info(), f, High, false, c.Line, c.Col, c.ctx, "runs the reconnaissance command "+quoteTool(sh.tool)+" at "+string(c.ctx)+" time, as proofs of code execution do", c.cmd)
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
	if t == "" || t == "?" || !readableText(t) {
		return "a command"
	}
	return "`" + t + "`"
}

// desktopApps are the interactive programs proofs of code execution
// open: calculators, text editors, paint.
var desktopApps = map[string]bool{"calc": true, "notepad": true, "mspaint": true, "xcalc": true, "gnome-calculator": true,
	"kcalc": true, "gedit": true, "xeyes": true, "wordpad": true}

// reconCommands tell who and where the code runs: the user, the host,
// its addresses, the files beside it. (uname is left out: builds ask it
// for the machine's architecture.)
var reconCommands = map[string]bool{"whoami": true, "id": true, "hostname": true, "dir": true, "ipconfig": true,
	"ifconfig": true, "systeminfo": true, "tasklist": true, "net": true}
