package deps

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/golden"
)

// TestDocs keeps docs/deps.md generated from the registry, so the
// documentation cannot drift from the code. Run with -update to rewrite.
func TestDocs(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Dependency files\n\n<!-- Generated from the parser registry (internal/deps/registry.go) by `go test ./internal/deps -run TestDocs -update`. Do not edit. -->\n\n")
	b.WriteString("`safeguard check` and `safeguard sbom` read the files in a project directory's top level whose names match a row below, " +
		"or one such file named on the command line; a `.json` file named on the command line is also read as a CycloneDX or SPDX SBOM " +
		"when its content says it is one (`\"bomFormat\": \"CycloneDX\"`, `\"spdxVersion\"`), whatever its name. Each file is read by the first parser, in the order below, that takes its name. " +
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
	golden.Check(t, "../../docs/deps.md", []byte(strings.TrimSuffix(b.String(), "\n")))
}
