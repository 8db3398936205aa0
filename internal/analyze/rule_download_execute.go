package analyze

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// downloadExecute: fetch something and run it.
type downloadExecute struct{}

var _ Rule = (*downloadExecute)(nil)

func (downloadExecute) Info() RuleInfo {
	return RuleInfo{ID: "download-execute", Severity: Critical,
		Description: "Something is downloaded or dropped and run: a shell or PowerShell download cradle (curl|sh, Invoke-WebRequest + Start-Process...), a file fetched by Python and then executed (anywhere when a Windows script host runs it), a repository cloned and a script in it run, or an encoded payload written to disk and started.",
		Triggers:    slices.Concat(networkWords, processWords)}
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
	var sites *fetchSites // needed only where something downloads
	if fetch != nil {
		sites = newFetchSites(f)
	}
	targets := downloadTargets(f, fetch, sites)
	if w := decodedDownloadToProgram(f); w != nil {
		// A program fetched as hex or base64 text is smuggled past
		// whatever inspects downloads: intent, wherever it sits.
		r.report(x.Info(), f, Critical, true, w.Line, w.Col, w.ctx, "decodes what it downloaded and writes it to a program file")
	}
	for _, c := range f.calls {
		if c.Name == "os.chmod" && len(c.Args) >= 2 && (targets[f.mod.Tree.Text(c.Args[0])] || targets[targetKey(f, c.Func, c.Args[0])]) && setsExec(f.mod.Tree.Text(c.Args[1])) {
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "makes the file it downloaded with "+fetch.Name+" (line "+itoa(fetch.Line)+") executable")
		}
	}
	if clone, run := clonedScriptRun(f); run != nil {
		r.report(x.Info(), f, Critical, false, run.Line, run.Col, run.ctx, "clones a repository ("+shortName(clone.Name)+", line "+itoa(clone.Line)+") and runs a script: "+first(run.cmd, run.Name), run.cmd)
	}
	if helped := droppedByHelper(f); len(helped) > 0 {
		for _, c := range f.calls {
			if !c.proc && c.Name != "os.startfile" {
				continue
			}
			for _, d := range helped {
				if startsDropped(f, c, d) {
					r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "writes an encoded payload to disk through "+d.helper+" (line "+itoa(d.call.Line)+") and starts it", c.cmd)
					return
				}
			}
		}
	}
	if outs := downloadOutputs(f); len(outs) > 0 {
		for i := range f.calls {
			// On demand, fetching a document and opening it is what
			// tools do; on install or import it is a dropper or a probe.
			c := &f.calls[i]
			if !c.ctx.Executes() {
				continue
			}
			if w, out := runsOutput(f, c, outs); w != nil {
				r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs "+out+", which "+w.sh.tool+" downloaded (line "+itoa(w.Line)+")", c.cmd)
				break
			}
		}
	}
	for _, c := range f.calls {
		if !c.proc {
			continue
		}
		sh := c.sh
		switch {
		case fetch != nil && runsTarget(f, c, targets):
			// From a paste site, a request catcher or a bare IP, it is a
			// second stage staged where such things are kept: malicious
			// wherever it sits.
			src, staged := stagedDownloads(f)
			msg := "runs the file it downloaded with " + fetch.Name + " (line " + itoa(fetch.Line) + ")"
			if staged {
				msg += " from " + src
			} else if host := scriptHost(c.cmd); host != "" {
				// Windows' script hosts running a downloaded script are
				// how droppers live off the land; installers ship
				// programs or MSI packages, not scripts for them.
				staged, msg = true, msg+" with the script host "+host
			} else if words := shellWords(c.cmd); len(words) > 0 && programName(words[0]) == "pythonw" {
				// Downloaded Python run without a window, out of the
				// user's sight.
				staged, msg = true, msg+" with no window (pythonw)"
			}
			r.report(x.Info(), f, Critical, staged, c.Line, c.Col, c.ctx, msg, c.cmd)
		case fetch != nil && runsTempFile(f, c):
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a temporary file after downloading with "+fetch.Name+" (line "+itoa(fetch.Line)+")", c.cmd)
		case drop != nil && c.ctx.Executes() && !buildTools[sh.tool]:
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "writes a payload to disk (line "+itoa(drop.Line)+") and runs a program", c.cmd)
		case sh.download != "" && (sh.runs != "" || sh.decoded != ""):
			// Hidden intent makes it malicious wherever it sits: the
			// command itself decoded at run time, or what it starts kept
			// out of sight.
			why, any := "", false
			if ds := commandDecoders(f, c); len(ds) > 0 {
				why, any = ", a command hidden by "+strings.Join(ds, " → "), true
			} else if reHiddenWindow.MatchString(c.cmd) {
				why, any = ", in a hidden window", true
			}
			r.report(x.Info(), f, Critical, any, c.Line, c.Col, c.ctx, "runs a command that downloads and executes: "+sh.download+" … "+sh.runs+why, c.cmd, sh.decoded)
		case sh.download != "" && sh.hidden:
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "runs a hidden command that downloads: "+sh.download, c.cmd, sh.decoded)
		case fetch != nil && (c.Name == "os.startfile" || runsProgram(c.cmd, sh)) && (c.ctx.Executes() || sites.in(c.Func)):
			// Nothing ties what is run to what was fetched: on install or
			// import that is enough; in code run on demand the two must
			// at least sit in one function (a CLI that downloads in one
			// command and opens a browser in another does neither).
			r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "downloads with "+fetch.Name+" (line "+itoa(fetch.Line)+") and runs "+first(c.cmd, c.Name), c.cmd)
		}
	}
}

// fetchSites are where a file's download calls sit: their functions,
// the outermost functions holding them and the classes of those.
type fetchSites struct {
	m       *python.Module
	fns     map[int32]bool
	outers  map[int32]bool
	classes map[string]bool
	classOf map[int32]string
}

func newFetchSites(f *file) *fetchSites {
	s := &fetchSites{m: f.mod, fns: map[int32]bool{}, outers: map[int32]bool{}, classes: map[string]bool{}}
	for _, c := range f.calls {
		if !isCallOf(c.Name, downloadAPIs) {
			continue
		}
		s.fns[c.Func] = true
		if c.Func >= 0 {
			o := outermost(f.mod, c.Func)
			s.outers[o] = true
			if cl := s.class(o); cl != "" {
				s.classes[cl] = true
			}
		}
	}
	return s
}

func (s *fetchSites) class(fn int32) string {
	if s.classOf == nil {
		s.classOf = make(map[int32]string, len(s.m.Funcs))
		for _, d := range s.m.Funcs {
			s.classOf[d.Node] = d.Class
		}
	}
	return s.classOf[fn]
}

// in reports a download call in function fn (-1: the top level), in a
// function nested in the same outermost function (helpers defined inside
// the one that downloads and runs), or in a method of the same class (a
// Dropper's download and run methods).
func (s *fetchSites) in(fn int32) bool {
	if s.fns[fn] {
		return true
	}
	if fn < 0 || len(s.outers) == 0 {
		return false
	}
	o := outermost(s.m, fn)
	if s.outers[o] {
		return true
	}
	cl := s.class(o)
	return cl != "" && s.classes[cl]
}

// outermost returns the top-level function holding function fn, or fn.
func outermost(m *python.Module, fn int32) int32 {
	for fn >= 0 {
		p := m.Enclosing(fn)
		if p < 0 {
			return fn
		}
		fn = p
	}
	return fn
}

// downloadTargets returns the expressions naming where downloaded content
// is saved: urlretrieve's filename, and files opened for writing in a file
// that downloads.
func downloadTargets(f *file, fetch *callFact, sites *fetchSites) map[string]bool {
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
		case (c.Name == "builtins.open" || c.Name == "io.open") && len(c.Args) >= 2 && (c.ctx.Executes() || sites.in(c.Func)):
			// A file written where nothing downloads (a report saved by
			// another function of a tool that also fetches) holds no
			// download: in code run on demand the write must sit with a
			// fetch.
			if m := f.mod.Eval(c.Args[1]); m.Known && strings.ContainsAny(m.S, "wa") {
				targets[targetKey(f, c.Func, c.Args[0])] = true
				// A constant name is matched in the command by its value:
				// open("x.py", "w") ... os.system("python x.py").
				if v := f.mod.Eval(c.Args[0]); v.Known && len(v.S) >= 3 {
					targets[byValue+v.S] = true
				}
			}
		}
	}
	return targets
}

// localScope separates a download target's name from the function it is
// local to.
const localScope = "\x00"

// targetKey is how a file written through expression n in function fn is
// kept among the download targets: a plain name that is a function's
// variable is keyed with that function, because the same name in another
// function is another variable (save(fn, text) writing a settings file is
// not shell()'s fn); anything else by its text.
func targetKey(f *file, fn, n int32) string {
	t := f.mod.Tree
	name := t.Text(n)
	if t.Nodes[n].Kind != python.KIdentifier {
		return name
	}
	if scope := f.mod.VarScope(fn, name); scope >= 0 && !returnsName(f.mod, scope, name) {
		return name + localScope + itoa(int(scope))
	}
	return name
}

// returnsName reports a function that returns its variable name (return
// path): a helper that writes a file and hands its path to the caller,
// whose callers may run it under any name.
func returnsName(m *python.Module, fn int32, name string) bool {
	t := m.Tree
	for i := range t.Nodes {
		if t.Nodes[i].Kind != python.KReturn || m.Enclosing(int32(i)) != fn {
			continue
		}
		if c := t.FirstChild(int32(i)); c >= 0 && t.Nodes[c].Kind == python.KIdentifier && t.Text(c) == name {
			return true
		}
	}
	return false
}

// runsTarget reports a process call whose command names a download target.
func runsTarget(f *file, c callFact, targets map[string]bool) bool {
	if !c.proc && c.Name != "os.startfile" || len(targets) == 0 {
		return false
	}
	t := f.mod.Tree
	words := shellWords(c.cmd)
	interp := len(words) > 0 && isInterpreter(words[0])
	if len(words) > 0 && words[0] == "?" {
		// A program not known (shutil.which("pythonw"), a VCS chosen at
		// run time) is taken to run what it is handed only when that
		// came from where second stages are kept.
		_, interp = stagedDownloads(f)
	}
	for i, a := range c.Args {
		text := t.Text(a)
		for target := range targets {
			if target == "" || strings.HasPrefix(target, byValue) {
				continue
			}
			if name, fn, scoped := strings.Cut(target, localScope); scoped {
				if fn != itoa(int(f.mod.VarScope(c.Func, name))) {
					continue
				}
				target = name
			}
			// By name: the file is the program started, or an
			// interpreter's argument. Handed to another program (twine
			// check, tar xf) it is read, not run.
			if i == 0 && startsWithExpr(programSlot(text), target) || interp && hasExprToken(text, target) {
				return true
			}
		}
	}
	// By value: the file is the program, or what an interpreter runs.
	if len(words) == 0 {
		return false
	}
	if targets[byValue+words[0]] {
		return true
	}
	if !interp {
		return false
	}
	for _, w := range words[1:] {
		if targets[byValue+w] {
			return true
		}
	}
	return false
}

// programSlot is the part of a process call's first argument that names
// the program: a list's or tuple's first element, else the whole text.
func programSlot(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || text[0] != '[' && text[0] != '(' {
		return text
	}
	depth, quote := 0, byte(0)
	for i := 1; i < len(text); i++ {
		switch b := text[i]; {
		case quote != 0:
			if b == '\\' {
				i++
			} else if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '(' || b == '[' || b == '{':
			depth++
		case b == ')' || b == ']' || b == '}':
			if depth == 0 {
				return strings.TrimSpace(text[1:i])
			}
			depth--
		case b == ',' && depth == 0:
			return strings.TrimSpace(text[1:i])
		}
	}
	return strings.TrimSpace(text[1:])
}

// startsWithExpr reports whether the program slot's text begins with the
// expression expr as a whole: expr itself, expr + " --flag", or a format
// string opening with it (f"{expr} run", "%s run" % expr).
func startsWithExpr(slot, expr string) bool {
	if slot == expr {
		return true
	}
	if rest, ok := strings.CutPrefix(slot, expr); ok {
		return !isIdentByte(rest[0]) && rest[0] != '.' && rest[0] != '['
	}
	for _, open := range []string{`f"{`, `f'{`, `"{`, `'{`, `"%s`, `'%s`} {
		if strings.HasPrefix(slot, open) {
			return hasExprToken(slot, expr)
		}
	}
	return false
}

// hasExprToken reports whether text names the expression expr as a
// whole, not as part of a longer name (dest in dest_path, f in "diff").
func hasExprToken(text, expr string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], expr)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(expr)
		i = at + 1
		if at > 0 && (isIdentByte(text[at-1]) || text[at-1] == '.') || end < len(text) && isIdentByte(text[end]) {
			continue
		}
		return true
	}
}

// byValue marks a download target known by its value (a constant file
// name), matched against a command's words, not its source text.
const byValue = "\x00"

// scriptRunners run the file named on their command line.
var scriptRunners = map[string]bool{"py": true, "pythonw": true, "sh": true, "bash": true, "zsh": true, "cmd": true, "powershell": true,
	"pwsh": true, "node": true, "wscript": true, "cscript": true, "start": true, "perl": true, "ruby": true}

// stagedDownloads reports whether every download call of f fetches from
// where second stages are kept (exfilDestination: then the file it runs
// can only have come from there), and names the first such place.
func stagedDownloads(f *file) (string, bool) {
	first := ""
	for i := range f.calls {
		c := &f.calls[i]
		if !isCallOf(c.Name, downloadAPIs) {
			continue
		}
		src, ok := exfilDestination(f, *c)
		if !ok {
			return "", false
		}
		if first == "" {
			first = src
		}
	}
	return first, first != ""
}

// droppedPayload returns a call writing a large encoded blob or a program
// to a file: the first half of a dropper. A helper writing one of its
// parameters is left to droppedByHelper.
func droppedPayload(f *file) *callFact {
	for i := range f.calls {
		c := &f.calls[i]
		if len(c.Args) == 0 || !(strings.HasSuffix(c.Name, ".write") || strings.HasSuffix(c.Name, ".write_bytes") || strings.HasSuffix(c.Name, ".write_text")) {
			continue
		}
		text := f.mod.Tree.Text(c.Args[0])
		if c.Func >= 0 && paramIn(f.mod.Params(c.Func), text) >= 0 {
			// A helper writing what it is given: its value is its
			// callers', and droppedByHelper judges them (the path
			// written must be the one started).
			continue
		}
		v := f.mod.Eval(c.Args[0])
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

// reHiddenWindow matches a command that starts a program out of sight:
// PowerShell's -WindowStyle Hidden (and its abbreviations).
var reHiddenWindow = regexp.MustCompile(`(?i)-w(in(dow)?)?(s(tyle)?)?\s+hidden\b`)

// commandDecoders lists the decoders that produced a process call's
// command line (base64, hex...), if any part of it was decoded.
func commandDecoders(f *file, c callFact) []string {
	args := c.Args
	if len(args) == 0 {
		if a, ok := c.Kwargs["args"]; ok {
			args = []int32{a}
		}
	}
	for _, a := range args {
		v := f.mod.Eval(a)
		if len(v.Decoders) > 0 {
			return v.Decoders
		}
		for _, e := range v.Elems {
			if len(e.Decoders) > 0 {
				return e.Decoders
			}
		}
	}
	return nil
}

// scriptHost names the Windows script host a command starts (wscript,
// cscript, mshta, regsvr32, rundll32), or "".
func scriptHost(cmd string) string {
	words := shellWords(cmd)
	if len(words) == 0 {
		return ""
	}
	switch prog := programName(words[0]); prog {
	case "wscript", "cscript", "mshta", "regsvr32", "rundll32":
		return prog
	}
	return ""
}
