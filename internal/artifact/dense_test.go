package artifact

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"
)

// denseData is n bytes of zeros with a random byte every 1,700: it
// deflates about 300:1, as gridded test data does.
func denseData(n int) string {
	rng := rand.New(rand.NewPCG(3, 0))
	b := make([]byte, n)
	for i := 0; i < n; i += 1700 {
		b[i] = byte(rng.IntN(256))
	}
	return string(b)
}

func TestDenseDataFileSkipped(t *testing.T) {
	data := denseData(8 << 20)
	whl := wheelOf(t, "sci", "1.0", file("sci/__init__.py", "import os\n"), file("sci/tests/data/grid.npy", data))
	a := mustRead(t, "sci-1.0-py3-none-any.whl", whl)
	zr, err := zip.NewReader(bytes.NewReader(whl), int64(len(whl)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "sci/tests/data/grid.npy" {
			if r := zf.UncompressedSize64 / zf.CompressedSize64; r < 250 || r > 400 {
				t.Fatalf("test data compresses %d:1; want about 300:1", r)
			}
		}
	}
	if !hasAnomaly(a, DenseEntry, "sci/tests/data/grid.npy") {
		t.Errorf("anomalies = %v; want %s for the data file", a.Anomalies, DenseEntry)
	}
	f := a.File("sci/tests/data/grid.npy")
	if f == nil || !f.Unread || f.Size != int64(len(data)) || len(f.Bytes()) != 0 {
		t.Fatalf("data file = %+v; want it listed unread, sized as its header says", f)
	}
	for _, an := range a.Anomalies {
		if strings.HasPrefix(an.Kind, "record-") {
			t.Errorf("unexpected %v: RECORD is not checked against content that was not read", an)
		}
	}
	if a.File("sci/__init__.py") == nil {
		t.Errorf("the code beside the data file was not read")
	}
}

func TestDenseCodeStillStops(t *testing.T) {
	for _, name := range []string{"p-1/table.py", "p-1/inner.zip", "p-1/payload"} {
		data := zipOf(t, file("p-1/setup.py", "setup()\\n"), file(name, denseData(8<<20)))
		_, err := readT(t, "p-1.zip", data, Limits{})
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != LimitRatio || le.Entry != name {
			t.Errorf("%s: err = %v; want a max-ratio limit error at it", name, err)
		}
	}
}

// lyingDense is a zip of 64 KiB of noise and n data entries, each 2 MiB
// of zeros whose header says it holds 1,000 bytes, so only the inflating
// guard sees the ratio.
func lyingDense(t *testing.T, n int) []byte {
	body := make([]byte, 2<<20)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	noise := make([]byte, 64<<10)
	rand.NewChaCha8([32]byte{4}).Read(noise)
	w, err := zw.Create("p-1/noise.bin")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(noise)
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: fmt.Sprintf("p-1/data/%d.csv", i), Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body[:1000]),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1000,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	zw.Close()
	return buf.Bytes()
}

func TestDenseBombCaughtByTotal(t *testing.T) {
	// One lying entry is skipped like any dense data file: the archive as
	// a whole is within the ratio.
	a, err := readT(t, "p-1.zip", lyingDense(t, 1), Limits{})
	if err != nil || !hasAnomaly(a, DenseEntry, "p-1/data/0.csv") {
		t.Fatalf("one lying data entry: err = %v, anomalies %v; want it skipped", err, a.Anomalies)
	}
	// Many of them are a bomb: what the guard inflated before stopping
	// each one adds up past the ratio of the whole archive.
	_, err = readT(t, "p-1.zip", lyingDense(t, 40), Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitRatio {
		t.Errorf("forty lying data entries: err = %v; want a max-ratio limit error", err)
	}
	// And against max-total-bytes, which no skipping spends around.
	_, err = readT(t, "p-1.zip", lyingDense(t, 40), Limits{MaxTotalBytes: 8 << 20})
	if !errors.As(err, &le) || le.Limit != LimitTotalBytes {
		t.Errorf("forty lying data entries, 8 MiB total: err = %v; want a max-total-bytes limit error", err)
	}
}
