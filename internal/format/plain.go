package format

import (
	"fmt"
	"strings"
	"unicode"
)

// Plain makes text from an artifact or a dependency file safe to print on a terminal: control
// characters (an escape sequence could rewrite or hide what is shown) and
// the bidirectional overrides that reorder a line are written as \u
// escapes; tabs stay.
func Plain(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unprintable(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unprintable(r rune) bool {
	return r != '\t' && unicode.IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
