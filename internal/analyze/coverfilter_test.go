package analyze

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"testing"
)

// TestCoverFilterAgreesWithSearch checks the command-line filter against
// running every expression, on strings generated to match each of them
// and on ordinary commands.
func TestCoverFilterAgreesWithSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	texts := []string{"", "gcc -O2 -c x.c", "pkg-config --cflags libxml-2.0", "git describe --tags", "é \u212A curl"}
	for _, re := range shellFilter.res {
		syn, err := syntax.Parse(re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		for range 300 {
			var b strings.Builder
			b.WriteString([]string{"", "cmd /c ", "sh -c '", "x"}[rng.IntN(4)])
			generate(rng, syn, &b)
			b.WriteString([]string{"", " && echo done", "'", "\u212A"}[rng.IntN(4)])
			texts = append(texts, b.String())
		}
	}
	matched := 0
	for _, s := range texts {
		may := shellFilter.candidates(s)
		for _, re := range shellFilter.res {
			want := re.FindString(s)
			if got := may.find(re, s); got != want {
				t.Fatalf("%q on %q: %q, want %q", re, s, got, want)
			}
			if want != "" {
				matched++
			}
		}
	}
	if matched < 200*len(shellFilter.res) {
		t.Errorf("only %d matches in the generated commands", matched)
	}
}
