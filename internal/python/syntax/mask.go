package syntax

import "bytes"

// The grammar makes a token, and a node, of every escape sequence in a
// string literal, so a literal written as escapes ("\x65\166\141…", a
// font table full of "\n", an escaped copy of another program) parses at a
// fraction of the speed of plain text and fills the tree with nodes that
// nothing reads: string values are decoded from the source text between
// the literal's delimiters and interpolations (Module.evalString).
//
// maskEscapes hides them from the parser. It returns a copy of src in which
// each backslash and the ASCII character it escapes are replaced by two
// plain letters, byte for byte, so every offset, row and column of the tree
// parsed from the copy is also right for src. The tree keeps src as its
// source.
//
// A backslash pair is masked wherever it is, without tracking which
// literal it belongs to. That is sound because outside a literal Python
// allows a backslash only before a line break, which is never masked:
//   - escaped quotes ("\"", r"\'") stay inside their literal, as they do
//     for Python, and "\\" before a quote still lets the quote close it;
//   - "\{" and "\}" are left alone, since in an f-string the brace that
//     follows may open or close a replacement field;
//   - "\N{NAME}" is masked through its closing brace, so that an f-string
//     does not see a replacement field in it;
//   - a backslash before a non-ASCII character is left alone, to keep the
//     copy valid UTF-8.
func maskEscapes(src []byte) []byte {
	i := bytes.IndexByte(src, '\\')
	if i < 0 {
		return src
	}
	out := bytes.Clone(src)
	for ; i+1 < len(out); i++ {
		if out[i] != '\\' {
			next := bytes.IndexByte(out[i+1:], '\\')
			if next < 0 {
				break
			}
			i += next // the loop's i++ lands on the backslash
			continue
		}
		c := out[i+1]
		switch {
		case c == '\n' || c == '\r' || c == '{' || c == '}' || c >= 0x80:
			continue
		case c == 'N' && i+2 < len(out) && out[i+2] == '{':
			end := namedEscapeEnd(out, i+3)
			if end < 0 {
				continue
			}
			for j := i; j <= end; j++ {
				out[j] = 'z'
			}
			i = end
		default:
			out[i], out[i+1] = 'z', 'z'
			i++
		}
	}
	return out
}

// namedEscapeEnd returns the index of the brace closing a \N{NAME} escape
// whose name starts at from, or -1 when what follows is not a name.
func namedEscapeEnd(b []byte, from int) int {
	for j := from; j < len(b) && j < from+128; j++ {
		switch c := b[j]; {
		case c == '}':
			if j == from {
				return -1
			}
			return j
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == ' ', c == '-':
		default:
			return -1
		}
	}
	return -1
}
