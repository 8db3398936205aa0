package analyze

import (
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// Droppers behind helpers: one function writes what it is given (often
// decoding it first) to a file, another starts a program; the caller
// hands the first an encoded payload and a path, and the second the same
// path. Neither helper alone does anything unusual.

// helperDrop is a call of a writing helper with an encoded payload.
type helperDrop struct {
	call   *callFact
	helper string
	path   int32 // the caller's expression for the path written, or -1
}

// writerHelpers maps plain functions that write one of their parameters
// to a file to that parameter's index and the index of the parameter
// naming the file (-1 when the file is not a parameter).
func writerHelpers(f *file) map[string][2]int {
	t := f.mod.Tree
	funcs := map[int32]python.Func{}
	for _, fn := range f.mod.Funcs {
		if fn.Class == "" {
			funcs[fn.Node] = fn
		}
	}
	out := map[string][2]int{}
	for _, c := range f.mod.Calls {
		fn, ok := funcs[c.Func]
		if !ok || len(c.Args) == 0 || !(strings.HasSuffix(c.Name, ".write") || strings.HasSuffix(c.Name, ".write_bytes")) {
			continue
		}
		ps := f.mod.Params(fn.Node)
		data := paramIn(ps, t.Text(c.Args[0]))
		if data < 0 {
			continue
		}
		file := -1
		for _, o := range f.mod.Calls {
			if o.Func == c.Func && (o.Name == "builtins.open" || o.Name == "io.open") && len(o.Args) > 0 {
				file = paramIn(ps, t.Text(o.Args[0]))
			}
		}
		out[fn.Name] = [2]int{data, file}
	}
	return out
}

// paramIn returns the index of the parameter that expression text is
// or that it passes to a call (b64decode(data)), or -1.
func paramIn(params []string, text string) int {
	for i, p := range params {
		if p == "" || p == "self" {
			continue
		}
		if text == p || strings.HasSuffix(text, "("+p+")") || strings.Contains(text, "("+p+",") {
			return i
		}
	}
	return -1
}

// droppedByHelper finds calls of writing helpers given an encoded
// payload: a long blob, decoded data or a program.
func droppedByHelper(f *file) []helperDrop {
	helpers := writerHelpers(f)
	if len(helpers) == 0 {
		return nil
	}
	var out []helperDrop
	for i := range f.calls {
		c := &f.calls[i]
		h, ok := helpers[c.Name]
		if !ok || h[0] >= len(c.Args) {
			continue
		}
		v := f.mod.Eval(c.Args[h[0]])
		if !v.Known || !(len(v.Decoders) > 0 && len(v.S) > 512 || len(v.S) > 2048 && isBlobLike(v.S) || len(v.S) > 64 && isExecutable([]byte(v.S))) {
			continue
		}
		d := helperDrop{call: c, helper: c.Name, path: -1}
		if h[1] >= 0 && h[1] < len(c.Args) {
			d.path = c.Args[h[1]]
		}
		out = append(out, d)
	}
	return out
}

// startsDropped reports a process call (a wrapper's included) that runs
// the path a helper wrote: the same expression, or the same constant.
func startsDropped(f *file, c callFact, d helperDrop) bool {
	if len(c.Args) == 0 {
		return false
	}
	t := f.mod.Tree
	if d.path < 0 {
		// The helper names the file itself and returns it: the program
		// started is the helper's result, passed on directly
		// (start(drop(BLOB))) or through a name.
		call := t.Text(d.call.Node)
		for _, a := range c.Args {
			if strings.Contains(t.Text(a), call) || slices.Contains(f.mod.Eval(a).From, d.helper+"()") {
				return true
			}
		}
		return false
	}
	want := t.Text(d.path)
	if want == "" {
		return false
	}
	for _, a := range c.Args {
		if strings.Contains(t.Text(a), want) {
			return true
		}
	}
	if v := f.mod.Eval(d.path); v.Known && len(v.S) >= 3 {
		for _, w := range shellWords(c.cmd) {
			if w == v.S {
				return true
			}
		}
	}
	return false
}
