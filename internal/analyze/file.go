package analyze

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// file is one Python source (or decoded payload) with its facts.
type file struct {
	path string
	ctx  Context
	mod  *python.Module
	// payload describes how this source was decoded from its parent's
	// blob ("base64.b64decode → zlib.decompress"), or "" for a real file.
	payload    string
	parentLine int // for payloads: the line holding the blob
	depth      int
	// net says whether some file of the artifact uses the network, and
	// records that a rule asked (see artifactUsesNet).
	net *netQuery

	// reach is how other files reach this one, or nil.
	reach *reach
	// funcCtx is the context each function's body runs in, and refs the
	// identifier references it was computed from.
	funcCtx    map[int32]Context
	refs       refs
	calls      []callFact
	strs       []strFact
	lineStarts []int // offsets where lines begin, for snippets
}

type callFact struct {
	python.Call
	ctx Context
	// cmd is the command line of a process call, as far as it is known,
	// and sh what that command line does.
	cmd string
	sh  shellFacts
	// proc, net and dyn classify the call: process execution, network,
	// dynamic code.
	proc, net, dyn bool
}

type strFact struct {
	s    string
	node int32 // the literal's node, -1 for a decoded payload
	line int
	ctx  Context
	// via lists the decoders that produced s, if any.
	via []string
	// hits are the indicators in s, found once for all rules.
	hits []hit
}

func newFile(path string, ctx Context, mod *python.Module, r *reach) *file {
	f := &file{path: path, ctx: ctx, mod: mod, reach: r}
	f.computeFuncContexts()
	f.calls = make([]callFact, 0, len(mod.Calls))
	for _, c := range mod.Calls {
		cf := callFact{Call: c, ctx: f.nodeContext(c.Node, c.Func), proc: isCallOf(c.Name, processAPIs), net: isCallOf(c.Name, networkAPIs), dyn: isCallOf(c.Name, dynamicCodeAPIs)}
		if cf.proc {
			cf.cmd = f.commandLine(c)
			cf.sh = analyzeShell(cf.cmd, 0)
		}
		f.calls = append(f.calls, cf)
	}
	f.calls = append(f.calls, f.wrapperCalls()...)
	f.strs = make([]strFact, 0, len(mod.Strings)+len(mod.Payloads))
	for _, s := range mod.Strings {
		switch {
		case s.Doc:
		case s.Value.Known:
			f.strs = append(f.strs, strFact{s: s.Value.S, node: s.Node, line: f.line(s.Line), ctx: f.nodeContext(s.Node, mod.Enclosing(s.Node)), via: s.Value.Decoders})
		case s.Value.Partial != "":
			// A string built from constants and run-time values (an
			// f-string naming a bot API around its token): its constant
			// text is the program's own, as telling as a whole literal.
			f.strs = append(f.strs, strFact{s: s.Value.Partial, node: s.Node, line: f.line(s.Line), ctx: f.nodeContext(s.Node, mod.Enclosing(s.Node)), via: s.Value.Decoders})
		}
	}
	for _, p := range mod.Payloads {
		f.strs = append(f.strs, strFact{s: p.Value.S, node: -1, line: f.line(p.Line), ctx: f.nodeContext(p.Node, mod.Enclosing(p.Node)), via: p.Value.Decoders})
	}
	f.strs = append(f.strs, f.joinedPaths()...)
	for i := range f.strs {
		f.strs[i].hits = scanIndicators(f.strs[i].s)
	}
	return f
}

// joinedPaths are the paths os.path.join builds from constant parts
// (os.path.join(LOCALAPPDATA, "Google", "Chrome", "User Data")), with a
// "?" for each part known only at run time, in code that runs on install,
// import or start-up: the store a stealer opens is as plain in them as in
// one literal, and no single part names it. Code run on demand is left
// to its literals: a browser-automation helper names the profile
// directory it starts Chrome with.
func (f *file) joinedPaths() []strFact {
	var out []strFact
	for _, c := range f.calls {
		if len(c.Args) < 3 || !c.ctx.Executes() || (c.Name != "os.path.join" && c.Name != "ntpath.join" && c.Name != "posixpath.join") {
			continue
		}
		v := f.mod.Eval(c.Node)
		s := v.S
		if !v.Known {
			s = v.Partial
		}
		if strings.Count(s, "/")+strings.Count(s, `\`) >= 2 {
			out = append(out, strFact{s: s, node: -1, line: f.line(c.Line), ctx: c.ctx})
		}
	}
	return out
}

// line maps a line of this source to a line of the real file.
func (f *file) line(l int) int {
	if f.payload != "" {
		return f.parentLine
	}
	return l
}

// nodeContext is the context of code at node n inside function fn.
func (f *file) nodeContext(n, fn int32) Context {
	c := f.contextOf(fn)
	if fn < 0 && c.rank() <= Entry.rank() && f.mod.InMainGuard(n) && !f.script() {
		return Runtime // runs only as a script, not on import
	}
	return c
}

func (f *file) contextOf(fn int32) Context {
	if fn < 0 {
		return f.ctx
	}
	if c, ok := f.funcCtx[fn]; ok {
		return c
	}
	return Runtime
}

// isCommandMethod names the methods setuptools and distutils call on
// command classes.
func isCommandMethod(name string) bool {
	switch name {
	case "run", "initialize_options", "finalize_options", "build_extension", "build_extensions", "get_outputs", "build_editable":
		return true
	}
	return false
}

// commandLine evaluates the command of a process call.
func (f *file) commandLine(c python.Call) string {
	if len(c.Args) == 0 {
		if a, ok := c.Kwargs["args"]; ok {
			return valueText(f.mod.Eval(a))
		}
		return ""
	}
	parts := []string{}
	for _, a := range c.Args {
		text := valueText(f.mod.Eval(a))
		if len(text) > maxCommandPart {
			text = "?" // data (a test's input bytes), not a command
		}
		parts = append(parts, text)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// maxCommandPart bounds an argument read as part of a command line.
const maxCommandPart = 1 << 16

// valueText renders what is known of a value: a string, or a list's
// known elements joined by spaces ("?" for unknown ones).
// textSoFar is what is known of a string value: the whole of a constant,
// or the known beginning of one built at run time.
func textSoFar(v python.Value) string {
	if v.Known {
		return v.S
	}
	return v.Partial
}

func valueText(v python.Value) string {
	if v.Known {
		return v.S
	}
	if v.Partial != "" {
		return v.Partial
	}
	if v.IsSeq {
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, valueText(e))
		}
		return strings.Join(parts, " ")
	}
	return "?"
}

// snippet returns the trimmed source line l of the file.
func (f *file) snippet(l int, src []byte) string {
	if f.lineStarts == nil {
		f.lineStarts = []int{0}
		for i := 0; ; {
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			f.lineStarts = append(f.lineStarts, i)
		}
	}
	if l < 1 || l > len(f.lineStarts) {
		return ""
	}
	line := src[f.lineStarts[l-1]:]
	if l < len(f.lineStarts) {
		line = line[:f.lineStarts[l]-f.lineStarts[l-1]-1]
	}
	// Leading blanks first (code pushed off-screen by padding is a known
	// trick), then at most 160 runes, without copying a long line.
	line = bytes.TrimLeftFunc(line, unicode.IsSpace)
	return clipRunes(string(bytes.TrimRightFunc(clipBytes(line, 160*utf8.UTFMax+1), unicode.IsSpace)), 160)
}

// clipBytes keeps at most n bytes of b (a long line is cut before it is
// copied).
func clipBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// clipRunes keeps the first n runes of s, marking a cut with "…".
func clipRunes(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
