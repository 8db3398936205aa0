package deps

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguard-dev/safeguard/internal/deps/depstest"
)

func TestUVLock(t *testing.T) {
	data, _ := os.ReadFile("testdata/uv/uv.lock")
	l, err := ParseUVLock("uv.lock", data)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, p := range l.Packages {
		var files []string
		for _, f := range p.Files {
			files = append(files, f.Kind+":"+f.Name+":"+strconv.FormatInt(f.Size, 10))
		}
		rows = append(rows, fmt.Sprintf("%s %s direct=%v %s %s @%d files=%s requires=%s", p.Name, p.Version, p.Direct, p.Scope,
			p.Source.Kind, p.Line, strings.Join(files, ","), strings.Join(p.Requires, ",")))
	}
	want := []string{
		"anyio 4.3.0 direct=true main index @4 files=sdist:anyio-4.3.0.tar.gz:159642,wheel:anyio-4.3.0-py3-none-any.whl:85584 requires=exceptiongroup,idna",
		"exceptiongroup 1.2.0 direct=false main index @35 files=sdist:exceptiongroup-1.2.0.tar.gz:26264 requires=",
		"idna 3.6 direct=false main index @41 files=wheel:idna-3.6-py3-none-any.whl:61567 requires=",
		"pytest 8.0.0 direct=true group:dev index @49 files=wheel:pytest-8.0.0-py3-none-any.whl:334024 requires=iniconfig",
		"iniconfig 2.0.0 direct=false group:dev index @60 files=wheel:iniconfig-2.0.0-py3-none-any.whl:5892 requires=",
		"sphinx-lite 1.0 direct=true optional:docs vcs @68 files= requires=",
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := l.Packages[0].Hashes; len(got) != 2 || !strings.HasPrefix(got[0], "sha256:f752") {
		t.Errorf("hashes %v", got)
	}
	for _, bad := range []string{"[[package]\n", "version = 1\n[[package]]\nname = 3\n"} {
		if _, err := ParseUVLock("uv.lock", []byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func BenchmarkUVLock7MB(b *testing.B) {
	data := depstest.BigUVLock(4500)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data))/1e6, "MB")
	for b.Loop() {
		l, err := ParseUVLock("uv.lock", data)
		if err != nil || len(l.Packages) != 4500 {
			b.Fatal(err)
		}
	}
}

func FuzzUVLock(f *testing.F) {
	data, _ := os.ReadFile("testdata/uv/uv.lock")
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseUVLock("uv.lock", data)
	})
}
