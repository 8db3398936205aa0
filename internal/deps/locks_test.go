package deps

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLocks(t *testing.T) {
	tests := []struct {
		file  string
		parse func(string, []byte) (*Lock, error)
		want  []string
	}{
		{"Pipfile.lock", ParsePipfileLock, []string{
			"mytool  main vcs direct=false @15 hashes=0 files=0 requires=",
			"requests 2.31.0 main index direct=false @9 hashes=2 files=0 requires=",
			"pytest 8.0.0 dev index direct=false @18 hashes=1 files=0 requires=",
		}},
		{"pdm.lock", ParsePDMLock, []string{
			"certifi 2024.2.2 main index direct=false @8 hashes=1 files=1 requires=",
			"requests 2.31.0 main index direct=false @18 hashes=1 files=1 requires=certifi,idna",
			"pytest 8.0.0 group:dev index direct=false @30 hashes=0 files=0 requires=",
		}},
		{"pylock.toml", ParsePylock, []string{
			"attrs 25.1.0 main index direct=false @5 hashes=2 files=2 requires=",
			"cattrs 24.1.2 main vcs direct=false @23 hashes=0 files=0 requires=attrs",
		}},
		{"pip-report.json", ParsePipReport, []string{
			"requests 2.31.0 main index direct=true @0 hashes=1 files=1 requires=idna",
			"idna 3.6 main index direct=false @0 hashes=1 files=1 requires=",
			"mylib 0.1.0 main path direct=true @0 hashes=0 files=0 requires=",
		}},
	}
	for _, tt := range tests {
		data, err := os.ReadFile("testdata/locks/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		l, err := tt.parse(tt.file, data)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		var rows []string
		for _, p := range l.Packages {
			rows = append(rows, fmt.Sprintf("%s %s %s %s direct=%v @%d hashes=%d files=%d requires=%s", p.Name, p.Version, p.Scope, p.Source.Kind,
				p.Direct, p.Line, len(p.Hashes), len(p.Files), strings.Join(p.Requires, ",")))
		}
		if d := cmp.Diff(tt.want, rows); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, d)
		}
		if _, err := tt.parse(tt.file, data[:len(data)/2]); err == nil {
			t.Errorf("%s: a truncated file was accepted", tt.file)
		}
	}
}

func FuzzLocks(f *testing.F) {
	for _, n := range []string{"Pipfile.lock", "pdm.lock", "pylock.toml", "pip-report.json"} {
		data, _ := os.ReadFile("testdata/locks/" + n)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePipfileLock("x", data)
		ParsePDMLock("x", data)
		ParsePylock("x", data)
		ParsePipReport("x", data)
	})
}
