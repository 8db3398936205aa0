package web

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecoded(t *testing.T) {
	for _, tc := range []struct {
		snippet string
		want    []string
	}{
		{`exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="))`, []string{"import os; os.system('id')"}},
		{`exec(base64.urlsafe_b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk'))`, []string{"import os; os.system('id')"}},
		{`exec(bytes.fromhex("7072696e742822686922292020"))`, []string{`print("hi")  `}},
		{`x = "<script>alert(1)</script>"`, nil},                                              // not encoded
		{`k = "AAAAAAAAAAAAAAAAAAAAAAAA"`, nil},                                               // decodes to zero bytes: binary
		{`h = "0123456789abcdef0123456789abcdef"`, nil},                                       // a hash, not text
		{`s = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="`, []string{"<script>alert(1)</script>"}}, // decoded HTML is text too (the template escapes it)
	} {
		if diff := cmp.Diff(tc.want, decoded(tc.snippet)); diff != "" {
			t.Errorf("decoded(%q) (-want +got):\n%s", tc.snippet, diff)
		}
	}
}
