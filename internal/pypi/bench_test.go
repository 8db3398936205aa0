package pypi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

// fullBatch returns a fake PyPI whose journal holds one full batch of
// typical rows (a new release and its sdist and wheel, repeated).
func fullBatch(b *testing.B) *pypitest.Server {
	b.Helper()
	s := pypitest.Start()
	b.Cleanup(s.Close)
	for i := 0; i < MaxChangelogRows; i += 3 {
		name, v := fmt.Sprintf("project-%d", i%5000), fmt.Sprintf("1.%d", i)
		for _, a := range []string{"new release", "add source file " + name + "-" + v + ".tar.gz", "add py3 file " + name + "-" + v + "-py3-none-any.whl"} {
			if err := s.Record(name, v, a); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkDecodeChangelog decodes one answer of 50,000 changelog rows
// (as PyPI writes them) into events: ns/row and MB/s of XML.
func BenchmarkDecodeChangelog(b *testing.B) {
	s := fullBatch(b)
	call, _ := encodeCall("changelog_since_serial", 0)
	resp, err := http.Post(s.URL()+"/pypi", "text/xml", bytes.NewReader(call))
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var rows int
	for b.Loop() {
		v, err := decodeResponse(body)
		if err != nil {
			b.Fatal(err)
		}
		events, err := eventsOf(v, 0)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(events)
	}
	if rows < MaxChangelogRows {
		b.Fatalf("%d rows, want a full batch", rows)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

// BenchmarkChangelogSince is the same batch fetched from the fake over
// loopback HTTP, as the follower reads it.
func BenchmarkChangelogSince(b *testing.B) {
	s := fullBatch(b)
	c := New(s.URL(), nil)
	var rows int
	for b.Loop() {
		events, err := c.ChangelogSince(context.Background(), 0)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(events)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}
