package python

import (
	"testing"

	"github.com/safeguard-dev/safeguard/internal/python/syntax/syntaxtest"
)

func BenchmarkLoad(b *testing.B) {
	src := syntaxtest.LargeSource()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Load(src); err != nil {
			b.Fatal(err)
		}
	}
}
