package pypi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Downloaded is what Download wrote.
type Downloaded struct {
	SHA256 string // lower-case hex of what was written
	Size   int64
}

// Download fetches a file from the URL the JSON API gave and writes it to
// w, hashing it on the way. It refuses a file that declares (in the JSON
// API or its Content-Length) more than MaxFile bytes before reading it,
// stops reading past MaxFile (ErrTooLarge), gives up after FileTimeout,
// and fails with ErrHashMismatch when the SHA-256 is not f.SHA256. On any
// error, what w received must be thrown away.
func (c *Client) Download(ctx context.Context, f File, w io.Writer) (Downloaded, error) {
	max := orDefault(c.MaxFile, DefaultMaxFile)
	want, err := hex.DecodeString(f.SHA256)
	if err != nil || len(want) != sha256.Size {
		return Downloaded{}, fmt.Errorf("download %q: the JSON API gave no valid sha256 (%q): %w", f.Filename, clip(f.SHA256), ErrMalformed)
	}
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Downloaded{}, fmt.Errorf("download %q: url %q is not an http(s) URL: %w", f.Filename, clip(f.URL), ErrMalformed)
	}
	if f.Size > max {
		return Downloaded{}, fmt.Errorf("download %q: the JSON API says %d bytes, more than the cap of %d: %w", f.Filename, f.Size, max, ErrTooLarge)
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(c.FileTimeout, DefaultFileTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Downloaded{}, fmt.Errorf("download %q: %w", f.Filename, err)
	}
	resp, err := c.send(req)
	if err != nil {
		return Downloaded{}, fmt.Errorf("download %q: %w", f.Filename, err)
	}
	defer resp.Body.Close()
	if resp.ContentLength > max {
		return Downloaded{}, fmt.Errorf("download %q: Content-Length %d is more than the cap of %d: %w", f.Filename, resp.ContentLength, max, ErrTooLarge)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), newCappedReader(resp.Body, max, "file"))
	if err != nil {
		return Downloaded{}, fmt.Errorf("download %q after %d bytes: %w", f.Filename, n, err)
	}
	got := h.Sum(nil)
	d := Downloaded{SHA256: hex.EncodeToString(got), Size: n}
	if string(got) != string(want) {
		return d, fmt.Errorf("download %q: sha256 is %s, the JSON API says %s: %w", f.Filename, d.SHA256, f.SHA256, ErrHashMismatch)
	}
	return d, nil
}
