package netpolicy

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/netpolicy/netpolicytest"
)

// A file client reaches neither an internal address nor a listed name
// that resolves to one, directly or through a redirect, and says why; the
// internal host hears nothing. Allowing the range lets the same fetch
// through.
func TestFileClientRefusesInternalAddresses(t *testing.T) {
	internal, conns := netpolicytest.InternalHost(t)
	_, port, _ := net.SplitHostPort(internal)
	// The index: on loopback, allowed as the operator's own, redirecting
	// where the test says.
	index := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer index.Close()
	resolver := netpolicytest.Resolver(t, map[string][]string{
		"files.pythonhosted.org": {"127.0.0.2"},
		"metadata.example":       {"169.254.169.254", "fd00:ec2::254"},
	})
	p := DefaultFileFetch()
	p.Allow = []string{strings.TrimPrefix(index.URL, "http://")}
	p.Resolver = resolver
	c, err := p.Client()
	if err != nil {
		t.Fatal(err)
	}
	rebound := "http://files.pythonhosted.org:" + port + "/x.whl"
	redirect := func(to string) string { return index.URL + "/?to=" + to }
	for _, tt := range []struct{ url, reason string }{
		{"http://" + internal + "/x.whl", "not on the list"},
		{rebound, "127.0.0.2 is a loopback address"},
		{"file:///etc/passwd", `scheme "file"`},
		{"ftp://files.pythonhosted.org/x.whl", `scheme "ftp"`},
		{redirect("http://" + internal + "/x.whl"), "not on the list"},
		{redirect(rebound), "127.0.0.2 is a loopback address"},
		{redirect("file:///etc/passwd"), `scheme "file"`},
		{redirect("http://169.254.169.254/latest/meta-data/"), "not on the list"},
	} {
		resp, err := c.Get(tt.url)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: fetched (HTTP %d)", tt.url, resp.StatusCode)
			continue
		}
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: %v, want ErrRefused saying %q", tt.url, err, tt.reason)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the internal host received %d connections", n)
	}

	// A name that resolves to link-local is refused by a policy that
	// lists it, whichever address family is tried.
	p.Hosts = append(p.Hosts, "metadata.example")
	c, _ = p.Client()
	if _, err := c.Get("http://metadata.example/latest/"); !errors.Is(err, ErrRefused) {
		t.Errorf("metadata.example: %v, want refused", err)
	}

	// Too many redirects.
	loop := index.URL + "/?to=" + index.URL + "/"
	if _, err := c.Get(loop); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "more than 5 redirects") {
		t.Errorf("a redirect loop: %v, want refused after 5 redirects", err)
	}

	// Allowing the range lets the fetch through.
	p.Allow = append(p.Allow, "127.0.0.0/8")
	c, _ = p.Client()
	resp, err := c.Get(redirect(rebound))
	if err != nil {
		t.Fatalf("allowed range: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "internal" || conns.Load() != 1 {
		t.Errorf("allowed range: got %q over %d connections", body, conns.Load())
	}
}

// A notification client reaches a private (here loopback) address, and
// logs it, but never link-local unless that is allowed.
func TestNotifyClient(t *testing.T) {
	internal, conns := netpolicytest.InternalHost(t)
	_, port, _ := net.SplitHostPort(internal)
	var log bytes.Buffer
	p := DefaultNotify()
	p.Logger = slog.New(slog.NewTextHandler(&log, nil))
	p.Resolver = netpolicytest.Resolver(t, map[string][]string{
		"chat.internal":    {"127.0.0.2"},
		"metadata.example": {"169.254.169.254"},
	})
	c, err := p.Client()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get("http://chat.internal:" + port + "/hook")
	if err != nil {
		t.Fatalf("private target: %v", err)
	}
	resp.Body.Close()
	if conns.Load() != 1 || strings.Count(log.String(), "class=loopback") != 1 {
		t.Errorf("private target: %d connections, log %q", conns.Load(), log.String())
	}
	resp, err = c.Get("http://" + internal + "/hook") // an IP literal: logged once too
	if err != nil {
		t.Fatalf("private target by address: %v", err)
	}
	resp.Body.Close()
	if n := strings.Count(log.String(), "class=loopback"); n != 2 {
		t.Errorf("two fetches from a loopback address logged %d times", n)
	}
	_, err = c.Get("http://metadata.example:" + port + "/latest/")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "169.254.169.254 is a link-local address") {
		t.Errorf("link-local target: %v", err)
	}
	p.Allow = []string{"169.254.169.254"}
	g, _ := New(p)
	if err := g.CheckURL(&url.URL{Scheme: "http", Host: "169.254.169.254"}); err != nil {
		t.Errorf("explicitly allowed link-local: %v", err)
	}
}
