package analyze

import (
	"context"
	"fmt"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// outcome is what judging one Python file leaves once its tree is
// dropped: its findings and the few facts the artifact-wide steps need.
// Keeping outcomes rather than modules bounds an artifact's memory by
// the files in flight, not by all of its trees.
type outcome struct {
	// ctx is the context the rules ran in.
	ctx Context
	// parsed is the size of the source parsed: the file's, or what its
	// import skeleton did not blank.
	parsed int64
	// loaded is true when the file was parsed into a module.
	loaded bool
	// problem says why the file could not be analysed, or is "".
	problem string
	// net is true when the module calls a network API.
	net bool
	// reach is how other files reached the file when it was judged.
	reach reach
	// runs are the process calls of its running code, and refs the names
	// of other modules that code uses, for the artifact-wide reachability
	// step (propagate).
	runs []processRun
	refs []extRef
	// findings are the rules' findings with no network use elsewhere in
	// the artifact; withNet those with it, set only when a rule asked.
	findings, withNet []Finding
	netAsked          bool
}

// processRun is one process call of running code, or one load of code
// into the running interpreter (codeload.go): the words of its arguments,
// the modules it runs with `python -m`, imports with `python -c` or loads
// by name, and the context of the code making it.
type processRun struct {
	ctx     Context
	words   []string
	modules []string
	// load is true for code loaded into the running interpreter by path
	// (runpy.run_path, a spec from a file location): the file runs, but
	// not as __main__.
	load bool
	// members are the functions of the loaded modules the loading file
	// calls.
	members []string
}

// findingsFor returns the findings for an artifact that does (net) or
// does not use the network. (When the file itself uses it, net is true
// and findings were made knowing it.)
func (o *outcome) findingsFor(net bool) []Finding {
	if net && o.netAsked {
		return o.withNet
	}
	return o.findings
}

// netQuery says whether some file of the artifact uses the network. The
// files are judged before that is known: a rule asks through
// file.artifactUsesNet, which records the question, and a file whose
// rules asked is judged both ways.
type netQuery struct{ value, asked bool }

// artifactUsesNet reports whether some file of the artifact uses the
// network.
func (f *file) artifactUsesNet() bool {
	if f.net == nil {
		return false
	}
	f.net.asked = true
	return f.net.value
}

// examine parses one file and judges it in context c, reached from other
// files as r says (r may be nil).
//
// A plain file (lead: no word any rule needs, parsed only for what its
// running code calls) not run as a script is judged on its import
// skeleton (skeleton.go) when one can be made and parses cleanly.
//
// ext answers for the constants it imports from the artifact's other
// modules (localConsts); it may be nil.
func examine(prefix string, f *artifact.File, c Context, r *reach, lead bool, ext python.External) *outcome {
	o := &outcome{ctx: c}
	if r != nil {
		o.reach = r.clone()
	}
	if f.Size > maxSourceBytes {
		o.problem = fmt.Sprintf("%s: %d bytes, larger than the %d analysed", f.Path, f.Size, maxSourceBytes)
		return o
	}
	src := f.Bytes()
	var mod *python.Module
	var err error
	blanked := 0
	if lead && c != Install && c != Startup && (r == nil || !r.script) {
		if skel, n := importSkeleton(src, r); skel != nil {
			if m, e := python.LoadWith(skel, ext); e == nil && m != nil && !m.Tree.HasError {
				mod, src, blanked = m, skel, n
			}
		}
	}
	if mod == nil {
		mod, err = python.LoadWith(src, ext)
	}
	if err != nil {
		o.problem = f.Path + ": " + err.Error()
	}
	if mod == nil {
		return o
	}
	o.loaded = true
	o.parsed = int64(len(src) - blanked)
	ff := newFile(prefix+f.Path, c, mod, r)
	for _, call := range ff.calls[:len(mod.Calls)] {
		o.net = o.net || call.net
		// Only code that runs can run a script (propagate); every process
		// call of setup.py counts.
		ctx := call.ctx
		if c == Install {
			ctx = Install
		}
		if call.proc && ctx.rank() <= Entry.rank() {
			run := processRun{ctx: ctx}
			for _, arg := range call.Args {
				text := valueText(mod.Eval(arg))
				run.words = append(run.words, strings.Fields(text)...)
			}
			run.modules = pythonModulesRun(run.words)
			o.runs = append(o.runs, run)
		}
		if ctx.rank() <= Entry.rank() {
			if run, ok := codeLoad(mod, call.Call, ctx); ok {
				o.runs = append(o.runs, run)
			}
		}
	}
	if members := loadedMembers(ff.calls[:len(mod.Calls)]); len(members) > 0 {
		for i := range o.runs {
			if o.runs[i].load {
				o.runs[i].members = members
			}
		}
	}
	o.refs = ff.outgoing()
	// A file that uses the network answers the question for the whole
	// artifact; otherwise a rule that asks gets the file judged both ways.
	q := &netQuery{value: o.net}
	ff.net = q
	o.findings = judge(ff, src)
	if q.asked && !o.net {
		o.netAsked = true
		o.withNet = fileFindings(prefix+f.Path, c, r, mod, src, &netQuery{value: true})
	}
	return o
}

// examineAll examines files on every core and returns their outcomes in
// the files' order; a file not reached before ctx was cancelled has none.
func examineAll(ctx context.Context, prefix string, files []*artifact.File, ctxs map[string]Context, reaches map[string]*reach, leads map[string]bool, consts *localConsts) []*outcome {
	outs := make([]*outcome, len(files))
	parallel(len(files), sourceBytes(files), func(i int) bool {
		if ctx.Err() != nil {
			return false
		}
		p := files[i].Path
		outs[i] = examine(prefix, files[i], ctxs[p], reaches[p], leads[p], consts.external(p))
		return true
	})
	return outs
}

// addProblem records why a file could not be analysed, if it could not.
func (r *Result) addProblem(p string) {
	if p != "" {
		r.Problems = append(r.Problems, p)
	}
}
