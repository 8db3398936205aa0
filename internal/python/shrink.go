package python

import "bytes"

// Droppers carry whole programs as escaped bytes literals: b'MZ\x90\x00…',
// megabytes of escapes in one string. The parser makes a node of every
// escape, so such a file parses at a fraction of the usual speed, while
// nothing the analysis looks at needs more than the first kilobytes of the
// blob (its magic, its headers, its entropy). shrinkEscapes cuts such
// literals down to maxEscapeRun bytes of source. A run starts at an escape,
// ends at the line's end or at the quote that opened the literal, and must
// be dense with escapes, which only the inside of a string can be. The rest of the source is untouched
// and no newline is removed, so lines stay where they were; only columns
// later on the same line move.

// maxEscapeRun is the longest stretch of escaped literal kept.
const maxEscapeRun = 256 << 10

// shrinkMin is the smallest source worth scanning.
const shrinkMin = 1 << 20

// shrinkEscapes returns src with over-long escaped literals cut, or src
// itself when there are none.
func shrinkEscapes(src []byte) []byte {
	if len(src) < shrinkMin || bytes.Count(src, []byte(`\x`)) < maxEscapeRun/16 {
		return src
	}
	var out []byte
	last := 0 // src[last:] is not yet copied to out
	for i := 0; i < len(src); {
		if src[i] != '\\' {
			i++
			continue
		}
		delim := openingQuote(src, i)
		if delim == 0 {
			// No literal is open on this line: nothing here to cut, and
			// looking back again from each later backslash would be
			// quadratic on a long line.
			if nl := bytes.IndexByte(src[i:], '\n'); nl >= 0 {
				i += nl + 1
			} else {
				i = len(src)
			}
			continue
		}
		start, escapes, cut := i, 0, -1
		for i < len(src) && src[i] != delim && src[i] != '\n' {
			if src[i] == '\\' && i+1 < len(src) {
				if src[i+1] == '\n' {
					break // a line continuation
				}
				escapes++
				i += 2
			} else {
				i++
			}
			if cut < 0 && i-start >= maxEscapeRun {
				cut = i
			}
		}
		if cut >= 0 && escapes*8 >= i-start {
			if out == nil {
				out = make([]byte, 0, len(src)/2)
			}
			out = append(out, src[last:cut]...)
			last = i
		}
	}
	if out == nil {
		return src
	}
	return append(out, src[last:]...)
}

// openingQuote returns the quote that opened the literal holding src[i]:
// the last unescaped quote before i on its line, or 0.
func openingQuote(src []byte, i int) byte {
	for j := i - 1; j >= 0 && src[j] != '\n'; j-- {
		if (src[j] == '\'' || src[j] == '"') && (j == 0 || src[j-1] != '\\') {
			return src[j]
		}
	}
	return 0
}
