package analyze

import (
	"context"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// maxSourceBytes is the largest Python file parsed.
const maxSourceBytes = 16 << 20

// maxPayloadDepth bounds payloads decoded from payloads.
const maxPayloadDepth = 3

// Result is the analysis of one artifact.
type Result struct {
	Verdict  Verdict   `json:"verdict"`
	Score    int       `json:"score"`
	Findings []Finding `json:"findings"`
	// PythonFiles counts the Python sources analysed.
	PythonFiles int `json:"python_files"`
	// ParsedBytes is the size of the Python sources parsed, nested
	// archives' included: the rest could not hold what the rules look for.
	ParsedBytes int64 `json:"parsed_bytes"`
	// Problems are files that could not be analysed (too large, parse
	// timeout), with why.
	Problems []string `json:"problems,omitempty"`
}

// Analyze examines an artifact's code and packing and returns a verdict.
func Analyze(ctx context.Context, a *artifact.Artifact) *Result {
	res := &Result{}
	analyzeInto(ctx, a, res, "", false)
	res.Findings = append(res.Findings, combinedThreats{}.CheckFindings(res.Findings)...)
	sortFindings(res.Findings)
	res.Verdict, res.Score = verdict(res.Findings)
	return res
}

// analyzeInto adds a's findings to res, its files named under prefix.
// When data is set, a is an archive inside a distribution: installing or
// importing the distribution never installs or imports it, so none of its
// code runs on install, startup or import (rules whose findings hold in
// any context still fire).
func analyzeInto(ctx context.Context, a *artifact.Artifact, res *Result, prefix string, data bool) {
	var py []*artifact.File
	for _, f := range a.Files {
		if f.Type == artifact.TypeRegular && (strings.HasSuffix(f.Path, ".py") || strings.HasSuffix(f.Path, ".pyw")) {
			py = append(py, f)
		}
	}
	// Contexts come first, from the imports read off the text; then only
	// what can matter is parsed: all code that runs on install, startup or
	// import, and other code that mentions a behaviour the rules look for.
	skims := skimAll(a, py)
	imports := make(map[string][]python.Import, len(py))
	for i, f := range py {
		if f.Size <= maxSourceBytes {
			imports[f.Path] = skims[i].imports
		}
	}
	ctxs, idx, reaches := assignContexts(a, py, imports)
	if data {
		for p, c := range ctxs {
			if c.rank() <= Entry.rank() {
				ctxs[p] = Runtime
			}
		}
		clear(reaches)
	}
	pos := make(map[string]int, len(py))
	for i, f := range py {
		pos[f.Path] = i
	}
	leads := &behaviourLeads{a: a, py: py, idx: idx, imports: imports, skims: skims, pos: pos}
	plain := map[string]bool{} // files parsed only as leads
	parse := func(i int) bool {
		f := py[i]
		switch c := ctxs[f.Path]; {
		case c == Install || c == Startup:
			return true
		case c == Test:
			return skims[i].hasAnyContextWord(f)
		case skims[i].hasBehaviourWord(f) || skims[i].hasAnyContextWord(f):
			return true
		case c == Runtime && reaches[f.Path] == nil:
			return false
		}
		// Running code that holds no behaviour itself may call into a
		// module that does, or into one that calls into one: it is
		// parsed to see what it calls.
		if leads.importsBehaviour(i) {
			plain[f.Path] = true
			return true
		}
		return false
	}
	var sel []*artifact.File
	for i := range py {
		if parse(i) {
			sel = append(sel, py[i])
		}
	}
	// Each selected file is parsed and judged on its own, in parallel, and
	// its tree dropped; what the artifact-wide steps below need of it is
	// kept in its outcome.
	outs := make(map[string]*outcome, len(sel))
	consts := newLocalConsts(a, py, idx)
	judgeAll := func(files []*artifact.File) {
		for i, o := range examineAll(ctx, prefix, files, ctxs, reaches, plain, consts) {
			if o != nil {
				outs[files[i].Path] = o
			}
		}
	}
	judgeAll(sel)
	// Then what running code reaches in other files — scripts it runs,
	// functions of other modules it calls — takes its context, and the
	// files so raised are judged again, until nothing moves.
	for round := 0; round < maxReachRounds && ctx.Err() == nil; round++ {
		var again []*artifact.File
		for _, p := range propagate(a, py, idx, imports, outs, ctxs, reaches) {
			if i := pos[p]; parse(i) {
				again = append(again, py[i])
			}
		}
		if len(again) == 0 {
			break
		}
		sort.Slice(again, func(i, j int) bool { return pos[again[i].Path] < pos[again[j].Path] })
		judgeAll(again)
	}
	net := false
	for _, o := range outs {
		net = net || o.net
	}
	for _, f := range py {
		o := outs[f.Path]
		if o == nil {
			continue
		}
		if c, r := ctxs[f.Path], reaches[f.Path]; o.ctx != c || !o.reach.same(r) {
			// Raised after it was last judged: judge it again as it runs.
			o = examine(prefix, f, c, r, plain[f.Path], consts.external(f.Path))
		}
		res.addProblem(o.problem)
		if !o.loaded {
			continue
		}
		res.PythonFiles++
		res.ParsedBytes += o.parsed
		res.Findings = append(res.Findings, o.findingsFor(net)...)
	}
	runArtifactRules(a, prefix, res)
	dist := data || a.Kind == artifact.KindSdist || a.Kind == artifact.KindWheel || a.Kind == artifact.KindEgg || a.Kind == artifact.KindProject
	for _, n := range a.Nested {
		analyzeInto(ctx, n, res, prefix+strings.TrimPrefix(n.Path, a.Path+"!/")+"!/", dist)
	}
}

// fileFindings runs every rule over one source and, recursively, over
// the code its decoders reveal.
func fileFindings(p string, c Context, r *reach, mod *python.Module, src []byte, net *netQuery) []Finding {
	f := newFile(p, c, mod, r)
	f.net = net
	return judge(f, src)
}

// judge runs every rule over f, whose real file's source is src.
func judge(f *file, src []byte) []Finding {
	r := &reporter{src: src}
	runRules(f, r, src)
	return r.findings
}

func runRules(f *file, r *reporter, src []byte) {
	own := len(r.findings)
	for _, rule := range Rules {
		rule.Check(f, r)
	}
	if f.depth >= maxPayloadDepth {
		return
	}
	ownEnd := len(r.findings)
	for _, p := range payloadsOf(f) {
		sub, err := python.Load([]byte(p.code))
		if err != nil || len(sub.Calls) == 0 {
			continue
		}
		mark := len(r.findings)
		child := newFile(f.path, p.ctx, sub, nil)
		child.payload, child.parentLine, child.depth = p.via, p.line, f.depth+1
		child.net = f.net
		if f.payload != "" {
			child.payload = f.payload + " → " + p.via
			child.parentLine = f.parentLine
		}
		// Code run by exec runs in the context of the exec call.
		for i := range child.calls {
			if child.calls[i].Func < 0 {
				child.calls[i].ctx = p.ctx
			}
		}
		runRules(child, r, src)
		// Code that runs a compressed copy of its own source (versioneer's
		// loader: the file stubs the functions the copy defines) is not
		// hiding a payload when the copy does nothing the rules look for.
		if name := selfCopy(f, sub, p); name != "" && maxSeverity(r.findings[mark:]) < Medium {
			demoteSelfCopy(r.findings[own:ownEnd], p, name)
		}
	}
}

// selfCopy names a function that decoded code defines and the file that
// decodes it defines as well, when the code was only encoded or
// compressed (base64, zlib...) and parses as a whole module: the file
// carries a copy of its own source. It returns "" otherwise.
func selfCopy(f *file, sub *python.Module, p payload) string {
	if f.depth > 0 || sub.Tree.HasError || len(p.code) < 4096 {
		return ""
	}
	for _, d := range strings.Split(p.via, " → ") {
		d = strings.TrimSuffix(d, "()")
		if !strings.HasPrefix(d, "base64.") && !strings.HasPrefix(d, "zlib.") && !strings.HasPrefix(d, "gzip.") &&
			!strings.HasPrefix(d, "bz2.") && !strings.HasPrefix(d, "lzma.") && !strings.HasSuffix(d, ".decode") && !strings.HasSuffix(d, ".encode") {
			return ""
		}
	}
	mine := map[string]bool{}
	for _, fn := range f.mod.Funcs {
		if fn.Class == "" {
			mine[fn.Name] = true
		}
	}
	for _, fn := range sub.Funcs {
		if fn.Class == "" && mine[fn.Name] && !strings.HasPrefix(fn.Name, "_") {
			return fn.Name
		}
	}
	return ""
}

// demoteSelfCopy lowers to medium the exec-obfuscated findings that ran
// the copy p of the file's own source.
func demoteSelfCopy(fs []Finding, p payload, name string) {
	for i := range fs {
		if fs[i].Rule == "exec-obfuscated" && fs[i].Severity > Medium && slices.Contains(fs[i].Evidence, excerpt(python.Value{S: p.code, Known: true})) {
			fs[i].Severity = Medium
			fs[i].Message += " (a copy of its own source: it defines " + name + " as this file does, and does nothing the rules look for)"
		}
	}
}

func maxSeverity(fs []Finding) Severity {
	m := Info
	for _, f := range fs {
		m = max(m, f.Severity)
	}
	return m
}

type payload struct {
	code string
	via  string
	line int
	ctx  Context
}

// payloadsOf returns decoded values and exec'd constant strings that look
// like Python.
func payloadsOf(f *file) []payload {
	var out []payload
	seen := map[string]bool{}
	add := func(code, via string, line int, ctx Context) {
		if len(code) < 8 || seen[code] || !looksLikePython(code) {
			return
		}
		seen[code] = true
		out = append(out, payload{code, via, line, ctx})
	}
	for _, p := range f.mod.Payloads {
		add(p.Value.S, strings.Join(p.Value.Decoders, " → "), f.line(p.Line), f.contextOf(f.mod.Enclosing(p.Node)))
	}
	for _, c := range f.calls {
		if c.proc {
			if code := pythonCode(f, c); code != "" {
				add(code, payloadPythonC, f.line(c.Line), c.ctx)
			}
		}
		if len(c.Args) == 0 {
			continue
		}
		switch {
		case c.Name == "builtins.exec" || c.Name == "builtins.eval" || c.Name == "builtins.compile":
			if v := f.mod.Eval(c.Args[0]); v.Known && len(v.Decoders) == 0 {
				add(v.S, shortName(c.Name)+" of a string", f.line(c.Line), c.ctx)
			}
		case strings.HasSuffix(c.Name, ".write") || strings.HasSuffix(c.Name, ".write_text") || strings.HasSuffix(c.Name, ".write_bytes"):
			// Code written to a file is usually run next (droppers).
			if v := f.mod.Eval(c.Args[0]); v.Known {
				add(v.S, "code written to a file", f.line(c.Line), c.ctx)
			}
		}
	}
	return out
}

func looksLikePython(s string) bool {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return false
	}
	for _, kw := range []string{"import ", "exec(", "eval(", "def ", "__import__", "os.system", "subprocess", "open("} {
		if strings.Contains(s, kw) {
			return true
		}
	}
	return false
}

// maxReachRounds bounds the rounds of the reachability step: each judges
// again the files the last one raised.
const maxReachRounds = 8

// assignContexts gives every Python file its context: by place first
// (setup.py, build backends, .pth-adjacent startup files, __init__), the
// modules and functions entry points name, then every local module
// imported by install, startup, import or entry-point code at its top
// level takes that context too. It returns the module index it built and
// how entry points reach files.
func assignContexts(a *artifact.Artifact, py []*artifact.File, imports map[string][]python.Import) (map[string]Context, moduleIndex, map[string]*reach) {
	ctxs := make(map[string]Context, len(py))
	paths := make([]string, len(py))
	for i, f := range py {
		paths[i] = f.Path
		ctxs[f.Path] = initialContext(a, f.Path)
	}
	for _, b := range buildBackendFiles(a) {
		if p := rootedPath(a, b); ctxs[p] != "" {
			ctxs[p] = Install
		}
	}
	idx := newModuleIndex(a, paths)
	reaches := map[string]*reach{}
	for _, p := range paths {
		// A package's __main__.py is what `python -m package` runs.
		if path.Base(p) == "__main__.py" && ctxs[p] == Runtime {
			ctxs[p] = Entry
			reachOf(reaches, p).script = true
		}
	}
	for _, ep := range entryPoints(a) {
		p, ok := idx[ep.Module]
		if !ok {
			continue
		}
		if ctxs[p].rank() > Entry.rank() {
			ctxs[p] = Entry
		}
		if name, _, _ := strings.Cut(ep.Attr, "."); name != "" {
			reachOf(reaches, p).raise(name, Entry)
		}
	}
	var start []string
	for _, p := range paths {
		if ctxs[p].rank() <= Entry.rank() {
			start = append(start, p)
		}
	}
	spread(a, idx, imports, ctxs, start, nil)
	return ctxs, idx, reaches
}

// spread gives the local modules that files in start import at their top
// level (setup.py's anywhere) the files' context, and so on through what
// those import. Files it raises are marked in changed, if not nil.
func spread(a *artifact.Artifact, idx moduleIndex, imports map[string][]python.Import, ctxs map[string]Context, start []string, changed map[string]bool) {
	queue := start
	for steps := 0; len(queue) > 0 && steps < 10000; steps++ {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range imports[p] {
			if imp.Func >= 0 && ctxs[p] != Install {
				continue // an import inside a function runs when it is called
			}
			for _, target := range idx.resolve(a, p, imp) {
				if target == p || ctxs[target].rank() <= ctxs[p].rank() {
					continue
				}
				ctxs[target] = ctxs[p]
				if changed != nil {
					changed[target] = true
				}
				queue = append(queue, target)
			}
		}
	}
}

// reachOf returns the reach of file p, making it.
func reachOf(reaches map[string]*reach, p string) *reach {
	r := reaches[p]
	if r == nil {
		r = &reach{}
		reaches[p] = r
	}
	return r
}

// propagate gives what running code reaches in other files the context
// of that code, reading the outcomes of the files judged so far: scripts
// it runs by name (os.system("pythonw helper.pyw") in an __init__ runs
// helper.pyw on import), modules it runs with `python -m` or imports with
// `python -c`, and functions and modules of the artifact it calls
// (setup.py calling pkg.helper.steal() runs steal on install). Only
// contexts that run code spread, and only towards more exposed ones. It
// returns the files whose context or reach it changed, in no order.
func propagate(a *artifact.Artifact, py []*artifact.File, idx moduleIndex, imports map[string][]python.Import, outs map[string]*outcome, ctxs map[string]Context, reaches map[string]*reach) []string {
	byBase := map[string]string{}
	for _, f := range py {
		byBase[path.Base(f.Path)] = f.Path
	}
	changed := map[string]bool{}
	raiseModule := func(target string, c Context) {
		if ctxs[target].rank() > c.rank() {
			ctxs[target] = c
			changed[target] = true
			spread(a, idx, imports, ctxs, []string{target}, changed)
		}
	}
	raiseMembers := func(target string, run processRun) {
		for _, m := range run.members {
			if reachOf(reaches, target).raise(m+"()", run.ctx) {
				changed[target] = true
			}
		}
	}
	for _, f := range py {
		p := f.Path
		o := outs[p]
		if o == nil || !o.loaded {
			continue
		}
		for _, run := range o.runs {
			for _, word := range run.words {
				if target, ok := byBase[path.Base(strings.Trim(word, `"'`))]; ok && target != p {
					raiseModule(target, run.ctx)
					if r := reachOf(reaches, target); !run.load && !r.script {
						r.script, changed[target] = true, true
					}
					raiseMembers(target, run)
				}
			}
			for _, mod := range run.modules {
				if target, ok := idx[mod]; ok && target != p {
					raiseModule(target, run.ctx)
					raiseMembers(target, run)
				}
			}
		}
		for _, ref := range o.refs {
			target, member := idx.lookup(a, p, ref)
			if target == "" || target == p {
				continue
			}
			raiseModule(target, ref.ctx)
			if ref.called {
				member += "()"
			}
			if member != "" && member != "()" && reachOf(reaches, target).raise(member, ref.ctx) {
				changed[target] = true
			}
		}
	}
	out := make([]string, 0, len(changed))
	for p := range changed {
		out = append(out, p)
	}
	return out
}

func rootedPath(a *artifact.Artifact, rel string) string {
	if a.Root == "" {
		return rel
	}
	return a.Root + "/" + rel
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Severity != fs[j].Severity {
			return fs[i].Severity > fs[j].Severity
		}
		if fs[i].File != fs[j].File {
			return fs[i].File < fs[j].File
		}
		return fs[i].Line < fs[j].Line
	})
}
