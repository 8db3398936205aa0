package scan

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// The files of one artifact are judged on every core; the result must be
// the one a single core gives, byte for byte.
func TestOneParallelSameAsSerial(t *testing.T) {
	var whl bytes.Buffer
	if _, err := writeWideWheel(&whl, 6<<20); err != nil { // past analyze's parallelMin
		t.Fatal(err)
	}
	scanJSON := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return wideResult(t, whl.Bytes(), Config{})
	}
	serial, parallel := scanJSON(1), scanJSON(4)
	if diff := cmp.Diff(string(serial), string(parallel)); diff != "" {
		t.Errorf("one core against four (-want +got):\n%s", diff)
	}
}

// Only files that can hold what a rule looks for are parsed, and the
// result says how much was.
func TestParsedBytes(t *testing.T) {
	data := sdist(t, map[string]string{"PKG-INFO": pkgInfo, "setup.py": theftSetup})
	r, err := One(t.Context(), Input{Path: "stealer-1.0.tar.gz", Data: data}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if r.ParsedBytes != int64(len(theftSetup)) {
		t.Errorf("parsed %d bytes; want setup.py's %d", r.ParsedBytes, len(theftSetup))
	}
	var whl bytes.Buffer
	if _, err := writeWideWheel(&whl, 1<<20); err != nil {
		t.Fatal(err)
	}
	r, err = One(t.Context(), Input{Path: "wide-1.0-py3-none-any.whl", Data: whl.Bytes()}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if r.ParsedBytes == 0 || r.ParsedBytes >= r.UncompressedBytes {
		t.Errorf("wide wheel: parsed %d of %d bytes; want its modules parsed, not its docstring-only __init__ files", r.ParsedBytes, r.UncompressedBytes)
	}
}

// What the engine reads off each file while a large wheel is inflated
// (analyze.InspectSource) is what it reads off the file afterwards.
func TestInspectedSameAsSkimmed(t *testing.T) {
	var whl bytes.Buffer
	if _, err := writeWideWheel(&whl, 6<<20); err != nil { // past the artifact reader's prefetchMin
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	skimmed := wideResult(t, whl.Bytes(), Config{Options: artifact.Options{Inspect: func([]byte) any { return nil }}})
	inspected := wideResult(t, whl.Bytes(), Config{})
	if diff := cmp.Diff(string(skimmed), string(inspected)); diff != "" {
		t.Errorf("skimmed after reading against inspected while reading (-want +got):\n%s", diff)
	}
}

// wideResult is the JSON of the result of scanning the wheel data, its
// elapsed time left out.
func wideResult(t *testing.T, data []byte, cfg Config) []byte {
	t.Helper()
	r, err := One(t.Context(), Input{Path: "wide-1.0-py3-none-any.whl", Data: data}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.ElapsedMS = 0
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
