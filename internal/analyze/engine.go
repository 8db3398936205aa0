package analyze

import (
	"context"
	"path"
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
	ctxs := assignContexts(a, py, imports)
	if data {
		for p, c := range ctxs {
			if c.Executes() {
				ctxs[p] = Runtime
			}
		}
	}
	var sel []*artifact.File
	for i, f := range py {
		switch c := ctxs[f.Path]; {
		case c == Install || c == Startup, (c == Import || c == Runtime) && skims[i].hasBehaviourWord(f), skims[i].hasAnyContextWord(f):
			sel = append(sel, f)
		}
	}
	// Each selected file is parsed and judged on its own, in parallel, and
	// its tree dropped; what the artifact-wide steps below need of it is
	// kept in its outcome.
	outs := make(map[string]*outcome, len(sel))
	for i, o := range examineAll(ctx, prefix, sel, ctxs) {
		if o != nil {
			outs[sel[i].Path] = o
			res.addProblem(o.problem)
		}
	}
	for _, f := range propagateToScripts(py, sel, outs, ctxs) {
		if _, done := outs[f.Path]; done || ctx.Err() != nil {
			continue
		}
		o := examine(prefix, f, ctxs[f.Path])
		outs[f.Path] = o
		res.addProblem(o.problem)
	}
	net := false
	for _, o := range outs {
		net = net || o.net
	}
	for _, f := range py {
		o := outs[f.Path]
		if o == nil || !o.loaded {
			continue
		}
		if c := ctxs[f.Path]; o.ctx != c {
			// Raised after it was judged: judge it again in its new context.
			o = examine(prefix, f, c)
		}
		res.PythonFiles++
		res.ParsedBytes += f.Size
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
func fileFindings(p string, c Context, mod *python.Module, src []byte, net *netQuery) []Finding {
	f := newFile(p, c, mod)
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
	for _, rule := range Rules {
		rule.Check(f, r)
	}
	if f.depth >= maxPayloadDepth {
		return
	}
	for _, p := range payloadsOf(f) {
		sub, err := python.Load([]byte(p.code))
		if err != nil || len(sub.Calls) == 0 {
			continue
		}
		child := newFile(f.path, p.ctx, sub)
		child.payload, child.parentLine, child.depth = p.via, p.line, f.depth+1
		child.net = f.net
		if f.payload != "" {
			child.payload = f.payload + " → " + p.via
			child.parentLine = f.parentLine
		}
		child.funcCtx = nil
		child.computeFuncContexts()
		// Code run by exec runs in the context of the exec call.
		for i := range child.calls {
			if child.calls[i].Func < 0 {
				child.calls[i].ctx = p.ctx
			}
		}
		runRules(child, r, src)
	}
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

// assignContexts gives every Python file its context: by place first,
// then every local module imported by install, startup or import code at
// its top level takes that context too.
func assignContexts(a *artifact.Artifact, py []*artifact.File, imports map[string][]python.Import) map[string]Context {
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
	queue := []string{}
	for _, p := range paths {
		if ctxs[p].Executes() {
			queue = append(queue, p)
		}
	}
	for steps := 0; len(queue) > 0 && steps < 10000; steps++ {
		p := queue[0]
		queue = queue[1:]
		imps := imports[p]
		for _, imp := range imps {
			if imp.Func >= 0 && ctxs[p] != Install {
				continue // an import inside a function runs when it is called
			}
			for _, target := range idx.resolve(a, p, imp) {
				if target == p || ctxs[target].rank() <= ctxs[p].rank() {
					continue
				}
				ctxs[target] = ctxs[p]
				queue = append(queue, target)
			}
		}
	}
	return ctxs
}

// propagateToScripts gives a shipped script the context of the code that
// runs it: os.system("pythonw helper.pyw") in an __init__ runs helper.pyw
// on import. It reads the process calls kept in the outcomes of the
// selected files, in their order, and returns the files it raised.
func propagateToScripts(py, sel []*artifact.File, outs map[string]*outcome, ctxs map[string]Context) []*artifact.File {
	byBase := map[string]*artifact.File{}
	for _, f := range py {
		byBase[path.Base(f.Path)] = f
	}
	var raised []*artifact.File
	for _, f := range sel {
		p := f.Path
		o := outs[p]
		if o == nil || !o.loaded || !ctxs[p].Executes() {
			continue
		}
		for _, run := range o.runs {
			if run.inFunc && ctxs[p] != Install {
				continue
			}
			for _, word := range run.words {
				target, ok := byBase[path.Base(strings.Trim(word, `"'`))]
				if ok && ctxs[target.Path].rank() > ctxs[p].rank() {
					ctxs[target.Path] = ctxs[p]
					raised = append(raised, target)
				}
			}
		}
	}
	return raised
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
