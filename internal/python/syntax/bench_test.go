package syntax

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/python/syntax/syntaxtest"
)

// benchParse measures parse on src.
func benchParse(b *testing.B, src []byte, parse func([]byte) (*Tree, error)) {
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// benchReusing measures a parser with reuse on src, past the
// identical-source cache (Parser.parse), as package python's Parse parsed
// before that cache moved in front of it.
func benchReusing(b *testing.B, src []byte) {
	p := NewParser(DefaultOptions())
	defer p.Close()
	benchParse(b, src, p.parse)
}

func BenchmarkParse(b *testing.B) {
	benchReusing(b, syntaxtest.LargeSource())
}

func BenchmarkParseWalkOnly(b *testing.B) {
	src := syntaxtest.LargeSource()
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
	benchReusing(b, dataTable())
}

// BenchmarkParseDataTableGrammar parses the same table with the grammar.
func BenchmarkParseDataTableGrammar(b *testing.B) {
	benchParse(b, maskEscapes(dataTable()), parseFresh)
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
	benchReusing(b, escapedBlob())
}

// BenchmarkParseEscapesUnmasked parses it with every escape a node.
func BenchmarkParseEscapesUnmasked(b *testing.B) {
	benchParse(b, escapedBlob(), parseFresh)
}

// BenchmarkFindTables measures the search for tables to splice on code
// that has none worth it: the cost splicing adds to every parse.
func BenchmarkFindTables(b *testing.B) {
	src := maskEscapes(syntaxtest.LargeSource())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		findTables(src)
	}
}

// BenchmarkParseCodeTable parses code holding a table in a function: the
// table spliced, against BenchmarkParseCodeTableGrammar.
func BenchmarkParseCodeTable(b *testing.B) {
	benchParse(b, codeTable(), NewParser(Options{Splice: true}).Parse)
}

func BenchmarkParseCodeTableGrammar(b *testing.B) {
	benchParse(b, codeTable(), parseFresh)
}

// codeTable is a module of functions, each returning a table of tuples
// with names and negative numbers.
func codeTable() []byte {
	var sb strings.Builder
	for f := 0; sb.Len() < 256<<10; f++ {
		fmt.Fprintf(&sb, "def table_%d(x):\n    if x:\n        return None\n    return {\n", f)
		for i := range 40 {
			fmt.Fprintf(&sb, "        'key_%d': (%d, -%d, 'word', true, None),\n", i, i*7, i)
		}
		sb.WriteString("    }\n\n")
	}
	return []byte(sb.String())
}
