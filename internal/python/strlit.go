package python

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// stringPrefix splits a string_start token such as `rb”'` into its
// lower-case prefix letters and its quote.
func stringPrefix(start string) (prefix, quote string) {
	i := strings.IndexAny(start, `'"`)
	if i < 0 {
		return strings.ToLower(start), ""
	}
	return strings.ToLower(start[:i]), start[i:]
}

// unescape decodes the escapes of a Python string body. For bytes, \x and
// octal escapes give raw bytes; for str, code points.
func unescape(body string, isBytes bool) string {
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte(11)
		case 'x':
			if i+3 <= len(body) {
				if hi, lo := hexVal(body[i+1]), hexVal(body[i+2]); hi >= 0 && lo >= 0 {
					writeUnit(&b, rune(hi<<4|lo), isBytes)
					i += 2
					continue
				}
			}
			b.WriteString(`\x`)
		case 'u', 'U':
			n := 4
			if e == 'U' {
				n = 8
			}
			if !isBytes && i+1+n <= len(body) {
				if v, err := strconv.ParseUint(body[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(body[i:j], 8, 16)
			writeUnit(&b, rune(v), isBytes)
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// hexVal is the value of a hexadecimal digit, or -1.
func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c|0x20 >= 'a' && c|0x20 <= 'f':
		return int(c|0x20-'a') + 10
	}
	return -1
}

func writeUnit(b *strings.Builder, r rune, isBytes bool) {
	if isBytes {
		b.WriteByte(byte(r))
	} else {
		b.WriteRune(r)
	}
}
