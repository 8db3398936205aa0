package web

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// encodedLiteral finds string literals in a snippet that look encoded:
// base64 (standard or URL alphabet) or hex, 16 characters or more.
var encodedLiteral = regexp.MustCompile(`["']([A-Za-z0-9+/_-]{16,}={0,2})["']`)

// maxDecoded caps what one snippet shows decoded.
const maxDecoded = 4

// decoded returns the readable text hidden in a snippet's encoded string
// literals (a payload passed to exec(b64decode(...)), say), so that a
// reader sees what the code runs. Only text that decodes to printable
// UTF-8 is returned; binary stays encoded.
func decoded(snippet string) []string {
	var out []string
	for _, m := range encodedLiteral.FindAllStringSubmatch(snippet, -1) {
		if len(out) == maxDecoded {
			break
		}
		if text, ok := decodeLiteral(m[1]); ok {
			out = append(out, text)
		}
	}
	return out
}

func decodeLiteral(s string) (string, bool) {
	var tries [][]byte
	if len(s)%2 == 0 && strings.Trim(s, "0123456789abcdefABCDEF") == "" {
		if b, err := hex.DecodeString(s); err == nil {
			tries = append(tries, b)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			tries = append(tries, b)
			break
		}
	}
	for _, b := range tries {
		if readable(b) {
			return string(b), true
		}
	}
	return "", false
}

// readable reports UTF-8 text without control characters other than
// white space, of at least 4 letters.
func readable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	letters := 0
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4
}
