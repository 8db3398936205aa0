package python

import "bytes"

// maxConstLine bounds the lines TopLevelConstants reads: a longer one is
// a data blob no import needs by value.
const maxConstLine = 1 << 20

// TopLevelConstants reads, from a module's text alone, the names its top
// level binds to one string or bytes literal on one line
// (`URL = "https://..."`, `KEY: str = b'...'`). A name bound more than
// once at top level, by anything, is left out: its value depends on
// which binding ran. f-strings and literals spanning lines are not read.
func TopLevelConstants(src []byte) map[string]Value {
	out := map[string]Value{}
	seen := map[string]bool{}
	eachLine(src, func(line []byte) {
		if len(line) == 0 || len(line) > maxConstLine || !identStartByte(line[0]) {
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

// constLine reads one unindented line: bound is true when it binds name
// (plainly, annotated or augmented), ok when to a string literal v.
func constLine(line []byte) (name string, v Value, bound, ok bool) {
	i := 0
	for i < len(line) && identByteAt(line[i]) {
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
	p := 0
	raw := false
	for p < len(b) && p < 2 {
		switch b[p] {
		case 'r', 'R':
			raw = true
		case 'b', 'B':
			isBytes = true
		case 'u', 'U':
		default:
			goto quote
		}
		p++
	}
quote:
	if p >= len(b) || b[p] != '"' && b[p] != '\'' {
		return "", false, 0, false
	}
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

func identStartByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func identByteAt(c byte) bool { return identStartByte(c) || c >= '0' && c <= '9' }

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
