package deps

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPoetryLock(t *testing.T) {
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"poetry-2.lock", []string{
			"certifi 2024.2.2 main index @3 hashes=2 requires=",
			"requests 2.31.0 main index @15 hashes=1 requires=certifi,idna",
			"pytest 8.0.0 group:dev index @30 hashes=0 requires=",
			"mytool 0.3.0 main vcs @39 hashes=0 requires=",
		}},
		{"poetry-1.lock", []string{
			"six 1.16.0 main index @1 hashes=2 requires=",
			"mock 5.1.0 dev index @9 hashes=0 requires=",
		}},
	} {
		data, _ := os.ReadFile("testdata/poetry/" + tt.file)
		l, err := ParsePoetryLock(tt.file, data)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, p := range l.Packages {
			rows = append(rows, fmt.Sprintf("%s %s %s %s @%d hashes=%d requires=%s", p.Name, p.Version, p.Scope, p.Source.Kind, p.Line, len(p.Hashes), strings.Join(p.Requires, ",")))
		}
		if d := cmp.Diff(tt.want, rows); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, d)
		}
	}
	if _, err := ParsePoetryLock("poetry.lock", []byte("[[package]\n")); err == nil {
		t.Error("broken TOML accepted")
	}
}

func FuzzPoetryLock(f *testing.F) {
	for _, n := range []string{"poetry-1.lock", "poetry-2.lock"} {
		data, _ := os.ReadFile("testdata/poetry/" + n)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePoetryLock("poetry.lock", data)
	})
}
