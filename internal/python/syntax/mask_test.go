package syntax

import (
	"bytes"
	"strings"
	"testing"
)

// maskCases are sources whose every backslash matters to how they parse.
var maskCases = []string{
	`x = "\x65\166\141l\n"` + "\n",
	`x = b'MZ\x90\x00' + b"\\" + '\''` + "\n",
	`x = f"\{a}\n{b!r:>{w}}\t"` + "\n",
	`x = f"\N{DIGIT ONE}{a}\N{bad name!}"` + "\n",
	`x = "\N{LATIN SMALL LETTER A}" '\N{}'` + "\n",
	"x = 1 + \\\n    2\ny = 'a\\\nb'\n",
	"x = 1 + \\\r\n    2\r\n",
	"s = '''a\\'''\\n'''\nt = \"\"\"\\\"\"\"\"\n",
	"# a comment \\x41 \\\nu = '\\é\\ü'\n",
	"def f():\n    return '\\t'.join(['\\x00'] * 3)\n",
	"exec('import os\\nos.system(\"id\")')\n",
	"x = '\\\n",
}

// maskCasesDiffering parse differently once masked, for the better:
// tree-sitter ends a raw literal at an escaped quote, which Python does
// not, and a stray escape outside any literal becomes a name instead of an
// error.
var maskCasesDiffering = []string{
	`x = r"\"" + r'\'' + r"a\\"` + "\n",
	"broken = (\\x41 'a\\b'\nok = '\\x41'\n",
}

// visible is the tree without escape-sequence nodes, as comparable rows.
func visible(tr *Tree) []Node {
	var out []Node
	for _, n := range tr.Nodes {
		if n.Kind == KEscapeSequence {
			continue
		}
		n.Parent, n.first, n.next = 0, 0, 0 // indexes shift when escapes go
		out = append(out, n)
	}
	return out
}

func TestMaskEscapesKeepsTheTree(t *testing.T) {
	for _, src := range maskCases {
		masked := maskEscapes([]byte(src))
		if len(masked) != len(src) || bytes.Count(masked, []byte("\n")) != strings.Count(src, "\n") {
			t.Errorf("%q: masking moved bytes: %q", src, masked)
			continue
		}
		want, err := parseFresh([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := NewParser(Options{}).Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Src) != src {
			t.Errorf("%q: the tree's source is %q, want the original", src, got.Src)
		}
		if got.HasError != want.HasError {
			t.Errorf("%q: HasError %v, want %v", src, got.HasError, want.HasError)
		}
		w, g := visible(want), visible(got)
		if len(w) != len(g) {
			t.Errorf("%q: %d nodes besides escapes, want %d", src, len(g), len(w))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("%q: node %d is %+v, want %+v", src, i, g[i], w[i])
				break
			}
		}
	}
}

func TestMaskEscapesLeavesOthersAlone(t *testing.T) {
	for _, src := range []string{"x = 1\n", "a = 'no escapes'\n", ""} {
		if got := maskEscapes([]byte(src)); string(got) != src {
			t.Errorf("%q masked to %q", src, got)
		}
	}
	src := []byte(`"\x41"`)
	maskEscapes(src)
	if string(src) != `"\x41"` {
		t.Error("the caller's source was changed")
	}
}

func FuzzMaskEscapes(f *testing.F) {
	for _, s := range append(maskCases, maskCasesDiffering...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		masked := maskEscapes(src)
		if len(masked) != len(src) {
			t.Fatalf("length %d, want %d", len(masked), len(src))
		}
		for i := range src {
			if masked[i] != src[i] && (src[i] == '\n' || src[i] == '\r' || src[i] >= 0x80) {
				t.Fatalf("byte %d (%q) masked", i, src[i])
			}
		}
	})
}
