package artifact

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

func TestLargeZipReleasesContent(t *testing.T) {
	defer func(old int64) { releaseMin = old }(releaseMin)
	releaseMin = 1000
	var entries []entry
	want := map[string]string{}
	for i := range 20 {
		name := fmt.Sprintf("big/mod%d.py", i)
		body := strings.Repeat(fmt.Sprintf("def f%d():\n    return %d\n", i, i), 50)
		entries = append(entries, file(name, body))
		want[name] = body
	}
	inner := zipOf(t, file("inner/setup.py", "import os\n"))
	entries = append(entries, file("big/data/inner.zip", string(inner)))
	a := mustRead(t, "big-1.0-py3-none-any.whl", wheelOf(t, "big", "1.0", entries...))
	for name, body := range want {
		f := a.File(name)
		if f == nil {
			t.Fatalf("%s missing", name)
		}
		if f.data != nil {
			t.Errorf("%s: content kept; want it released", name)
		}
		if got := f.Bytes(); !bytes.Equal(got, []byte(body)) {
			t.Errorf("%s: read again = %q…; want the content", name, got[:min(len(got), 20)])
		}
		if f.SHA256() != sha256.Sum256([]byte(body)) {
			t.Errorf("%s: wrong hash", name)
		}
	}
	for _, an := range a.Anomalies {
		if strings.HasPrefix(an.Kind, "record-") {
			t.Errorf("unexpected %v: RECORD checks the content that was released", an)
		}
	}
	if len(a.Nested) != 1 || a.Nested[0].File("inner/setup.py") == nil {
		t.Errorf("nested archive not read from released content: %v", a.Nested)
	}
	if a.Meta.Core == nil || a.Meta.Core.Name != "big" {
		t.Errorf("metadata not read: %+v", a.Meta.Core)
	}
}

func TestReleasedHead(t *testing.T) {
	defer func(old int64) { releaseMin = old }(releaseMin)
	releaseMin = 1000
	body := strings.Repeat("0123456789", 1000)
	a := mustRead(t, "big-1.0-py3-none-any.whl", wheelOf(t, "big", "1.0", file("big/data.txt", body), file("big/small.txt", "tiny")))
	for _, tt := range []struct {
		name string
		n    int
		want string
	}{
		{"big/data.txt", 16, body[:16]},
		{"big/data.txt", 1 << 20, body},
		{"big/small.txt", 16, "tiny"},
	} {
		if got := string(a.File(tt.name).Head(tt.n)); got != tt.want {
			t.Errorf("%s: Head(%d) = %d bytes %.20q; want %d bytes %.20q", tt.name, tt.n, len(got), got, len(tt.want), tt.want)
		}
	}
}

// The head of released content is kept: reading up to headKept bytes
// does not inflate the file again.
func TestReleasedHeadKept(t *testing.T) {
	body := []byte(strings.Repeat("0123456789", 20))
	loads := 0
	f := &File{Path: "p/x.py", Type: TypeRegular, Size: int64(len(body)), data: body}
	f.release(func(limit int) []byte { loads++; return body[:min(limit, len(body))] })
	if got := f.Head(headKept); !bytes.Equal(got, body[:headKept]) || loads != 0 {
		t.Errorf("Head(%d) = %q after %d loads; want the kept head, no load", headKept, got, loads)
	}
	if got := f.Head(headKept + 1); !bytes.Equal(got, body[:headKept+1]) || loads != 1 {
		t.Errorf("Head(%d) = %q after %d loads; want one load", headKept+1, got, loads)
	}
	small := &File{Path: "p/y.py", Type: TypeRegular, Size: 4, data: []byte("tiny")}
	small.release(func(int) []byte { loads++; return []byte("tiny") })
	if got := small.Head(1 << 10); string(got) != "tiny" || loads != 1 {
		t.Errorf("Head of a file shorter than the kept head = %q after %d more loads", got, loads-1)
	}
}

func TestLargeTarPacksContent(t *testing.T) {
	defer func(old int64) { packMin = old }(packMin)
	packMin = 3000
	var entries []entry
	want := map[string]string{}
	for i := range 10 {
		name := fmt.Sprintf("big-1.0/big/mod%d.py", i)
		body := strings.Repeat(fmt.Sprintf("def f%d():\n    return %d\n", i, i), 40)
		entries = append(entries, file(name, body))
		want[name] = body
	}
	inner := zipOf(t, file("inner/setup.py", "import os\n"))
	entries = append(entries, file("big-1.0/setup.py", "from setuptools import setup\nsetup()\n"), file("big-1.0/data/inner.zip", string(inner)))
	a := mustRead(t, "big-1.0.tar.gz", gzipOf(t, tarOf(t, entries...)))
	packed := 0
	for name, body := range want {
		f := a.File(name)
		if f.data == nil {
			packed++
		}
		if got := string(f.Bytes()); got != body {
			t.Errorf("%s: unpacked content differs", name)
		}
		if got := string(f.Head(10)); got != body[:10] {
			t.Errorf("%s: Head(10) = %q; want %q", name, got, body[:10])
		}
		if f.SHA256() != sha256.Sum256([]byte(body)) {
			t.Errorf("%s: wrong hash", name)
		}
	}
	if packed != len(want) {
		t.Errorf("%d of %d modules packed; want all, those read before the limit was passed included", packed, len(want))
	}
	if len(a.Nested) != 1 || a.Nested[0].File("inner/setup.py") == nil {
		t.Errorf("nested archive not read: %v", a.Nested)
	}
}
