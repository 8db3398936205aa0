package artifact

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/golden"
)

// TestAnomalyDocs keeps docs/anomalies.md generated from Kinds, so the
// documentation cannot drift from the code. Run with -update to rewrite.
func TestAnomalyDocs(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Anomalies\n\n<!-- Generated from internal/artifact/anomaly.go by `go test ./internal/artifact -run TestAnomalyDocs -update`. Do not edit. -->\n\n")
	b.WriteString("Irregularities in how an artifact is packed. Each names the archive entry concerned.\n`safeguard scan --fail-on LEVEL` exits 3 when one at LEVEL or above is found (default: medium).\n\n")
	b.WriteString("| kind | severity | meaning |\n|---|---|---|\n")
	for _, k := range Kinds {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.ID, k.Severity, k.Description)
	}
	golden.Check(t, "../../docs/anomalies.md", []byte(b.String()))
}

// TestKindsComplete checks every anomaly kind the code can emit is listed.
func TestKindsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds {
		if seen[k.ID] {
			t.Errorf("kind %q listed twice", k.ID)
		}
		seen[k.ID] = true
		if k.Description == "" {
			t.Errorf("kind %q has no description", k.ID)
		}
	}
	src, err := os.ReadFile("anomaly.go")
	if err != nil {
		t.Fatal(err)
	}
	// Every constant in the const block must be in Kinds.
	block := string(src)
	block = block[strings.Index(block, "// Anomaly kinds.\nconst ("):]
	block = block[:strings.Index(block, "\n)\n")]
	for _, line := range strings.Split(block, "\n")[2:] {
		if _, v, ok := strings.Cut(line, "= \""); ok {
			id := strings.TrimSuffix(strings.TrimSpace(v), "\"")
			if !seen[id] {
				t.Errorf("kind %q is declared but not in Kinds", id)
			}
		}
	}
}
