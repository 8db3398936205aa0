package report

import (
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/scan"
)

// Text from an artifact cannot drive the terminal: escape sequences,
// other control characters and bidirectional overrides in a file name, a
// message, a snippet or an excerpt are printed as \u escapes.
func TestTextIsTerminalSafe(t *testing.T) {
	hostile := "x\x1b[2K\x1b]0;owned\x07\r\u202eevil\u2066"
	r := &scan.Result{Path: "p-1.0.tar.gz", Kind: "sdist", Name: "p" + hostile, Version: "1.0", Verdict: analyze.Malicious, Findings: []analyze.Finding{
		{Rule: "exec-obfuscated", Severity: analyze.Critical, File: "p/" + hostile + ".py", Line: 2, Snippet: "exec(" + hostile + ")", Message: "runs " + hostile},
		{Rule: "exec-obfuscated", Severity: analyze.Critical, File: "p/a.py", Line: 2, Message: "m",
			Excerpt: &analyze.Excerpt{Start: 1, Lines: []string{"\tok = 1", hostile}}},
	}}
	var b strings.Builder
	if err := newText(&b).Result(r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u2066"} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{`x\u001b[2K\u001b]0;owned\u0007\u000d\u202eevil\u2066`, "\tok = 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
