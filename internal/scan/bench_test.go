package scan

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/analyze"
)

// benchSourceMB is the environment variable that sets the Python source
// size of BenchmarkWideWheel's wheel, in MB (default 32): set it to 540
// for the largest wheels the issue measured.
const benchSourceMB = "SAFEGUARD_BENCH_SOURCE_MB"

// wideWheelFile writes the wide wheel to a temporary directory and returns
// its path and its source size.
func wideWheelFile(tb testing.TB, mb int64) (string, int64) {
	return benchWheelFile(tb, "wide-1.0-py3-none-any.whl", mb, writeWideWheel)
}

// benchWheelFile writes the wheel write makes, of mb MB of source, to a
// temporary directory under name and returns its path and source size.
func benchWheelFile(tb testing.TB, name string, mb int64, write func(io.Writer, int64) (int64, error)) (string, int64) {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	n, err := write(w, mb<<20)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	return p, n
}

// BenchmarkWideWheel scans one large generated wheel; bytes/s is of Python
// source. It reports the process's peak resident memory (VmHWM, which
// includes the wheel's generation) and the peak live Go heap sampled
// during the scans. Run it with -benchtime 1x: a second scan of the same
// wheel finds the shared parser's family caches warm, which a first scan
// of a real artifact does not.
//
//	go test ./internal/scan -run XXX -bench WideWheel -benchtime 1x
//	SAFEGUARD_BENCH_SOURCE_MB=540 go test ./internal/scan -run XXX -bench WideWheel -benchtime 1x -timeout 30m
func BenchmarkWideWheel(b *testing.B) {
	p, n := wideWheelFile(b, benchMB(b))
	scanBenchWheel(b, p, n)
}

// scanBenchWheel scans the wheel at p, of n bytes of source, once per
// iteration, and reports the memory figures.
func scanBenchWheel(b *testing.B, p string, n int64) {
	b.SetBytes(n)
	stop := sampleHeap()
	for b.Loop() {
		r, err := One(b.Context(), Input{Path: p}, Config{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Verdict == analyze.Error {
			b.Fatalf("verdict %s: %s", r.Verdict, r.Error)
		}
	}
	b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(procStatus("VmHWM"))/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(procStatus("VmRSS"))/(1<<20), "rss-after-MiB")
}

// sampleHeap samples the live heap every 5 ms until the returned function
// is called, which returns the largest sample.
func sampleHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				mu.Lock()
				peak = max(peak, s[0].Value.Uint64())
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// procStatus is a memory figure of this process from /proc/self/status
// ("VmHWM", the peak resident set, or "VmRSS", the current one), in
// bytes; 0 where there is none.
func procStatus(field string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestWriteWideWheel writes the wide wheel to the path in
// SAFEGUARD_BENCH_WHEEL, for timing the safeguard binary on it; it is
// skipped when that is unset.
func TestWriteWideWheel(t *testing.T) {
	out := os.Getenv("SAFEGUARD_BENCH_WHEEL")
	if out == "" {
		t.Skip("set SAFEGUARD_BENCH_WHEEL to a path to write the benchmark wheel")
	}
	writeBenchWheel(t, out, writeWideWheel)
}

// benchMB is the source size SAFEGUARD_BENCH_SOURCE_MB asks for, in MB
// (default 32).
func benchMB(tb testing.TB) int64 {
	tb.Helper()
	s := os.Getenv(benchSourceMB)
	if s == "" {
		return 32
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		tb.Fatalf("%s=%q: want a positive number of MB", benchSourceMB, s)
	}
	return v
}

// writeBenchWheel writes to out the wheel write makes, of benchMB of
// source.
func writeBenchWheel(t *testing.T, out string, write func(io.Writer, int64) (int64, error)) {
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	n, err := write(w, benchMB(t)<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes of Python source", n)
}
