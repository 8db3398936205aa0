package syntax

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// genTable writes a display of literals, names and negative numbers,
// large enough to be spliced unless small is set.
func genTable(rng *rand.Rand, b *strings.Builder, small bool) {
	open, close := []string{"[", "(", "{", "{"}[rng.IntN(4)], ""
	close = map[string]string{"[": "]", "(": ")", "{": "}"}[open]
	dict := open == "{" && rng.IntN(3) > 0
	start := b.Len()
	b.WriteString(open)
	want := 600 + rng.IntN(2000)
	if small {
		want = rng.IntN(100)
	}
	for n := 0; b.Len()-start < want || n < 2; n++ {
		b.WriteString([]string{"", " ", "\n    ", "\r\n  "}[rng.IntN(4)])
		item := func() {
			switch rng.IntN(6) {
			case 0:
				fmt.Fprintf(b, "name_%d", rng.IntN(50))
			case 1:
				fmt.Fprintf(b, "-%d", rng.IntN(1000))
			default:
				genLiteral(rng, b, 1, true)
			}
		}
		if dict {
			fmt.Fprintf(b, "'key_%d': ", n)
		}
		item()
		b.WriteString(",")
	}
	b.WriteString(close)
}

// spliceContexts are code around a table, marked T (and a second one U).
var spliceContexts = []string{
	"X = T\n",
	"def f(a):\n    return T\n",
	"f(a, T)\n",
	"f(k=T, *U)\n",
	"for x in T:\n    pass\n",
	"y = z[0] + T\n",
	"if a in T and b not in U:\n    pass\n",
	"print T\n",
	"print(T)\n",
	"x [T]\n",
	"d = {'k': T, 'j': [U]}\n",
	"v = T[0]\n",
	"v = (T)\n",
	"g = lambda: T\n",
	"class A(B):\n    X = T\n    def m(self):\n        return U if self else T\n",
	"s = \"[1, 2]\" + '{' ; t = T\n",
	"# [a comment\nz = T  # ]\n",
	"s = f\"{x}\" + f'{T!r}'\nu = U\n",
	"match x:\n    case [1, 2]:\n        pass\nm = T\n",
	"assert x in T, U\n",
	"@deco(T)\ndef f():\n    pass\n",
	"x = (\n    T,\n    U\n)\n",
	"x = T if c else U\n",
	"def f(a=T, *, b=U):\n    yield T\n",
	"x = 'a' \\\n    + str(T)\n",
	"exec T in U\n",
	"x = [y for y in T]\n",
	"x = {k: v for k, v in T}\n",
	"x = T; y = U\n",
	"x = T\nif x:\n    y = U\n  bad indent\n",
	"s = '''[\n''' + str(T)\n",
	"x = await T\n",
	"x = -T\n",
	"del T\n",
}

// genSpliceModule writes code holding tables in some of spliceContexts.
func genSpliceModule(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("import os\n")
	for range 1 + rng.IntN(3) {
		ctx := spliceContexts[rng.IntN(len(spliceContexts))]
		for _, part := range strings.SplitAfter(ctx, "") {
			switch part {
			case "T", "U":
				genTable(rng, &b, rng.IntN(4) == 0)
			default:
				b.WriteString(part)
			}
		}
	}
	return b.String()
}

// TestSpliceMatchesFullParse compares trees with spliced tables with the
// grammar's full parse, on generated modules, with and without reuse.
func TestSpliceMatchesFullParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	plain, reuse := NewParser(Options{Splice: true}), NewParser(DefaultOptions())
	for range 1500 {
		src := genSpliceModule(rng)
		want, err := parseFresh(maskEscapes([]byte(src)))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*Parser{plain, reuse} {
			got, err := p.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if d := sameTree(got, want); d != "" {
				t.Fatalf("%q: %s", src, d)
			}
		}
	}
	if n := plain.spliced.Load(); n < 500 {
		t.Errorf("only %d of 1500 generated modules spliced", n)
	}
}

// TestSpliceSkipsCode checks displays that are not tables, or where a
// bracket opens no display, are left to the grammar.
func TestSpliceSkipsCode(t *testing.T) {
	big := strings.Repeat("'abcdefgh', ", 60)
	for _, src := range []string{
		"x = [" + big + "f(1)]\n",
		"x = foo[" + big + "]\n",
		"x = f(" + big + ")\n",
		"s = '[" + big + "]'\n",
		"x = [" + big + "# comment\n]\n",
		"x = [" + big + "a.b]\n",
		"x = [" + big + "'a\x00b']\n",
		"x = [" + big + "\r1]\n",
	} {
		p := NewParser(Options{Splice: true})
		if _, err := p.Parse([]byte(src)); err != nil {
			t.Fatal(err)
		}
		if n := p.spliced.Load(); n != 0 {
			t.Errorf("%.40q: spliced", src)
		}
	}
}

// FuzzSplice checks that a spliced tree is the grammar's.
func FuzzSplice(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20 {
		f.Add([]byte(genSpliceModule(rng)))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		masked := maskEscapes(src)
		dp, tables := findTables(masked)
		if tables == nil {
			return
		}
		blank, err := parseFresh(blankTables(masked, tables))
		if err != nil {
			return
		}
		got := spliceTables(blank, dp, tables)
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
