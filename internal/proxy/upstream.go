package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/netpolicy"
)

// errNotFound is an upstream 404.
var errNotFound = errors.New("not found upstream")

// Upstream is the index the proxy fronts: any PEP 503 or PEP 691 index.
type Upstream struct {
	base   *url.URL // the simple index root, ending in "/"
	client *http.Client
	// guard is the fetch policy: what page links the proxy may follow.
	guard *netpolicy.Guard
}

// NewUpstream returns the upstream at base (".../simple/"). timeout bounds
// each request's headers; bodies are bounded by size and by the caller's
// context.
//
// Pages and files are fetched only from base's own origin and from
// netpolicy.DefaultFileHosts, over http and https, never from a
// non-global address; allowFileHosts (HOST, HOST:PORT, an IP or a CIDR
// range: --allow-file-host) may be fetched from as well, whatever their
// addresses. The origin of base is allowed the same way, so a loopback or
// private index the operator names works.
func NewUpstream(base string, timeout time.Duration, allowFileHosts ...string) (*Upstream, error) {
	return newUpstream(base, timeout, allowFileHosts, nil)
}

// newUpstream is NewUpstream with a resolver (nil: the system's), which
// tests set.
func newUpstream(base string, timeout time.Duration, allowFileHosts []string, resolver *net.Resolver) (*Upstream, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("upstream %q: want an http(s) URL of a simple index", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	pol := netpolicy.DefaultFileFetch()
	pol.Allow = append([]string{net.JoinHostPort(u.Hostname(), port)}, allowFileHosts...)
	pol.Resolver = resolver
	g, err := netpolicy.New(pol)
	if err != nil {
		return nil, fmt.Errorf("--allow-file-host: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = timeout
	tr.MaxIdleConnsPerHost = 32
	return &Upstream{base: u, client: g.Client(tr), guard: g}, nil
}

// Project fetches a project page, asking for PEP 691 JSON and reading
// HTML when that is what comes back.
func (u *Upstream) Project(ctx context.Context, name string) (*Project, error) {
	pageURL, _ := u.base.Parse(url.PathEscape(name) + "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", mediaJSON+", "+mediaHTML+";q=0.2, "+mediaLegacy+";q=0.1")
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", pageURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, errNotFound
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", pageURL, resp.Status)
	}
	final := resp.Request.URL // after redirects
	body := io.LimitReader(resp.Body, maxPageBytes+1)
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var p *Project
	if ct == mediaJSON || ct == "application/json" {
		p, err = parseJSONPage(body, final)
	} else {
		p, err = parseHTMLPage(name, body, final)
	}
	if err != nil {
		return nil, fmt.Errorf("upstream %s: %w", pageURL, err)
	}
	if p.Name == "" {
		p.Name = name
	}
	p.index()
	p.vet(u.guard)
	return p, nil
}

func parseJSONPage(body io.Reader, base *url.URL) (*Project, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if len(data) > maxPageBytes {
		return nil, fmt.Errorf("project page larger than %d bytes", maxPageBytes)
	}
	var p Project
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("project page: %w", err)
	}
	// PEP 714: older indexes call core-metadata dist-info-metadata.
	var legacy struct {
		Files []struct {
			DistInfo json.RawMessage `json:"dist-info-metadata"`
		} `json:"files"`
	}
	json.Unmarshal(data, &legacy)
	for i := range p.Files {
		f := &p.Files[i]
		if len(f.CoreMetadata) == 0 && i < len(legacy.Files) {
			f.CoreMetadata = legacy.Files[i].DistInfo
		}
		u, err := base.Parse(f.URL)
		if err != nil {
			return nil, fmt.Errorf("file %q: bad url: %w", f.Filename, err)
		}
		u.Fragment = ""
		f.upstream = u.String()
		hashes := map[string]string{}
		for k, v := range f.Hashes {
			hashes[strings.ToLower(k)] = strings.ToLower(v)
		}
		f.Hashes = hashes
	}
	return &p, nil
}

// Open starts a download of a file from upstream.
func (u *Upstream) Open(ctx context.Context, rawURL string) (io.ReadCloser, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("upstream %s: %w", rawURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, 0, errNotFound
		}
		return nil, 0, fmt.Errorf("upstream %s: %s", rawURL, resp.Status)
	}
	return resp.Body, resp.ContentLength, nil
}
