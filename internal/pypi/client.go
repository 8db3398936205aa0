package pypi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero fields of a Client.
const (
	DefaultBaseURL = "https://pypi.org"
	// DefaultMaxBody caps an XML-RPC or JSON answer. A full changelog
	// batch (50,000 rows) is about 15 MB of XML-RPC; the largest JSON
	// project pages are a few MB.
	DefaultMaxBody = 64 << 20
	// DefaultMaxFile caps a downloaded distribution file (PyPI's default
	// upload limit is 100 MB; some projects have more).
	DefaultMaxFile = 256 << 20
	// DefaultTimeout bounds one XML-RPC or JSON call.
	DefaultTimeout = time.Minute
	// DefaultFileTimeout bounds one file download.
	DefaultFileTimeout = 5 * time.Minute
	// DefaultUserAgent names the client to PyPI, as PyPI asks of mirrors.
	DefaultUserAgent = "safeguard (+https://github.com/safeguard-dev/safeguard)"
)

// Doer sends an HTTP request. *http.Client is one; the caller's Doer
// decides which addresses may be reached, how redirects are followed and
// which proxy is used.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Client calls PyPI. Its fields are plain values; a zero field takes the
// default above, so Client{BaseURL: url, HTTP: hc} is ready to use. A
// Client is safe for concurrent use.
type Client struct {
	// BaseURL is PyPI's root, "https://pypi.org": the XML-RPC endpoint is
	// BaseURL/pypi and the JSON API BaseURL/pypi/<name>/json.
	BaseURL string
	// HTTP sends every request; nil means http.DefaultClient.
	HTTP        Doer
	UserAgent   string
	MaxBody     int64
	MaxFile     int64
	Timeout     time.Duration
	FileTimeout time.Duration
}

// New returns a client of the PyPI at base that sends its requests
// through hc, with the default limits.
func New(base string, hc Doer) *Client {
	return &Client{BaseURL: base, HTTP: hc}
}

func (c *Client) doer() Doer {
	if c.HTTP == nil {
		return http.DefaultClient
	}
	return c.HTTP
}

func orDefault[T int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// endpoint joins the base URL and an escaped path ("/pypi/x/json").
func (c *Client) endpoint(path string) (string, error) {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("pypi: base URL %q: want an http(s) URL such as %q", base, DefaultBaseURL)
	}
	return strings.TrimSuffix(u.String(), "/") + path, nil
}

// send performs req with the client's user agent and returns the
// response when its status is 200; any other status is an *HTTPError and
// the body is closed.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	resp, err := c.doer().Do(req)
	if err != nil {
		return nil, fmt.Errorf("pypi: %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, &HTTPError{
			URL:        req.URL.Redacted(),
			StatusCode: resp.StatusCode,
			Status:     resp.Status,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After")),
		}
	}
	return resp, nil
}

// cappedReader reads at most max bytes and fails with ErrTooLarge when the
// source holds more.
type cappedReader struct {
	r    io.Reader
	left int64 // bytes still allowed
	max  int64
	what string
}

func newCappedReader(r io.Reader, max int64, what string) *cappedReader {
	return &cappedReader{r: r, left: max, max: max, what: what}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a body of exactly max bytes from a larger one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%s larger than %d bytes: %w", c.what, c.max, ErrTooLarge)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// readBody reads a whole answer of at most limit bytes, refusing one whose
// Content-Length is larger before reading it.
func readBody(resp *http.Response, limit int64, what string) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s of %d bytes is larger than %d bytes: %w", what, resp.ContentLength, limit, ErrTooLarge)
	}
	// bytes.Buffer reads in steps of at least bytes.MinRead.
	buf := bytes.NewBuffer(make([]byte, 0, max(resp.ContentLength, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(newCappedReader(resp.Body, limit, what)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
