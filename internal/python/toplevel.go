package python

import (
	"bytes"
	"strings"
)

// maxConstLine bounds the lines TopLevelConstants reads: a longer one is
// a data blob no import needs by value.
const maxConstLine = 1 << 20

// TopLevelConstants reads, from a module's text alone, the names its top
// level binds to one string or bytes literal on one line
// (`URL = "https://..."`, `KEY: str = b'...'`). A name another unindented
// assignment line binds again is left out: its value depends on which
// ran. Lines inside triple-quoted strings are skipped. It does not see
// other bindings (imports, defs, tuple targets, assignments indented
// under if or try), which the importing module's own bindings cover
// only in part: a lookup, not a proof. f-strings and literals spanning
// lines are not read.
func TopLevelConstants(src []byte) map[string]Value {
	out := map[string]Value{}
	seen := map[string]bool{}
	var inString []byte // the triple quote of a string the line is in
	eachLine(src, func(line []byte) {
		was := inString
		inString = tripleQuoteState(line, inString)
		if was != nil || len(line) == 0 || len(line) > maxConstLine || !identStartByte(line[0]) {
			return
		}
		name, v, bound, ok := constLine(line)
		switch {
		case !bound:
		case seen[name]:
			delete(out, name)
		case ok:
			seen[name] = true
			out[name] = v
		default:
			seen[name] = true
		}
	})
	return out
}

// tripleQuoteState returns the triple quote still open after line, given
// the one open before it (nil: none), counting the triple quotes the line
// holds.
func tripleQuoteState(line, open []byte) []byte {
	for i := 0; i+2 < len(line); i++ {
		c := line[i]
		if c != '"' && c != '\'' || line[i+1] != c || line[i+2] != c {
			continue
		}
		switch {
		case open == nil:
			open = line[i : i+3]
		case open[0] == c:
			open = nil
		default:
			continue
		}
		i += 2
	}
	return open
}

// constLine reads one unindented line: bound is true when it binds name
// (plainly, annotated or augmented), ok when to a string literal v.
func constLine(line []byte) (name string, v Value, bound, ok bool) {
	i := 0
	for i < len(line) && isWordByte(line[i]) {
		i++
	}
	name = string(line[:i])
	if isKeyword(name) {
		return "", Value{}, false, false
	}
	i = skipBlank(line, i)
	if i < len(line) && line[i] == ':' { // an annotation
		j := bytes.IndexByte(line[i:], '=')
		if j < 0 {
			return "", Value{}, false, false
		}
		i += j
	} else if i+1 < len(line) && bytes.IndexByte([]byte("+-*/%|&^@"), line[i]) >= 0 && line[i+1] == '=' {
		return name, Value{}, true, false // augmented: the value changes
	}
	if i >= len(line) || line[i] != '=' || i+1 < len(line) && line[i+1] == '=' {
		return "", Value{}, false, false
	}
	rest := line[skipBlank(line, i+1):]
	s, isBytes, end, lit := oneLiteral(rest)
	if !lit {
		return name, Value{}, true, false
	}
	if tail := bytes.TrimSpace(rest[end:]); len(tail) > 0 && tail[0] != '#' {
		return name, Value{}, true, false // an expression that starts with a literal
	}
	return name, known(s, isBytes), true, true
}

// oneLiteral reads a string literal at the start of b: its value, whether
// it is bytes, and where it ends.
func oneLiteral(b []byte) (s string, isBytes bool, end int, ok bool) {
	p := bytes.IndexAny(b[:min(len(b), 3)], `'"`)
	if p < 0 {
		return "", false, 0, false
	}
	prefix, _ := stringPrefix(string(b[:p+1]))
	if strings.Trim(prefix, "rbu") != "" {
		return "", false, 0, false // f-strings, t-strings, or no literal
	}
	raw, isBytes := strings.Contains(prefix, "r"), strings.Contains(prefix, "b")
	q := b[p : p+1]
	if bytes.HasPrefix(b[p:], []byte{b[p], b[p], b[p]}) {
		q = b[p : p+3]
	}
	body := p + len(q)
	for j := body; j < len(b); j++ {
		if b[j] == '\\' {
			j++
			continue
		}
		if bytes.HasPrefix(b[j:], q) {
			text := string(b[body:j])
			if !raw {
				text = unescape(text, isBytes)
			}
			return text, isBytes, j + len(q), true
		}
	}
	return "", false, 0, false // the literal goes on past the line
}

// isKeyword reports the statement keywords a line can start with.
func isKeyword(w string) bool {
	switch w {
	case "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class",
		"return", "import", "from", "global", "nonlocal", "del", "pass", "break", "continue",
		"raise", "assert", "async", "await", "lambda", "yield", "print", "exec":
		return true
	}
	return false
}
