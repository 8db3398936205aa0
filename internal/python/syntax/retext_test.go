package syntax

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// retextOf parses old from scratch and derives the tree of src from it.
func retextOf(t testing.TB, old, src string) *Tree {
	t.Helper()
	base, err := parseFresh([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	p, s := commonEnds([]byte(old), []byte(src))
	return retext(base, []byte(old), []byte(src), p, s)
}

// matchesParse fails when got is not the tree tree-sitter builds for src.
func matchesParse(t testing.TB, src string, got *Tree) {
	t.Helper()
	want, err := parseFresh([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d := sameTree(got, want); d != "" {
		t.Error(d)
	}
}

func TestRetext(t *testing.T) {
	const setup = "from setuptools import setup\nimport os\n\nsetup(\n    name='requestz', version=\"0.1\",\n    packages=['requestz'],\n)\nos.system(f'echo {os.name} done')  # tail\n"
	tests := []struct {
		name, old, src string
		derived        bool
	}{
		{"longer name", setup, strings.ReplaceAll(setup, "requestz", "reqeusts-toolbelt"), true},
		{"shorter name", setup, strings.ReplaceAll(setup, "requestz", "rq"), true},
		{"same length", setup, strings.ReplaceAll(setup, "requestz", "requestx"), true},
		{"two on one line", setup, strings.Replace(strings.Replace(setup, "requestz", "abc", 1), "0.1", "10.20.30", 1), true},
		{"f-string text", setup, strings.Replace(setup, " done", " finished ok", 1), true},
		{"grown at the start", setup, strings.Replace(setup, "'requestz'", "'xxrequestz'", 1), true},
		{"grown at the end", setup, strings.Replace(setup, "'requestz'", "'requestzxx'", 1), true},
		{"non-ASCII", setup, strings.ReplaceAll(setup, "requestz", "réquêstz-中"), true},
		{"bytes and triple quotes", "x = b'abc'\ny = '''one line'''\nz = 1\n", "x = b'abcdef'\ny = '''a longer line'''\nz = 1\n", true},

		{"quote added", setup, strings.Replace(setup, "requestz", "req'uestz", 1), false},
		{"other quote added", setup, strings.Replace(setup, "requestz", "req\"uestz", 1), false},
		{"backslash added", setup, strings.Replace(setup, "requestz", `req\nuestz`, 1), false},
		{"line break added", "x = '''ab'''\n", "x = '''a\nb'''\n", false},
		{"brace added to an f-string", setup, strings.Replace(setup, " done", " {x} done", 1), false},
		{"emptied", setup, strings.Replace(setup, "'requestz'", "''", 1), false},
		{"identifier changed", setup, strings.Replace(setup, "packages=", "package_s=", 1), false},
		{"comment changed", setup, strings.Replace(setup, "# tail", "# tail end", 1), false},
		{"code and string changed", setup, strings.Replace(strings.Replace(setup, "requestz", "x", 1), "import os", "import sys", 1), false},
		{"syntax error in the base", "x = 'ab' +\ny = 2\n", "x = 'abc' +\ny = 2\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := retextOf(t, tt.old, tt.src)
			if (got != nil) != tt.derived {
				t.Fatalf("derived %v, want %v", got != nil, tt.derived)
			}
			if got != nil {
				matchesParse(t, tt.src, got)
			}
		})
	}
}

// TestRetextGenerated derives trees for random edits of the strings in
// generated modules and compares each with tree-sitter's.
func TestRetextGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	alphabet := []string{"a", "Z", "0", " ", "-", ".", "é", "中", "'", "\"", "\\", "{", "}", "\n", "#", "("}
	word := func() string {
		// Half the words keep to characters a string's content can take
		// without retokenising.
		n := len(alphabet)
		if r.IntN(2) == 0 {
			n = 8
		}
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(alphabet[r.IntN(n)])
		}
		return b.String()
	}
	derived := 0
	for i := range 600 {
		var b strings.Builder
		for j := range 3 + r.IntN(5) {
			switch r.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "v%d = 'x%dy' + \"q\" * %d\n", j, i, j)
			case 1:
				fmt.Fprintf(&b, "call(f'pre {v%d} post', name=b'n%d')\n", j, j)
			case 2:
				fmt.Fprintf(&b, "def f%d():\n    return '''doc %d''', 'tail'\n", j, i)
			default:
				fmt.Fprintf(&b, "d = {'k%d': [\"a\", 'b c'], 'z': r'raw'}  # note\n", j)
			}
		}
		old := b.String()
		// Replace the text between two quotes, at a random place.
		quotes := []int{}
		for k := range len(old) {
			if old[k] == '\'' || old[k] == '"' {
				quotes = append(quotes, k)
			}
		}
		k := r.IntN(len(quotes) - 1)
		src := old[:quotes[k]+1] + word() + old[quotes[k+1]:]
		if got := retextOf(t, old, src); got != nil {
			derived++
			matchesParse(t, src, got)
		}
		if t.Failed() {
			t.Fatalf("old:\n%s\nnew:\n%s", old, src)
		}
	}
	if derived < 80 { // about a fifth of the edits are inside a string and safe
		t.Errorf("only %d of 600 edits derived", derived)
	}
}

func FuzzRetext(f *testing.F) {
	f.Add("setup(name='abc', packages=['abc'])\n", 12, 3, "abcdef")
	f.Add("x = f'a {b} c'\n", 6, 1, "zz")
	f.Add("x = '''a\nb'''\n", 8, 1, "c")
	f.Fuzz(func(t *testing.T, old string, at, cut int, insert string) {
		if len(old) > 4096 || at < 0 || cut < 0 || at > len(old) || cut > len(old)-at {
			return
		}
		src := old[:at] + insert + old[at+cut:]
		if got := retextOf(t, old, src); got != nil {
			matchesParse(t, src, got)
		}
	})
}

func TestCommonEnds(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	naive := func(a, b []byte) (p, s int) {
		for p < len(a) && p < len(b) && a[p] == b[p] {
			p++
		}
		for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
			s++
		}
		return p, s
	}
	for range 3000 {
		a := []byte(strings.Repeat("ab", r.IntN(200)))
		b := append([]byte{}, a...)
		for range r.IntN(3) {
			if len(b) > 0 {
				b[r.IntN(len(b))] = 'z'
			}
		}
		b = append(b[:r.IntN(len(b)+1)], b[r.IntN(len(b)+1):]...)
		gp, gs := commonEnds(a, b)
		wp, ws := naive(a, b)
		if gp != wp || gs != ws {
			t.Fatalf("commonEnds(%q, %q) = %d, %d, want %d, %d", a, b, gp, gs, wp, ws)
		}
	}
}
