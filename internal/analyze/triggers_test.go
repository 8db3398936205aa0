package analyze

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// containsAny is the plain search triggerSet must agree with.
func containsAny(src []byte, words [][]byte) bool {
	for _, w := range words {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return false
}

func TestTriggerSetMatchesPlainSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"x = 1\n", "EXEC", "Exec", "exe", "popen", "POPEN", "Popen", "login data", "Login Data", "mp", "MP", "Mp",
		"\u200b", "\u200a", "é", "\xd0", "\\x", "\\X", "keyboar", "pip", "PIP", "-e", " -e ", "subprocess", "\xff"}
	behaviourWords, anyContextWords := triggerWords(Rules)
	behaviour, anyContext := parseTriggers()
	for _, set := range []struct {
		name  string
		words [][]byte
		ts    *triggerSet
	}{{"behaviour", behaviourWords, behaviour}, {"any context", anyContextWords, anyContext}} {
		hits := 0
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			src := []byte(b.String())
			want := containsAny(src, set.words)
			if want {
				hits++
			}
			if got := set.ts.match(src); got != want {
				t.Fatalf("%s: match(%q) = %v, want %v", set.name, src, got, want)
			}
		}
		if hits < 500 || hits > 4500 {
			t.Errorf("%s: %d of 5000 sources matched; the test should see both outcomes often", set.name, hits)
		}
	}
}

// triggerSource is a module that holds no trigger: what most files in
// tests and docs look like.
func triggerSource() []byte {
	return []byte(strings.Repeat("def test_value(self):\n    result = compute(self.data, key='alpha')\n    assert result == expected, message\n", 2000))
}

func BenchmarkTriggerSet(b *testing.B) {
	src := triggerSource()
	b.SetBytes(int64(len(src)))
	behaviour, anyContext := parseTriggers()
	for b.Loop() {
		anyContext.match(src)
		behaviour.match(src)
	}
}

func BenchmarkTriggerPlainSearch(b *testing.B) {
	src := triggerSource()
	b.SetBytes(int64(len(src)))
	behaviour, anyContext := triggerWords(Rules)
	for b.Loop() {
		containsAny(src, anyContext)
		containsAny(src, behaviour)
	}
}
