package analyze

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// pe is an MZ file of n bytes whose PE header sits at off.
func pe(n, off int) []byte {
	b := make([]byte, n)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], uint32(off))
	if off+4 <= n {
		copy(b[off:], "PE\x00\x00")
	}
	return b
}

// isExecutableFile reads a file's head, and all of it only when a PE
// header lies past the head: it must agree with isExecutable everywhere.
func TestIsExecutableFileReadsHead(t *testing.T) {
	files := map[string][]byte{
		"pe-near.dll":   pe(20000, 0x80),
		"pe-far.dll":    pe(20000, 9000),
		"pe-edge.dll":   pe(20000, execHead-2),
		"pe-broken.dll": pe(20000, 30000),
		"mz-small.bin":  pe(100, 0x40),
		"elf.so":        append([]byte("\x7fELF"), make([]byte, 9000)...),
		"text.txt":      bytes.Repeat([]byte("MZ text, not a program\n"), 500),
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	zw.Close()
	a, err := artifact.Read(t.Context(), "x.zip", buf.Bytes(), artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if got, want := isExecutableFile(a.File(name)), isExecutable(body); got != want {
			t.Errorf("%s: isExecutableFile = %v; isExecutable of the whole file = %v", name, got, want)
		}
	}
}
