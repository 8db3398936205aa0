package python

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestHasExecStatement(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"exec", "exe", "c", " ", "\t", "(", "execexec", "\n", "x"}
	seen := [2]int{}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(b.String())
		want := bytes.Contains(src, []byte("exec ")) || bytes.Contains(src, []byte("exec\t"))
		if got := hasExecStatement(src); got != want {
			t.Fatalf("hasExecStatement(%q) = %v, want %v", src, got, want)
		}
		if want {
			seen[1]++
		} else {
			seen[0]++
		}
	}
	if seen[0] < 300 || seen[1] < 300 {
		t.Errorf("outcomes %v: the test should see both often", seen)
	}
}
