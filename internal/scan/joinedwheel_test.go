package scan

import (
	"archive/zip"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// joinedRename is the identifiers a joined wheel's later copies rename,
// so that a copy is new source to the parser's caches (a copy with only
// its strings changed, or only its start, would be derived from the first
// one's tree for almost nothing).
var joinedRename = regexp.MustCompile(`\b(self|cls|args|kwargs|name|value|data|result|path|key|obj|i|x)\b`)

// writeJoinedWheel writes to w one wheel holding the Python source of the
// wheels in dirs, largest wheel first, each under a directory of its own,
// until srcBytes of source are written. Past the wheels' own source it
// starts again with copies whose common identifiers are renamed. It is
// the benchmark input: real code from many projects in one
// artifact. It returns the number of source bytes written.
func writeJoinedWheel(w io.Writer, dirs []string, srcBytes int64) (int64, error) {
	var wheels []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join(d, "*.whl"))
		if err != nil {
			return 0, err
		}
		wheels = append(wheels, m...)
	}
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return st.Size()
	}
	slices.SortStableFunc(wheels, func(a, b string) int {
		return cmp.Or(cmp.Compare(size(b), size(a)), strings.Compare(a, b))
	})
	if len(wheels) == 0 {
		return 0, fmt.Errorf("no wheels in %v", dirs)
	}
	ww := newWheelWriter(w)
	var total int64
	for round := 0; total < srcBytes; round++ {
		for i, p := range wheels {
			if total >= srcBytes {
				break
			}
			zr, err := zip.OpenReader(p)
			if err != nil {
				continue // the corpus holds a few unreadable wheels on purpose
			}
			dir := fmt.Sprintf("joined/r%d_w%03d/", round, i)
			for _, f := range zr.File {
				if total >= srcBytes {
					break
				}
				if !strings.HasSuffix(f.Name, ".py") || f.UncompressedSize64 > 8<<20 {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					continue
				}
				body, err := io.ReadAll(io.LimitReader(rc, 8<<20))
				rc.Close()
				if err != nil {
					continue
				}
				if round > 0 {
					suffix := []byte("_c" + strconv.Itoa(round))
					body = joinedRename.ReplaceAllFunc(body, func(id []byte) []byte {
						return append(slices.Clip(id), suffix...)
					})
				}
				if err := ww.add(dir+f.Name, body); err != nil {
					zr.Close()
					return total, err
				}
				total += int64(len(body))
			}
			zr.Close()
		}
	}
	return total, ww.close("joined")
}

// TestWriteJoinedWheel writes to SAFEGUARD_BENCH_WHEEL a wheel joining
// the Python source of the wheels in the directories listed in
// SAFEGUARD_BENCH_CORPUS (separated by the path list separator), of
// SAFEGUARD_BENCH_SOURCE_MB MB of source (default 32). It is skipped when
// either is unset: unit tests do not depend on the corpus.
//
//	C=../shared/corpus SAFEGUARD_BENCH_CORPUS=$C/benign-wheel-dev:$C/benign-wheel-dev-extra \
//	SAFEGUARD_BENCH_WHEEL=/tmp/joined32.whl go test ./internal/scan -run TestWriteJoinedWheel
func TestWriteJoinedWheel(t *testing.T) {
	out, corpus := os.Getenv("SAFEGUARD_BENCH_WHEEL"), os.Getenv("SAFEGUARD_BENCH_CORPUS")
	if out == "" || corpus == "" {
		t.Skip("set SAFEGUARD_BENCH_WHEEL and SAFEGUARD_BENCH_CORPUS to write the joined wheel")
	}
	writeBenchWheel(t, out, func(w io.Writer, srcBytes int64) (int64, error) {
		return writeJoinedWheel(w, filepath.SplitList(corpus), srcBytes)
	})
}

// BenchmarkJoinedWheel scans a wheel joining the real wheels of the
// directories in SAFEGUARD_BENCH_CORPUS (see TestWriteJoinedWheel), of
// SAFEGUARD_BENCH_SOURCE_MB MB of source; bytes/s is of Python source. It
// is skipped without the corpus. Run it with -benchtime 1x, as
// BenchmarkWideWheel.
//
//	C=../shared/corpus SAFEGUARD_BENCH_CORPUS=$C/benign-wheel-dev:$C/benign-wheel-dev-extra \
//	go test ./internal/scan -run XXX -bench JoinedWheel -benchtime 1x
func BenchmarkJoinedWheel(b *testing.B) {
	corpus := os.Getenv("SAFEGUARD_BENCH_CORPUS")
	if corpus == "" {
		b.Skip("set SAFEGUARD_BENCH_CORPUS to the directories of real wheels to join")
	}
	p, n := benchWheelFile(b, "joined-1.0-py3-none-any.whl", benchMB(b), func(w io.Writer, srcBytes int64) (int64, error) {
		return writeJoinedWheel(w, filepath.SplitList(corpus), srcBytes)
	})
	scanBenchWheel(b, p, n)
}
