package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/golden"
)

// elapsed is the one field of the outputs that differs run to run.
var elapsed = regexp.MustCompile(`("elapsed_ms": ?)[0-9]+`)

// TestGolden runs scan, check, sbom and rules in every format over fixtures and
// compares each whole output with its file under testdata/golden;
// go test ./internal/cli -update rewrites them (and the expected outputs
// inside the scripts) from what the commands print now.
func TestGolden(t *testing.T) {
	dir, err := filepath.Abs("testdata/golden")
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir() // no local database: the embedded snapshot
	t.Chdir("../..")       // paths in the outputs as a user types them
	risky := "internal/cli/testdata/golden/risky"
	cases := []struct {
		name string
		args []string
	}{
		{"scan.txt", []string{"scan", "--no-progress", "examples"}},
		{"scan.json", []string{"scan", "--no-progress", "-f", "json", "examples"}},
		{"scan.jsonl", []string{"scan", "--no-progress", "-f", "jsonl", "examples"}},
		{"scan.sarif", []string{"scan", "--no-progress", "-f", "sarif", "examples"}},
		{"check.txt", []string{"check", risky}},
		{"check.json", []string{"check", "-f", "json", risky}},
		{"check.sarif", []string{"check", "-f", "sarif", risky}},
		{"sbom.cdx.json", []string{"sbom", risky}},
		{"sbom-1.4.cdx.json", []string{"sbom", "--spec-version", "1.4", risky}},
		{"sbom.cdx.xml", []string{"sbom", "-f", "cyclonedx-xml", risky}},
		{"sbom.spdx.json", []string{"sbom", "-f", "spdx-json", risky}},
		{"sbom.spdx", []string{"sbom", "-f", "spdx-tv", risky}},
		{"sbom-artifact.cdx.json", []string{"sbom", "examples/hostile-0.1.tar.gz"}},
		{"sbom-artifact.spdx.json", []string{"sbom", "-f", "spdx-json", "examples/demo-0.1.0-py3-none-any.whl"}},
		{"rules.txt", []string{"rules"}},
		{"rules.json", []string{"rules", "--json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--data-dir", dataDir}, c.args...)
			err := Run(context.Background(), args, &stdout, &stderr)
			if exitCode(err) == 1 || exitCode(err) == 2 {
				t.Fatalf("safeguard %v: %v\n%s", c.args, err, stderr.String())
			}
			got := elapsed.ReplaceAll(stdout.Bytes(), []byte("${1}0"))
			golden.Check(t, filepath.Join(dir, c.name), got)
		})
	}
}
