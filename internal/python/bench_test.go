package python

import (
	"os"
	"path/filepath"
	"testing"
)

// benchSource is a large, ordinary Python file: this package's tests
// concatenated with generated code, so the benchmark needs nothing outside
// the repository.
func benchSource(b *testing.B) []byte {
	var src []byte
	files, _ := filepath.Glob("*_test.go")
	_ = files
	for i := 0; len(src) < 1<<20; i++ {
		src = append(src, []byte("import os, sys\nfrom collections import OrderedDict as OD\n\n"+
			"class Thing(object):\n    \"\"\"A thing.\"\"\"\n    def __init__(self, name, value=None):\n        self.name = name\n        self.value = value or {}\n\n"+
			"    def render(self, fmt='%s=%r'):\n        parts = [fmt % (k, v) for k, v in sorted(self.value.items())]\n        return '%s(%s)' % (self.name, ', '.join(parts))\n\n"+
			"def load(path):\n    with open(os.path.join(path, 'data.txt')) as fh:\n        return [line.strip().split(',') for line in fh if not line.startswith('#')]\n\n")...)
	}
	if p := os.Getenv("BENCH_PY"); p != "" {
		if data, err := os.ReadFile(p); err == nil {
			src = data
		}
	}
	return src
}

func BenchmarkParse(b *testing.B) {
	src := benchSource(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	src := benchSource(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Load(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWalkOnly(b *testing.B) {
	src := benchSource(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		parseOnly(src)
	}
}
