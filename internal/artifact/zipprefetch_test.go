package artifact

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/flate"
)

// The entries inflated ahead on every core read as the same artifact as
// entries read one by one, the crafted ones included: sizes the header
// understates or overstates, a truncated stream, a wrong checksum.
func TestZipPrefetchSameAsInOrder(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 40 {
		w, _ := zw.Create(fmt.Sprintf("p-1/p/mod%d.py", i))
		w.Write([]byte(strings.Repeat(fmt.Sprintf("def f%d():\n    return %d\n", i, i), 200+i)))
	}
	raw := func(name string, body []byte, declared uint64, crc uint32, cut int) {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(body)
		fw.Close()
		c := comp.Bytes()[:comp.Len()-cut]
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(len(c)), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(c)
	}
	body := []byte(strings.Repeat("import os\n", 300))
	raw("p-1/under.py", body, 10, crc32.ChecksumIEEE(body), 0)
	raw("p-1/over.py", body, uint64(len(body))+50, crc32.ChecksumIEEE(body), 0)
	raw("p-1/cut.py", body, uint64(len(body)), crc32.ChecksumIEEE(body), 8)
	raw("p-1/crc.py", body, uint64(len(body)), 7, 0)
	zw.Close()
	data := buf.Bytes()

	defer func(old, window, release int64, procs int) {
		prefetchMin, prefetchWindow, releaseMin = old, window, release
		runtime.GOMAXPROCS(procs)
	}(prefetchMin, prefetchWindow, releaseMin, runtime.GOMAXPROCS(2))
	windows, releases := []int64{prefetchWindow, 3000}, []int64{releaseMin, 1000}
	for _, window := range windows {
		for _, release := range releases {
			t.Run(fmt.Sprintf("window %d, release from %d", window, release), func(t *testing.T) {
				prefetchWindow, releaseMin = window, release
				prefetchMin = 1 << 62
				inOrder := mustRead(t, "p-1.zip", data)
				prefetchMin = 0
				sameReading(t, inOrder, mustRead(t, "p-1.zip", data))
			})
		}
	}
}

// sameReading fails t unless two readings of one archive agree.
func sameReading(t *testing.T, inOrder, ahead *Artifact) {
	t.Helper()

	if fmt.Sprint(anomalyList(inOrder)) != fmt.Sprint(anomalyList(ahead)) {
		t.Errorf("anomalies differ:\nin order %v\nahead    %v", anomalyList(inOrder), anomalyList(ahead))
	}
	if len(inOrder.Files) != len(ahead.Files) || inOrder.Entries != ahead.Entries {
		t.Fatalf("%d files, %d entries in order; %d, %d ahead", len(inOrder.Files), inOrder.Entries, len(ahead.Files), ahead.Entries)
	}
	for i, f := range inOrder.Files {
		g := ahead.Files[i]
		if f.Path != g.Path || f.Size != g.Size || !bytes.Equal(f.Bytes(), g.Bytes()) {
			t.Errorf("%s (%d bytes) in order, %s (%d bytes) ahead", f.Path, f.Size, g.Path, g.Size)
		}
	}
	for _, want := range []string{SizeMismatch, ChecksumMismatch} {
		if !strings.Contains(fmt.Sprint(anomalyList(ahead)), want) {
			t.Errorf("no %s among %v", want, anomalyList(ahead))
		}
	}
}

func anomalyList(a *Artifact) []string {
	var out []string
	for _, an := range a.Anomalies {
		out = append(out, an.String())
	}
	return out
}

// FuzzZipPrefetch reads each input as a wheel with entries inflated
// ahead and one by one: the two must agree on the error, the anomalies
// and every file's content.
func FuzzZipPrefetch(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer func(old, window int64) { prefetchMin, prefetchWindow = old, window }(prefetchMin, prefetchWindow)
		prefetchWindow = 512 // several windows even in a small input
		read := func(min int64) (*Artifact, error) {
			prefetchMin = min
			return Read(t.Context(), "p-1-py3-none-any.whl", data, Options{Limits: fuzzLimits})
		}
		one, err1 := read(1 << 62)
		two, err2 := read(0)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Fatalf("error %v in order, %v ahead", err1, err2)
		}
		if one == nil || two == nil {
			return
		}
		if fmt.Sprint(anomalyList(one)) != fmt.Sprint(anomalyList(two)) || len(one.Files) != len(two.Files) {
			t.Fatalf("in order %v (%d files), ahead %v (%d files)", anomalyList(one), len(one.Files), anomalyList(two), len(two.Files))
		}
		for i, g := range one.Files {
			if h := two.Files[i]; g.Path != h.Path || !bytes.Equal(g.Bytes(), h.Bytes()) {
				t.Fatalf("%s differs from %s", g.Path, h.Path)
			}
		}
	})
}
