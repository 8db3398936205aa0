package syntax

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// family builds a setup.py-like file of about 40 KB whose last line
// names the package, as typosquat campaigns ship them.
func family(name string) string {
	var b strings.Builder
	b.WriteString("import os, sys\n")
	for i := range 400 {
		fmt.Fprintf(&b, "v%d = ''.join(map(chr, [(((3 << 3) + 1) << 2) + %d, %d]))  # pad\n", i, i%7, 100+i%20)
	}
	fmt.Fprintf(&b, "setup(name=%q, version='0.1')\n", name)
	return b.String()
}

// incremental counts the trees p built from a base: reparsed, or derived
// without parsing.
func incremental(p *Parser) int64 { return p.reparsed.Load() + p.retexted.Load() }

func TestIncrementalParseMatchesFresh(t *testing.T) {
	base := family("requestz")
	variants := map[string]string{
		"last line":        family("reqeusts-toolbelt"),
		"middle":           strings.Replace(base, "v200 = ", "value_two_hundred = ", 1),
		"inserted lines":   strings.Replace(base, "v110 = ", "if True:\n    print('x')\nv110 = ", 1),
		"deleted bytes":    strings.Replace(base, "  # pad\nv300", "\nv300", 1),
		"syntax error":     strings.Replace(base, "v150 = ", "v150 = = (", 1),
		"python 2 print":   strings.Replace(base, "v250 = ", "print 'hi'\nv250 = ", 1),
		"unicode in a str": strings.Replace(base, "# pad\nv170 ", "# p\u00e4d \u4e2d\nv170 ", 1),
	}
	// The second sighting of a family makes its base. A repeat of the same
	// source, or one that differs only in strings, is taken from the first
	// (skeleton.go) and is no sighting.
	p := NewParser(DefaultOptions())
	defer p.Close()
	for _, s := range []string{base, strings.Replace(base, "v200 = ", "w200 = ", 1)} {
		if _, err := p.Parse([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			before := incremental(p)
			got, err := p.Parse([]byte(v))
			if err != nil {
				t.Fatal(err)
			}
			if incremental(p) == before {
				t.Fatal("not parsed incrementally")
			}
			want, err := parseFresh([]byte(v))
			if err != nil {
				t.Fatal(err)
			}
			if got.HasError != want.HasError {
				t.Errorf("HasError %v, want %v", got.HasError, want.HasError)
			}
			if d := cmp.Diff(want.Nodes, got.Nodes, cmp.AllowUnexported(Node{})); d != "" {
				t.Errorf("incremental tree differs (-fresh +incremental):\n%s", d[:min(len(d), 2000)])
			}
		})
	}
}

// parseConcurrently parses n sources, made by src, in each of goroutines
// goroutines with p, compares each tree with a fresh parse, and closes the
// channel it returns when all are done.
func parseConcurrently(t *testing.T, p *Parser, goroutines, n int, src func(g, i int) []byte) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				s := src(g, i)
				got, err := p.Parse(s)
				if err != nil {
					t.Error(err)
					return
				}
				want, _ := parseFresh(s)
				if d := sameTree(got, want); d != "" {
					t.Errorf("goroutine %d, source %d: %s", g, i, d)
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

func TestIncrementalParseConcurrentEviction(t *testing.T) {
	// More families than bases, parsed from several goroutines at once:
	// bases are evicted while others use them.
	p := NewParser(DefaultOptions())
	defer p.Close()
	<-parseConcurrently(t, p, 4, 3*maxBases, func(g, i int) []byte {
		fam := fmt.Sprintf("f%d", (i+g)%(maxBases+5))
		return []byte(strings.Repeat("# "+fam+"\n", 2) + family(fmt.Sprintf("%s-%d", fam, i)))
	})
}

func TestCloseWhileParsing(t *testing.T) {
	// Close frees the bases while other goroutines parse from them; the
	// parser goes on working and makes new bases.
	p := NewParser(DefaultOptions())
	defer p.Close()
	done := parseConcurrently(t, p, 3, 8, func(g, i int) []byte { return []byte(family(fmt.Sprintf("g%d-%d", g, i))) })
	for {
		select {
		case <-done:
			return
		case <-time.After(200 * time.Microsecond):
			p.Close()
		}
	}
}

// benchFamily parses 1,024 members of a family, all different (a repeat
// would come from a cache), made by member. The reuse benchmarks parse past
// the identical-source cache (Parser.parse), which members always miss.
func benchFamily(b *testing.B, member func(i int) string, parse func([]byte) (*Tree, error)) {
	srcs := make([][]byte, 1024)
	for i := range srcs {
		srcs[i] = []byte(member(i))
	}
	b.SetBytes(int64(len(srcs[0])))
	i := 0
	for b.Loop() {
		if _, err := parse(srcs[i%len(srcs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func byName(i int) string { return family(fmt.Sprintf("pkg-%d", i)) }

// BenchmarkReparseFamily parses members of one campaign family that differ
// only in the package name: after the first, each tree is derived from an
// earlier one (retext).
func BenchmarkReparseFamily(b *testing.B) { benchFamily(b, byName, NewParser(DefaultOptions()).parse) }

// BenchmarkReparseFamilyCode parses members that differ in code (a
// variable's name), which only tree-sitter's incremental parse reuses.
func BenchmarkReparseFamilyCode(b *testing.B) {
	benchFamily(b, func(i int) string { return strings.Replace(family("pkg"), "v200 = ", fmt.Sprintf("w%d = ", i), 1) },
		NewParser(DefaultOptions()).parse)
}

// BenchmarkParseFamilyFresh is the same work without reuse.
func BenchmarkParseFamilyFresh(b *testing.B) { benchFamily(b, byName, parseFresh) }

func TestIncrementalParseByClosingBytes(t *testing.T) {
	// A campaign that bumps a version near the top: the opening differs,
	// the closing is the same.
	head := func(v int) string { return fmt.Sprintf("# generated\nVERSION = '0.2.%d'\n", v) }
	body := family("attrz")
	p := NewParser(DefaultOptions())
	defer p.Close()
	for v := range 2 {
		if _, err := p.Parse([]byte(head(v) + body)); err != nil {
			t.Fatal(err)
		}
	}
	before := incremental(p)
	src := []byte(head(7) + body)
	got, err := p.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if incremental(p) == before {
		t.Fatal("not parsed incrementally")
	}
	want, _ := parseFresh(src)
	if d := cmp.Diff(want.Nodes, got.Nodes, cmp.AllowUnexported(Node{})); d != "" {
		t.Errorf("incremental tree differs:\n%s", d[:min(len(d), 2000)])
	}
}
