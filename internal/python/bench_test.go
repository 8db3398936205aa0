package python

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// dataTable is a 1 MB module that is one dictionary of short strings, like
// the font and character tables packages vendor: some 300,000 nodes.
func dataTable() []byte {
	var sb strings.Builder
	sb.WriteString("table = {\n")
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "    'k%d': ' ## \\n#  #\\n ## ',\n", i)
	}
	sb.WriteString("}\n")
	return []byte(sb.String())
}

// BenchmarkParseDataTable parses a data table as Parse does: read
// directly, without the grammar.
func BenchmarkParseDataTable(b *testing.B) {
	src := dataTable()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDataTableGrammar parses the same table with the grammar.
func BenchmarkParseDataTableGrammar(b *testing.B) {
	src := maskEscapes(dataTable())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := parseFresh(src); err != nil {
			b.Fatal(err)
		}
	}
}

// escapedBlob is a dropper-like module: an executable written out as
// lines of escaped bytes, each a token of its own to the grammar.
func escapedBlob() []byte {
	var sb strings.Builder
	sb.WriteString("import os\nblob = b''\n")
	for i := 0; sb.Len() < 512<<10; i++ {
		sb.WriteString("blob += b'")
		for j := range 64 {
			fmt.Fprintf(&sb, "\\x%02x", (i*64+j)%256)
		}
		sb.WriteString("'\n")
	}
	sb.WriteString("open('x.exe', 'wb').write(blob)\nos.startfile('x.exe')\n")
	return []byte(sb.String())
}

// BenchmarkParseEscapes parses the blob as Parse does, escapes masked.
func BenchmarkParseEscapes(b *testing.B) {
	src := escapedBlob()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEscapesUnmasked parses it with every escape a node.
func BenchmarkParseEscapesUnmasked(b *testing.B) {
	src := escapedBlob()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := parseFresh(src); err != nil {
			b.Fatal(err)
		}
	}
}
