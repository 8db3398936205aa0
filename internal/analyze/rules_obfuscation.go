package analyze

import (
	"bytes"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/python"
	"golang.org/x/text/unicode/norm"
)

// obfuscatedCode: code written not to be read.
type obfuscatedCode struct{}

func (obfuscatedCode) Info() RuleInfo {
	return RuleInfo{ID: "obfuscated-code", Severity: Medium,
		Description: "Code is made hard to read: code pushed off-screen by long runs of spaces, dangerous builtins looked up by names spelled with chr() lists or escapes, packers such as PyArmor, or large high-entropy blobs."}
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
		printable := true
		for _, c := range []byte(s.Value.S) {
			if c < 0x20 || c > 0x7e {
				printable = false
				break
			}
		}
		if printable {
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
// character or from encoded pieces.
func isSpelledOut(expr string) bool {
	return strings.Contains(expr, "chr(") || strings.Contains(expr, "chr,") || strings.Contains(expr, "[::-1]") ||
		strings.Contains(expr, `\x`) || strings.Contains(expr, "fromhex") || strings.Contains(expr, "b64decode") ||
		strings.Contains(expr, "join(") && strings.Count(expr, ",") > 3 || strings.Contains(expr, "____")
}

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

// isBlobLike reports text made only of base64 or hex characters.
func isBlobLike(s string) bool {
	sample := s
	if len(sample) > 8192 {
		sample = sample[:8192]
	}
	for i := 0; i < len(sample); i++ {
		c := sample[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '\n') {
			return false
		}
	}
	return true
}

// entropy is the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// invisibleUnicode: characters that make code read differently from how it runs.
type invisibleUnicode struct{}

func (invisibleUnicode) Info() RuleInfo {
	return RuleInfo{ID: "invisible-unicode", Severity: High, AnyContext: true,
		Description: "Source holds characters that make code read differently from how it runs: bidirectional overrides (Trojan Source), invisible characters, and identifiers in look-alike letters — fullwidth or mathematical forms Python folds to ASCII names (ｅｘｅｃ is exec), or Latin mixed with Cyrillic or Greek."}
}

func (x invisibleUnicode) Check(f *file, r *reporter) {
	src := f.mod.Tree.Src
	if f.payload != "" || utf8.Valid(src) && isASCII(src) {
		return
	}
	line := 1
	var text textRanges // built on the first invisible character
	for i, ch := range string(src) {
		if ch == '\n' {
			line++
			continue
		}
		switch {
		case ch >= 0x202A && ch <= 0x202E || ch >= 0x2066 && ch <= 0x2069:
			r.report(x.Info(), f, High, false, line, 0, f.ctx, "bidirectional control character U+"+strings.ToUpper(hex4(ch)))
			return
		case isInvisible(ch) && !(ch == 0xFEFF && i == 0) && !text.contains(f.mod.Tree, i):
			// In strings and comments they join emoji and shape scripts;
			// in code they only hide.
			r.report(x.Info(), f, High, false, line, 0, f.ctx, "invisible character U+"+strings.ToUpper(hex4(ch)))
			return
		}
	}
	t := f.mod.Tree
	for i := range t.Nodes {
		n := int32(i)
		if t.Nodes[i].Kind != python.KIdentifier || isASCII(t.Bytes(n)) {
			continue
		}
		name := t.Text(n)
		switch folded := norm.NFKC.String(name); {
		case isASCII([]byte(folded)):
			sev := High
			if isFunctionName(folded) {
				sev = Critical
			}
			r.report(x.Info(), f, sev, false, t.Line(n), int(t.Nodes[i].Col)+1, f.contextOf(f.mod.Enclosing(n)),
				"identifier "+name+" is written in look-alike characters; Python reads it as "+folded, folded)
			return
		case mixesScripts(name):
			r.report(x.Info(), f, High, false, t.Line(n), int(t.Nodes[i].Col)+1, f.contextOf(f.mod.Enclosing(n)),
				"identifier "+name+" mixes Latin letters with Cyrillic or Greek look-alikes")
			return
		}
	}
}

// textRanges are the byte spans of a tree's strings and comments, sorted,
// asked about offsets in increasing order: one sweep for the whole file.
type textRanges struct {
	spans [][2]int
	built bool
	next  int
}

// contains reports whether offset off lies in a string or a comment; off
// must not decrease from one call to the next.
func (r *textRanges) contains(t *python.Tree, off int) bool {
	if !r.built {
		r.built = true
		for i := range t.Nodes {
			n := &t.Nodes[i]
			if n.Kind == python.KString || n.Kind == python.KComment {
				r.spans = append(r.spans, [2]int{int(n.Start), int(n.End)})
			}
		}
		sort.Slice(r.spans, func(a, b int) bool { return r.spans[a][0] < r.spans[b][0] })
	}
	for r.next < len(r.spans) && r.spans[r.next][1] <= off {
		r.next++
	}
	// Spans may nest (an f-string's parts): any that started holds off.
	for j := r.next; j < len(r.spans) && r.spans[j][0] <= off; j++ {
		if off < r.spans[j][1] {
			return true
		}
	}
	return false
}

// isInvisible reports characters that render as nothing: zero-width
// spaces and joiners, word joiners, invisible operators, tag characters.
func isInvisible(r rune) bool {
	return r >= 0x200B && r <= 0x200F || r >= 0x2060 && r <= 0x2064 || r == 0x180E || r == 0xFEFF || r >= 0xE0000 && r <= 0xE007F
}

// isFunctionName names what hiding an identifier is for: the dynamic-code
// builtins and the modules and functions that run programs.
func isFunctionName(s string) bool {
	switch s {
	case "exec", "eval", "compile", "__import__", "getattr", "globals", "open", "os", "system", "popen", "subprocess",
		"Popen", "socket", "builtins", "__builtins__", "importlib", "import_module", "marshal", "loads", "b64decode", "base64":
		return true
	}
	return false
}

// mixesScripts reports an identifier with letters of Latin and of
// Cyrillic or Greek, the scripts whose letters look alike.
func mixesScripts(s string) bool {
	latin, other := false, false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r):
			other = true
		}
	}
	return latin && other
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}
