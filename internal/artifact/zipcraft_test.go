package artifact

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/klauspost/compress/flate"
)

// rawZip writes a stored (uncompressed) zip by hand so that tests can make
// the central directory say things the local entries do not. Each cd row
// names a local entry by index.
func rawZip(locals []string, cd []struct {
	name  string
	local int
}) []byte {
	var buf bytes.Buffer
	le := func(v any) { binary.Write(&buf, binary.LittleEndian, v) }
	offsets := make([]uint32, len(locals))
	for i, body := range locals {
		offsets[i] = uint32(buf.Len())
		name := "local" + string(rune('0'+i))
		le(uint32(0x04034b50))
		le(uint16(20))
		le(uint16(0))
		le(uint16(0)) // store
		le(uint32(0)) // time, date
		le(crc32.ChecksumIEEE([]byte(body)))
		le(uint32(len(body)))
		le(uint32(len(body)))
		le(uint16(len(name)))
		le(uint16(0))
		buf.WriteString(name)
		buf.WriteString(body)
	}
	cdStart := buf.Len()
	for _, c := range cd {
		body := locals[c.local]
		le(uint32(0x02014b50))
		le(uint16(20))
		le(uint16(20))
		le(uint16(0))
		le(uint16(0))
		le(uint32(0))
		le(crc32.ChecksumIEEE([]byte(body)))
		le(uint32(len(body)))
		le(uint32(len(body)))
		le(uint16(len(c.name)))
		le(uint16(0))
		le(uint16(0))
		le(uint16(0))
		le(uint16(0))
		le(uint32(0))
		le(offsets[c.local])
		buf.WriteString(c.name)
	}
	cdLen := buf.Len() - cdStart
	le(uint32(0x06054b50))
	le(uint16(0))
	le(uint16(0))
	le(uint16(len(cd)))
	le(uint16(len(cd)))
	le(uint32(cdLen))
	le(uint32(cdStart))
	le(uint16(0))
	return buf.Bytes()
}

func TestZipOverlappingEntries(t *testing.T) {
	data := rawZip([]string{"setup()\n"}, []struct {
		name  string
		local int
	}{{"p-1/setup.py", 0}, {"p-1/other.py", 0}})
	a := mustRead(t, "p-1.zip", data)
	if !hasAnomaly(a, OverlappingEntries, "p-1/other.py") && !hasAnomaly(a, OverlappingEntries, "p-1/setup.py") {
		t.Errorf("anomalies = %v; want overlapping-entries", a.Anomalies)
	}
}

func TestZipHeaderSizeLies(t *testing.T) {
	body := []byte(strings.Repeat("import os\n", 100))
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "p-1/setup.py", Method: zip.Deflate,
		CRC32:            crc32.ChecksumIEEE(body[:10]),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10, // claims 10 bytes
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	a := mustRead(t, "p-1.zip", buf.Bytes())
	if !hasAnomaly(a, SizeMismatch, "p-1/setup.py") {
		t.Errorf("anomalies = %v; want size-mismatch", a.Anomalies)
	}
	if got := a.RootFile("setup.py"); got == nil || got.Size != int64(len(body)) {
		t.Errorf("the whole content should be read past the lying header, for the scanner to see it")
	}
}

func TestZipChecksumMismatch(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "p-1/setup.py", Method: zip.Store, CRC32: 1, CompressedSize64: 3, UncompressedSize64: 3})
	w.Write([]byte("abc"))
	zw.Close()
	a := mustRead(t, "p-1.zip", buf.Bytes())
	if !hasAnomaly(a, ChecksumMismatch, "p-1/setup.py") {
		t.Errorf("anomalies = %v; want checksum-mismatch", a.Anomalies)
	}
}
