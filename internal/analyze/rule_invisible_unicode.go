package analyze

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/safeguard-dev/safeguard/internal/python"
	"golang.org/x/text/unicode/norm"
)

// invisibleUnicode: characters that make code read differently from how it runs.
type invisibleUnicode struct{}

var _ Rule = (*invisibleUnicode)(nil)

func (invisibleUnicode) Info() RuleInfo {
	return RuleInfo{ID: "invisible-unicode", Severity: High, AnyContext: true,
		Description: "Source holds characters that make code read differently from how it runs: bidirectional overrides (Trojan Source), invisible characters, and identifiers in look-alike letters — fullwidth or mathematical forms Python folds to ASCII names (ｅｘｅｃ is exec), or Latin mixed with Cyrillic or Greek. In tests (linters and Unicode tools keep such code as test data) it is low.",
		// The override written as an escape: a string that turns text
		// around when it is printed.
		Triggers:           []string{`\u202e`},
		AnyContextTriggers: invisibleTriggers}
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
			if lo, hi, ok := text.stringAt(f.mod.Tree, i); ok && typesetsRTL(src[lo:hi]) {
				// Right-to-left text with its embedding marks, each closed
				// in the same literal: localisation, not code turned around.
				continue
			}
			r.report(x.Info(), f, testData(f, High), false, line, 0, f.ctx, "bidirectional control character U+"+strings.ToUpper(hex4(ch)))
			return
		case isInvisible(ch) && !(ch == 0xFEFF && i == 0) && !text.contains(f.mod.Tree, i):
			// In strings and comments they join emoji and shape scripts;
			// in code they only hide.
			r.report(x.Info(), f, testData(f, High), false, line, 0, f.ctx, "invisible character U+"+strings.ToUpper(hex4(ch)))
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
			r.report(x.Info(), f, testData(f, sev), false, t.Line(n), int(t.Nodes[i].Col)+1, f.contextOf(f.mod.Enclosing(n)),
				"identifier "+name+" is written in look-alike characters; Python reads it as "+folded, folded)
			return
		case mixesScripts(name):
			// A Cyrillic letter typed into a name of code nothing runs on
			// install or import is as likely a slip of the keyboard (a
			// network library's LbAddIpPortMappingСommand) as a disguise.
			ctx, sev := f.contextOf(f.mod.Enclosing(n)), High
			if !ctx.Executes() {
				sev = Medium
			}
			r.report(x.Info(), f, testData(f, sev), false, t.Line(n), int(t.Nodes[i].Col)+1, ctx,
				"identifier "+name+" mixes Latin letters with Cyrillic or Greek look-alikes")
			return
		}
	}
}

// testData lowers a finding in tests to low: linters and Unicode tools
// keep Trojan Source and look-alike identifiers as test data, and tests
// run neither on install nor on import.
func testData(f *file, sev Severity) Severity {
	if f.ctx == Test {
		return Low
	}
	return sev
}

// textRanges are the byte spans of a tree's strings and comments, sorted,
// asked about offsets in increasing order: one sweep for the whole file.
type textRanges struct {
	spans []textSpan
	built bool
	next  int
}

// textSpan is a string's or a comment's byte span.
type textSpan struct {
	lo, hi int
	str    bool
}

// contains reports whether offset off lies in a string or a comment; off
// must not decrease from one call to the next.
func (r *textRanges) contains(t *python.Tree, off int) bool {
	_, _, _, ok := r.at(t, off)
	return ok
}

// stringAt returns the span of the string literal holding offset off, if
// it lies in one (not in a comment); off must not decrease either.
func (r *textRanges) stringAt(t *python.Tree, off int) (int, int, bool) {
	lo, hi, str, ok := r.at(t, off)
	return lo, hi, ok && str
}

// at returns the innermost span holding off and whether it is a string.
func (r *textRanges) at(t *python.Tree, off int) (int, int, bool, bool) {
	if !r.built {
		r.built = true
		for i := range t.Nodes {
			n := &t.Nodes[i]
			if n.Kind == python.KString || n.Kind == python.KComment {
				r.spans = append(r.spans, textSpan{int(n.Start), int(n.End), n.Kind == python.KString})
			}
		}
		sort.Slice(r.spans, func(a, b int) bool { return r.spans[a].lo < r.spans[b].lo })
	}
	for r.next < len(r.spans) && r.spans[r.next].hi <= off {
		r.next++
	}
	// Spans may nest (an f-string's parts): the last that started and
	// holds off is the innermost.
	found := -1
	for j := r.next; j < len(r.spans) && r.spans[j].lo <= off; j++ {
		if off < r.spans[j].hi {
			found = j
		}
	}
	if found < 0 {
		return 0, 0, false, false
	}
	s := r.spans[found]
	return s.lo, s.hi, s.str, true
}

// typesetsRTL reports a literal holding right-to-left letters whose
// bidirectional controls are balanced: every embedding, override or
// isolate it opens is closed before the literal ends, so that nothing
// after it is turned around.
func typesetsRTL(lit []byte) bool {
	rtl := false
	var open []rune
	for _, ch := range string(lit) {
		switch {
		case unicode.In(ch, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			rtl = true
		case ch == 0x202C || ch == 0x2069:
			// PDF closes an embedding or override, PDI an isolate.
			if len(open) == 0 {
				return false
			}
			top := open[len(open)-1]
			if isolate := top >= 0x2066; isolate != (ch == 0x2069) {
				return false
			}
			open = open[:len(open)-1]
		case ch >= 0x202A && ch <= 0x202E || ch >= 0x2066 && ch <= 0x2068:
			open = append(open, ch)
		}
	}
	return rtl && len(open) == 0
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
		case (unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r)) && strings.ContainsRune(latinLookAlikes, r):
			other = true
		}
	}
	return latin && other
}

// latinLookAlikes are the Cyrillic and Greek letters drawn like Latin
// ones: what a look-alike identifier swaps in. Greek letters as
// mathematics writes them (Δf, σ_x, ρ_air, λmax) are told apart from
// Latin ones; of lowercase Greek only omicron and the lunate sigma and
// yot pass for Latin letters.
const latinLookAlikes = "АВЕЅІЈКМНОРСТХУаеѕіјорсхуԁԛԝһӏӀ" + // Cyrillic
	"ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοϲϳ" // Greek

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}

// invisibleTriggers are the bytes that begin the characters the rule
// looks for: fullwidth and mathematical letters, Cyrillic and Greek,
// zero-width characters, bidirectional controls.
var invisibleTriggers = []string{
	"\xd0", "\xd1", "\xce", "\xcf", "\xef\xbc", "\xef\xbd", "\xf0\x9d", "\u200b", "\u200c", "\u200d", "\u2060",
	"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
}
