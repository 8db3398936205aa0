package syntax

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sameTree reports the first difference between two trees, or "".
func sameTree(got, want *Tree) string {
	if got.HasError != want.HasError {
		return fmt.Sprintf("HasError %v, want %v", got.HasError, want.HasError)
	}
	n := min(len(got.Nodes), len(want.Nodes))
	for i := 0; i < n; i++ {
		if got.Nodes[i] != want.Nodes[i] {
			return fmt.Sprintf("node %d is %s %+v, want %s %+v", i,
				language.NodeKindForId(uint16(got.Nodes[i].Kind)), got.Nodes[i], language.NodeKindForId(uint16(want.Nodes[i].Kind)), want.Nodes[i])
		}
	}
	if len(got.Nodes) != len(want.Nodes) {
		return fmt.Sprintf("%d nodes, want %d", len(got.Nodes), len(want.Nodes))
	}
	return ""
}

// dataCases are data modules parseData must accept, each exercising one
// form.
var dataCases = []string{
	"",
	"\n\n",
	"x = 1",
	"x = 1\n",
	"\n\nx = 1\n\n\n",
	"# -*- coding: utf-8 -*-\n\"\"\"Doc.\"\"\"\n\n# c2\nx = {\n    'a': u'b',\n    \"c\": [1, 2.5, True, None, ()],\n    'e': ('x',),\n    'f': 'g' 'h',\n    'i': '',\n}\ny = {'s', 'k'}\n# tail\n",
	"x = {}\ny = []\nz = ()\nw = ('a', 'b')\n",
	"x = [1, 2, 3,]\ny = {1: 2, 3: 4,}\nz = {'a',}\n",
	"x = [\n    [1, 2],\n    [3, [4, (5, 6)]],\n]\n",
	"t = '''multi\nline''' \"\"\"and\nmore\"\"\"\n",
	"x = (0x1F, 0o17, 0b101, 1_000, 1.5, .5, 1., 1e10, 2.5E-3)\n",
	"x = r'a' R\"b\" rb'c' Br'd' U'e'\n",
	"x = 'é ü 漢字 𝐞'\n",
	"x = {\r\n    'a': 'b',\r\n}\r\n",
	"   # indented comment\nx = 1\n",
	"x = 'a'\n'''trailing doc'''\n",
	"x = 1  \n",
	"x\t=\t1\n",
}

// notDataCases are modules parseData must decline.
var notDataCases = []string{
	"import os\n",
	"b = b'abc' + 1\n",
	"x = 0x1F, \n",
	"x = f'{y}'\n",
	"x = call()\n",
	"x = 1  # trailing comment\n",
	"x = [1, # inside\n 2]\n",
	"x = -1\n",
	"x = 1 + 2\n",
	"x = y\n",
	"x = ('a')\n",
	"x = ('a'\n     'b')\n",
	"x = 1j\n",
	"x = 10L\n",
	"x = 0777\n",
	"  x = 1\n",
	"x = y = 1\n",
	"x: int = 1\n",
	"x = 'a\\\nb'\n",
	"x = 'unterminated\n",
	"x = [1 2]\n",
	"x = {**y}\n",
	"x = {'a': 1, 'b'}\n",
	"x = {'a', 'b': 1}\n",
	"class = 1\n",
	"x = 1\ry = 2\n",
	"x = 1; y = 2\n",
	"x = [\n",
	"x = 'a' \\\n  'b'\n",
	"ｘ = 1\n",
	"x == 1\n",
}

func TestParseData(t *testing.T) {
	for _, src := range dataCases {
		masked := maskEscapes([]byte(src))
		got := parseData(masked)
		if got == nil {
			t.Errorf("%q: declined", src)
			continue
		}
		want, err := parseFresh(masked)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameTree(got, want); d != "" {
			t.Errorf("%q: %s", src, d)
		}
	}
	for _, src := range notDataCases {
		if got := parseData(maskEscapes([]byte(src))); got != nil {
			t.Errorf("%q: accepted", src)
		}
	}
}

// genLiteral writes a random literal of the subset parseData reads.
func genLiteral(rng *rand.Rand, b *strings.Builder, depth int, inBrackets bool) {
	nl := func() {
		if inBrackets && rng.IntN(4) == 0 {
			b.WriteString("\n" + strings.Repeat(" ", rng.IntN(6)))
		} else if rng.IntN(3) == 0 {
			b.WriteString(" ")
		}
	}
	choice := rng.IntN(10)
	if depth > 3 {
		choice = rng.IntN(5)
	}
	switch choice {
	case 0, 1:
		quotes := []string{"'", "\"", "'''", "\"\"\""}
		prefixes := []string{"", "", "u", "b", "r", "rb", "BR", "U"}
		for n := 1 + rng.IntN(2); n > 0; n-- {
			q := quotes[rng.IntN(len(quotes))]
			body := []string{"", "abc", "a b", "é", "x\\ny", "\\x41\\u00e9", "{}", "#no comment", "a'b"[0:1]}[rng.IntN(9)]
			if len(q) == 3 && rng.IntN(3) == 0 {
				body += "\nline two"
			}
			b.WriteString(prefixes[rng.IntN(len(prefixes))] + q + body + q)
			if n > 1 {
				if inBrackets {
					nl()
				}
				b.WriteString(" ")
			}
		}
	case 2:
		b.WriteString([]string{"0", "7", "123", "1_000", "0x1f", "0o17", "0b1", "1.5", "1e3", ".25", "3.", "2.5e-3"}[rng.IntN(12)])
	case 3:
		b.WriteString([]string{"True", "False", "None"}[rng.IntN(3)])
	case 4:
		b.WriteString("'s'")
	default:
		open, close := []string{"[", "(", "{", "{"}[choice%4], []string{"]", ")", "}", "}"}[choice%4]
		n := rng.IntN(4)
		if open == "(" && n == 1 {
			n = 2
		}
		b.WriteString(open)
		for i := 0; i < n; i++ {
			nl()
			if choice%4 == 2 {
				genLiteral(rng, b, depth+1, true)
				b.WriteString(": ")
			}
			if choice%4 == 3 && n > 0 {
				b.WriteString("'k'")
			} else {
				genLiteral(rng, b, depth+1, true)
			}
			if i < n-1 || rng.IntN(2) == 0 {
				b.WriteString(",")
			}
		}
		nl()
		b.WriteString(close)
	}
}

// genDataModule writes a random module of literal assignments.
func genDataModule(rng *rand.Rand) string {
	var b strings.Builder
	if rng.IntN(2) == 0 {
		b.WriteString("# -*- coding: utf-8 -*-\n")
	}
	if rng.IntN(2) == 0 {
		b.WriteString("\"\"\"Tables.\"\"\"\n")
	}
	for range 1 + rng.IntN(4) {
		switch rng.IntN(5) {
		case 0:
			b.WriteString("\n")
		case 1:
			b.WriteString("# a comment\n")
		default:
			fmt.Fprintf(&b, "name_%d = ", rng.IntN(100))
			genLiteral(rng, &b, 0, false)
			b.WriteString([]string{"\n", "\r\n", " \n"}[rng.IntN(3)])
		}
	}
	return b.String()
}

// TestDataTreesMatchGrammar compares parseData with the grammar on
// generated data modules.
func TestDataTreesMatchGrammar(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	accepted := 0
	for range 3000 {
		src := genDataModule(rng)
		masked := maskEscapes([]byte(src))
		got := parseData(masked)
		if got == nil {
			continue
		}
		accepted++
		want, err := parseFresh(masked)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameTree(got, want); d != "" {
			t.Fatalf("%q: %s", src, d)
		}
	}
	if accepted < 2500 {
		t.Errorf("only %d of 3000 generated modules accepted", accepted)
	}
}

// FuzzParseData checks that whatever parseData accepts, it builds the
// grammar's tree.
func FuzzParseData(f *testing.F) {
	for _, s := range append(dataCases, notDataCases...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		masked := maskEscapes(src)
		got := parseData(masked)
		if got == nil {
			return
		}
		want, err := parseFresh(masked)
		if err != nil {
			return
		}
		if d := sameTree(got, want); d != "" {
			t.Fatalf("%q: %s", src, d)
		}
	})
}
