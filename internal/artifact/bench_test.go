package artifact

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func benchRead(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(b.Context(), name, data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// synthetic returns a source tree of n Python files of about 4 KiB each,
// varied enough to compress like real code.
func synthetic(n int) []entry {
	entries := []entry{file("p-1/setup.py", "from setuptools import setup\nsetup()\n"), file("p-1/PKG-INFO", "Metadata-Version: 2.1\nName: p\nVersion: 1\n")}
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("self value result data items config path name index count error request response buffer token node")
	for i := range n {
		var b strings.Builder
		for b.Len() < 4096 {
			fmt.Fprintf(&b, "def %s_%d(%s, %s=%d):\n    return %s.%s(%q) + %d\n\n", words[rng.IntN(len(words))], rng.IntN(1000),
				words[rng.IntN(len(words))], words[rng.IntN(len(words))], rng.IntN(100), words[rng.IntN(len(words))],
				words[rng.IntN(len(words))], words[rng.IntN(len(words))], rng.IntN(1<<20))
		}
		entries = append(entries, file(fmt.Sprintf("p-1/p/mod%03d.py", i), b.String()))
	}
	return entries
}

func BenchmarkReadTarGz(b *testing.B) {
	benchRead(b, "p-1.tar.gz", gzipOf(b, tarOf(b, synthetic(500)...)))
}

func BenchmarkReadTarXz(b *testing.B) {
	benchRead(b, "p-1.tar.xz", xzOf(b, tarOf(b, synthetic(500)...)))
}

func BenchmarkReadZip(b *testing.B) { benchRead(b, "p-1.zip", zipOf(b, synthetic(500)...)) }

func BenchmarkReadWheel(b *testing.B) {
	benchRead(b, "p-1-py3-none-any.whl", wheelOf(b, "p", "1", synthetic(500)...))
}

// BenchmarkCorpus reads every artifact of the evaluation corpus, when it
// is beside the repository (../shared/corpus); bytes/s is of packed input.
func BenchmarkCorpus(b *testing.B) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		b.Skip("no ../shared/corpus")
	}
	paths, err := Discover([]string{root})
	if err != nil {
		b.Fatal(err)
	}
	datas := make([][]byte, len(paths))
	var total int64
	for i, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			datas[i], _ = os.ReadFile(p)
			total += int64(len(datas[i]))
		}
	}
	b.SetBytes(total)
	for b.Loop() {
		for i, p := range paths {
			if datas[i] == nil {
				continue
			}
			Read(b.Context(), p, datas[i], Options{})
		}
	}
}

// BenchmarkReadLargeWheel reads a wheel of about 10 MB of source, past
// prefetchMin, with its entries inflated one by one and on every core.
func BenchmarkReadLargeWheel(b *testing.B) {
	data := wheelOf(b, "p", "1", synthetic(2500)...)
	for _, tt := range []struct {
		name string
		min  int64
	}{{"in-order", 1 << 62}, {"ahead", prefetchMin}} {
		b.Run(tt.name, func(b *testing.B) {
			defer func(old int64) { prefetchMin = old }(prefetchMin)
			prefetchMin = tt.min
			benchRead(b, "p-1-py3-none-any.whl", data)
		})
	}
}
