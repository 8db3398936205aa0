package artifact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/ulikunitz/xz"
)

// entry is one member of a test archive.
type entry struct {
	name     string
	body     string
	typeflag byte   // tar only; 0 means regular
	link     string // link target for symlinks and hard links
	mode     int64
}

func file(name, body string) entry { return entry{name: name, body: body} }

func tarOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(e.body)), Linkname: e.link, Format: tar.FormatPAX}
		if e.mode != 0 {
			h.Mode = e.mode
		}
		if e.typeflag != 0 {
			h.Typeflag = e.typeflag
			if e.typeflag != tar.TypeReg {
				h.Size = 0
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("tar header %q: %v", e.name, err)
		}
		if h.Size > 0 {
			io.WriteString(tw, e.body)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func xzOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(modeOf(e.mode))
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatalf("zip entry %q: %v", e.name, err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wheelOf builds a wheel whose RECORD lists every entry with its true hash.
func wheelOf(t testing.TB, name, version string, entries ...entry) []byte {
	t.Helper()
	distInfo := name + "-" + version + ".dist-info"
	all := append([]entry{}, entries...)
	all = append(all,
		file(distInfo+"/METADATA", fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: test wheel\n", name, version)),
		file(distInfo+"/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
	)
	var record bytes.Buffer
	for _, e := range all {
		sum := sha256.Sum256([]byte(e.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", e.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(e.body))
	}
	fmt.Fprintf(&record, "%s/RECORD,,\n", distInfo)
	all = append(all, file(distInfo+"/RECORD", record.String()))
	return zipOf(t, all...)
}

func readT(t testing.TB, name string, data []byte, limits Limits) (*Artifact, error) {
	t.Helper()
	a, err := Read(t.Context(), name, data, Options{Limits: limits})
	if err != nil && a == nil {
		return nil, err
	}
	if a == nil {
		t.Fatalf("Read(%q) returned no artifact and no error", name)
	}
	return a, err
}

func mustRead(t testing.TB, name string, data []byte) *Artifact {
	t.Helper()
	a, err := readT(t, name, data, Limits{})
	if err != nil {
		t.Fatalf("Read(%q): %v", name, err)
	}
	return a
}

// anomalyKinds lists "kind entry" for each anomaly, for compact diffs.
func anomalyKinds(a *Artifact) []string {
	var out []string
	for _, an := range a.Anomalies {
		out = append(out, an.Kind+" "+an.Entry)
	}
	return out
}

func hasAnomaly(a *Artifact, kind, entry string) bool {
	for _, an := range a.Anomalies {
		if an.Kind == kind && an.Entry == entry {
			return true
		}
	}
	return false
}

// modeOf turns a Unix mode with type bits (0o120777 for a symlink) into
// an fs.FileMode.
func modeOf(m int64) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & 0o170000 {
	case 0o120000:
		mode |= fs.ModeSymlink
	case 0o010000:
		mode |= fs.ModeNamedPipe
	case 0o020000:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	}
	return mode
}
