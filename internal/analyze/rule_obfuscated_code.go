package analyze

import (
	"bytes"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// obfuscatedCode: code written not to be read.
type obfuscatedCode struct{}

var _ Rule = (*obfuscatedCode)(nil)

func (obfuscatedCode) Info() RuleInfo {
	return RuleInfo{ID: "obfuscated-code", Severity: Medium,
		Description: "Code is made hard to read: code pushed off-screen by long runs of spaces, dangerous builtins looked up by names spelled with chr() lists or escapes, packers (PyArmor, pyobfuscate-style look-alike names, Hyperion-style renamed builtins: critical when the packed code runs on install, at startup or on import), code imported from an archive named as a certificate or an image, or large high-entropy blobs.",
		Triggers:    []string{"__import__", "chr(", `\x`, "fromhex", "b64decode", "pyarmor", "exec", "eval", "zipimport", "sys.path"},
		// A builtin looked up by a spelled-out name needs the lookup and
		// the spelling (isSpelledOut) in one file.
		TriggerPairs: []TriggerPair{{Words: []string{"getattr", "globals", "__builtins__", "importlib"}, With: spelledOutMarks}}}
}

func (x obfuscatedCode) Check(f *file, r *reporter) {
	if f.payload != "" {
		return
	}
	src := f.mod.Tree.Src
	line := 1
	for len(src) > 0 {
		l := src
		if i := indexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if len(l) > 200 {
			trimmed := bytes.TrimLeft(l, " \t")
			if pad := bytes.Index(trimmed, offScreenPad); pad > 0 {
				rest := strings.TrimSpace(string(trimmed[pad:]))
				if rest != "" && !strings.HasPrefix(rest, "#") {
					// Code pushed past the edge of the screen exists to be
					// missed in review; if it calls anything, it is the payload.
					sev := High
					if strings.Contains(rest, "(") && f.ctx.Executes() {
						sev = Critical
					}
					r.report(x.Info(), f, sev, false, line, pad, f.ctx, "code hidden off-screen after a run of spaces", clipString(rest, 120))
					return
				}
			}
		}
		line++
	}
	if c, ext := disguisedImport(f); c != nil {
		r.report(x.Info(), f, Critical, false, c.Line, c.Col, c.ctx, "imports code from an archive disguised as a "+ext+" file ("+shortName(c.Name)+")")
		return
	}
	if p := packerOf(f); p.node >= 0 {
		// Packed code that runs on install, at startup or on import of
		// the package hides what the package does where it matters most.
		ctx := f.nodeContext(p.node, -1)
		sev := Medium
		if ctx.Executes() {
			sev = Critical
		}
		r.report(x.Info(), f, sev, false, f.mod.Tree.Line(p.node), 0, ctx, "packed by "+p.packer+": code no one can review, run when the module runs")
		return
	}
	if n, name := hiddenBuiltinLookup(f); n >= 0 {
		t := f.mod.Tree
		ctx := f.nodeContext(n, f.mod.Enclosing(n))
		sev := High
		if ctx.Executes() {
			sev = Critical
		}
		r.report(x.Info(), f, sev, false, t.Line(n), int(t.Nodes[n].Col)+1, ctx, "looks up `"+name+"` by a name built at run time (chr lists, joins, escapes) to hide it from review")
		return
	}
	if n := escapedCodeStrings(f); n >= 3 {
		sev := High
		if src := f.mod.Tree.Src; f.ctx.Executes() && (bytes.Contains(src, []byte("eval(")) || bytes.Contains(src, []byte("exec("))) {
			sev = Critical
		}
		r.report(x.Info(), f, sev, false, 1, 0, f.ctx, itoa(n)+" strings of plain text spelled entirely in escape sequences, next to eval/exec: hidden code")
		return
	}
	if src := f.mod.Tree.Src; bytes.Contains(src, []byte("__pyarmor__")) || bytes.Contains(src, []byte("pyarmor_runtime")) {
		r.report(x.Info(), f, Medium, false, 1, 0, f.ctx, "packed with PyArmor: the code cannot be reviewed")
		return
	}
	for _, s := range f.strs {
		if len(s.via) == 0 && len(s.s) >= 4096 && isBlobLike(s.s) && entropy(s.s) > 5.2 {
			r.report(x.Info(), f, Low, false, s.line, 0, s.ctx, "holds a "+itoa(len(s.s)/1024)+" KiB high-entropy blob")
			return
		}
	}
}

// offScreenPad is the run of spaces that pushes code off the screen.
var offScreenPad = bytes.Repeat([]byte(" "), 150)

// escapedCodeStrings counts string literals written entirely as escape
// sequences although they spell printable ASCII ("\x65\166\141\x6c"
// for "eval"): no one writes text that way but to hide it.
func escapedCodeStrings(f *file) int {
	t := f.mod.Tree
	n := 0
	for _, s := range f.mod.Strings {
		if !s.Value.Known || len(s.Value.S) < 3 {
			continue
		}
		src := t.Bytes(s.Node)
		escapes := countEscapes(src)
		if escapes < 3 || escapes*3 < len(src)*2/3 {
			continue
		}
		// Text, not bytes that happen to be printable (the UTF-7 byte
		// order mark is +/v8): letters in it.
		printable, letters := true, 0
		for _, c := range []byte(s.Value.S) {
			if c < 0x20 || c > 0x7e {
				printable = false
				break
			}
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				letters++
			}
		}
		if printable && letters >= 3 {
			n++
		}
	}
	return n
}

// countEscapes counts the backslashes followed by x, 1 or 0: the hex and
// octal escapes that spell text.
func countEscapes(src []byte) int {
	n := 0
	for i := bytes.IndexByte(src, '\\'); i >= 0 && i+1 < len(src); {
		if c := src[i+1]; c == 'x' || c == '1' || c == '0' {
			n++
		}
		j := bytes.IndexByte(src[i+1:], '\\')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n
}

// dangerousNames are builtins and functions whose names obfuscators hide.
var dangerousNames = map[string]bool{
	"exec": true, "eval": true, "compile": true, "__import__": true, "getattr": true, "__builtins__": true, "open": true,
	"system": true, "popen": true, "Popen": true, "b64decode": true, "decompress": true, "loads": true, "urlopen": true,
	"builtins": true, "os": true, "subprocess": true, "socket": true, "marshal": true, "base64": true, "zlib": true,
}

// hiddenBuiltinLookup finds getattr(x, <computed>) or x[<computed>] whose
// computed key folds to a dangerous name: a name spelled with chr() lists,
// joins or escapes so that it never appears in the source. It returns the
// node and the name, or -1.
func hiddenBuiltinLookup(f *file) (int32, string) {
	t := f.mod.Tree
	for _, c := range f.calls {
		if c.Name != "builtins.getattr" && c.Name != "builtins.__import__" && c.Name != "importlib.import_module" {
			continue
		}
		key := int32(-1)
		switch {
		case c.Name == "builtins.getattr" && len(c.Args) >= 2:
			key = c.Args[1]
		case c.Name != "builtins.getattr" && len(c.Args) >= 1:
			key = c.Args[0]
		}
		if key < 0 || t.Nodes[key].Kind == python.KString {
			continue
		}
		if v := f.mod.Eval(key); v.Known && dangerousNames[v.S] && isSpelledOut(t.Text(key)) {
			return c.Node, v.S
		}
	}
	for i := range t.Nodes {
		n := int32(i)
		if t.Nodes[i].Kind != python.KSubscript {
			continue
		}
		key := t.ChildByField(n, python.FSubscript)
		if key < 0 || t.Nodes[key].Kind == python.KString || !isSpelledOut(t.Text(key)) {
			continue
		}
		if v := f.mod.Eval(key); v.Known && dangerousNames[v.S] {
			return n, v.S
		}
	}
	return -1, ""
}

// isSpelledOut reports an expression that builds a string character by
// character or from encoded pieces: it holds one of spelledOutMarks (a
// join with more than three commas).
func isSpelledOut(expr string) bool {
	return strings.Contains(expr, "chr(") || strings.Contains(expr, "chr,") || strings.Contains(expr, "[::-1]") ||
		strings.Contains(expr, `\x`) || strings.Contains(expr, "fromhex") || strings.Contains(expr, "b64decode") ||
		strings.Contains(expr, "join(") && strings.Count(expr, ",") > 3 || strings.Contains(expr, "____")
}

// spelledOutMarks are the words one of which isSpelledOut needs.
var spelledOutMarks = []string{"chr(", "chr,", "[::-1]", `\x`, "fromhex", "b64decode", "join(", "____"}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func clipString(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
