package pypi_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

// TestDownload fetches files the JSON API names: the right bytes and
// hash are written; a wrong digest, a huge Content-Length, a file over the
// cap and a removed file are refused with typed errors.
func TestDownload(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789"), 1000) // 10,000 bytes
	must(t, s.Publish("demo", "1.0", "demo-1.0.tar.gz", data))
	must(t, s.Publish("demo", "1.0", "demo-1.0-py3-none-any.whl", []byte("wheel")))
	fileOf := func(t *testing.T, filename string) pypi.File {
		t.Helper()
		rel, err := c.Release(ctx, "demo", "1.0")
		must(t, err)
		for _, f := range rel.Files {
			if f.Filename == filename {
				return f
			}
		}
		t.Fatalf("no %s in the release", filename)
		return pypi.File{}
	}

	tests := []struct {
		name    string
		fault   pypitest.Fault // injected before reading the JSON API
		maxFile int64
		edit    func(*pypi.File)
		want    error
		text    string
		fetched bool // whether the file host was asked
	}{
		{name: "good", fetched: true},
		{name: "exactly the cap", maxFile: 10000, fetched: true},
		{name: "wrong sha256 in the json api", fault: pypitest.WrongSHA256, want: pypi.ErrHashMismatch, text: "the JSON API says 0000", fetched: true},
		{name: "huge content-length", fault: pypitest.HugeContentLength, want: pypi.ErrTooLarge, text: "Content-Length 10737418240", fetched: true},
		{name: "content-length over the cap", maxFile: 9999, edit: func(f *pypi.File) { f.Size = 0 }, want: pypi.ErrTooLarge, text: "Content-Length 10000 is more than the cap of 9999", fetched: true},
		{name: "json size over the cap", maxFile: 9999, want: pypi.ErrTooLarge, text: "the JSON API says 10000 bytes"},
		{name: "no digest", edit: func(f *pypi.File) { f.SHA256 = "" }, want: pypi.ErrMalformed, text: "no valid sha256"},
		{name: "not http", edit: func(f *pypi.File) { f.URL = "file:///etc/passwd" }, want: pypi.ErrMalformed, text: "not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := *c
			cc.MaxFile = tt.maxFile
			if tt.fault != 0 {
				s.Inject(tt.fault, 1)
			}
			f := fileOf(t, "demo-1.0.tar.gz")
			if tt.edit != nil {
				tt.edit(&f)
			}
			before := s.Calls().Files
			var buf bytes.Buffer
			got, err := cc.Download(ctx, f, &buf)
			if fetched := s.Calls().Files > before; fetched != tt.fetched {
				t.Errorf("file host asked: %v, want %v", fetched, tt.fetched)
			}
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
					t.Errorf("Download: %v, want %v saying %q", err, tt.want, tt.text)
				}
				return
			}
			must(t, err)
			if got.SHA256 != sha(string(data)) || got.Size != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
				t.Errorf("Download = %+v with %d bytes written, want the file", got, buf.Len())
			}
		})
	}

	wheel := fileOf(t, "demo-1.0-py3-none-any.whl")
	must(t, s.RemoveFile("demo", "1.0", wheel.Filename))
	if _, err := c.Download(ctx, wheel, &bytes.Buffer{}); !errors.Is(err, pypi.ErrNotFound) {
		t.Errorf("removed file: %v, want ErrNotFound", err)
	}
}

// TestDownloadStream checks what the fake cannot send: a body without a
// Content-Length is cut at the cap, and a stalled one at the timeout.
func TestDownloadStream(t *testing.T) {
	chunk := bytes.Repeat([]byte("x"), 1000)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 10 {
			w.Write(chunk)
			w.(http.Flusher).Flush()
		}
		if r.URL.Path == "/stall" {
			<-r.Context().Done()
		}
	}))
	defer host.Close()
	c := &pypi.Client{MaxFile: 5000, FileTimeout: 200 * time.Millisecond}
	f := pypi.File{Filename: "a.tar.gz", URL: host.URL + "/big", SHA256: strings.Repeat("ab", 32)}
	var buf bytes.Buffer
	_, err := c.Download(context.Background(), f, &buf)
	if !errors.Is(err, pypi.ErrTooLarge) || buf.Len() > 5000 {
		t.Errorf("unsized body over the cap: %v after %d bytes, want ErrTooLarge within 5000", err, buf.Len())
	}
	c.MaxFile = 1 << 20
	f.URL = host.URL + "/stall"
	start := time.Now()
	_, err = c.Download(context.Background(), f, &bytes.Buffer{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("stalled body: %v after %v, want the timeout", err, time.Since(start))
	}
}
