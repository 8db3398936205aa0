package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/golden"
)

// TestRulesDoc keeps docs/rules.md generated from the rule registry.
func TestRulesDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Analysis rules\n\n<!-- Generated from the rule registry by `go test ./internal/analyze -run TestRulesDoc -update`. Do not edit. -->\n\n")
	b.WriteString("`safeguard rules` prints the same list. Severity is the rule's own; a finding in runtime code counts one level lower and in tests, docs and tooling two lower, except for rules marked *any context*. A critical finding makes an artifact malicious; a high one, or medium findings from three rules, suspicious.\n\n")
	b.WriteString("| rule | severity | meaning |\n|---|---|---|\n")
	for _, r := range AllRules() {
		sev := r.Severity.String()
		if r.AnyContext {
			sev += ", any context"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, sev, r.Description)
	}
	golden.Check(t, "../../docs/rules.md", []byte(b.String()))
}
