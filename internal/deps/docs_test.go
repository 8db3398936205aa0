package deps

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateDocs = flag.Bool("update", false, "rewrite docs generated from code")

// TestDocs keeps docs/deps.md generated from the registry, so the
// documentation cannot drift from the code. Run with -update to rewrite.
func TestDocs(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Dependency files\n\n<!-- Generated from the parser registry (internal/deps/registry.go) by `go test ./internal/deps -run TestDocs -update`. Do not edit. -->\n\n")
	b.WriteString("`safeguard check` and `safeguard sbom` read the files in a project directory's top level whose names match a row below, " +
		"or one such file named on the command line. Each file is read by the first parser, in the order below, that takes its name. " +
		"Every package keeps the file and line it came from; a line a parser cannot use becomes a problem, and the rest of the file is kept. " +
		"Installed environments (a virtualenv or `site-packages`) and single wheels and sdists are read whole, not by these parsers. " +
		"A row says what a format records; nothing is guessed where it does not (a declared `requests>=2.28` has no version).\n\n")
	b.WriteString("| format | file names |")
	for _, c := range columns {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(columns)) + "\n")
	for _, p := range parsers {
		info := p.Info()
		fmt.Fprintf(&b, "| %s | `%s` |", info.Name, strings.Join(info.Files, "`, `"))
		for _, c := range columns {
			if c.claimed(info.Records) {
				b.WriteString(" yes |")
			} else {
				b.WriteString(" no |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, c := range columns {
		fmt.Fprintf(&b, "- **%s**: %s.\n", c.name, c.meaning)
	}
	b.WriteString("\n## Formats\n\n")
	for _, p := range parsers {
		info := p.Info()
		fmt.Fprintf(&b, "**%s**. %s\n\n", info.Name, info.Notes)
	}
	want := strings.TrimSuffix(b.String(), "\n")
	const file = "../../docs/deps.md"
	if *updateDocs {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("%s is stale; run: go test ./internal/deps -run TestDocs -update\n(-want +got):\n%s", file, d)
	}
}
