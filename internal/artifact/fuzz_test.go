package artifact

import (
	"archive/tar"
	"errors"
	"flag"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/fuzzseed"
)

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seed corpus to testdata/fuzz")

// fuzzLimits keep each fuzz iteration small and fast.
var fuzzLimits = Limits{MaxArtifactBytes: 1 << 20, MaxTotalBytes: 4 << 20, MaxFileBytes: 1 << 20, MaxEntries: 2000, MaxRatio: 100, MaxDepth: 1}

func fuzzSeeds(t testing.TB) [][]byte {
	inner := tarOf(t, file("p-1/setup.py", "setup()\n"), file("p-1/PKG-INFO", "Name: p\nVersion: 1\n"),
		entry{name: "p-1/l", typeflag: tar.TypeSymlink, link: "../x"}, file("../t", "x"))
	return [][]byte{
		inner,
		gzipOf(t, inner),
		xzOf(t, inner),
		append(gzipOf(t, inner), gzipOf(t, inner)...),
		zipOf(t, file("p-1/setup.py", "x"), file("p-1/setup.py", "y"), file("p-1/a.zip", string(zipOf(t, file("b", "c"))))),
		wheelOf(t, "w", "1", file("w/__init__.py", "import os\n")),
		rawZip([]string{"abc"}, []struct {
			name  string
			local int
		}{{"a", 0}, {"b", 0}}),
		[]byte("print('hello')\n"),
	}
}

func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-seeds to regenerate testdata/fuzz/FuzzRead")
	}
	for _, s := range fuzzSeeds(t) {
		if err := fuzzseed.Write(".", "FuzzRead", s); err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"p-1.tar.gz", "p-1-py3-none-any.whl"} {
			a, err := Read(t.Context(), name, data, Options{Limits: fuzzLimits})
			if errors.Is(err, ErrInternal) {
				t.Fatal(err)
			}
			if a == nil {
				continue
			}
			checkInvariants(t, a, 0)
		}
	})
}

func checkInvariants(t *testing.T, a *Artifact, depth int) int64 {
	t.Helper()
	if depth > fuzzLimits.MaxDepth {
		t.Fatalf("nested %d deep; max-depth is %d", depth, fuzzLimits.MaxDepth)
	}
	if len(a.Files) > a.Entries {
		t.Fatalf("%d files from %d entries", len(a.Files), a.Entries)
	}
	var sum int64
	for _, f := range a.Files {
		if f.Path == "" {
			t.Fatal("file with an empty path")
		}
		if a.File(f.Path) != f {
			t.Fatalf("index does not find %q", f.Path)
		}
		if f.Type == TypeRegular {
			sum += int64(len(f.Bytes()))
		} else if f.Bytes() != nil {
			t.Fatalf("%s %q has content", f.Type, f.Path)
		}
		if f.Size > fuzzLimits.MaxFileBytes {
			t.Fatalf("%q is %d bytes, over max-file-bytes", f.Path, f.Size)
		}
	}
	if sum != a.UncompressedBytes {
		t.Fatalf("UncompressedBytes %d, files sum to %d", a.UncompressedBytes, sum)
	}
	for _, n := range a.Nested {
		sum += checkInvariants(t, n, depth+1)
	}
	if depth == 0 && sum > fuzzLimits.MaxTotalBytes {
		t.Fatalf("%d bytes read, over max-total-bytes", sum)
	}
	return sum
}
