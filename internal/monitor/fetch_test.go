package monitor

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/netpolicy"
	"github.com/safeguard-dev/safeguard/internal/netpolicy/netpolicytest"
	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/pypi"
)

// A JSON API answer whose file URLs point at an internal host, the cloud
// metadata address, or a non-http scheme makes the monitor's fetcher
// fetch nothing; a file on PyPI's own origin is fetched.
func TestPyPIClientRefusesInternalFileURLs(t *testing.T) {
	internal, conns := netpolicytest.InternalHost(t)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/files/ok-1.0.tar.gz":
			w.Write([]byte("payload"))
		case "/redirect":
			http.Redirect(w, r, "http://"+internal+"/x.tar.gz", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := PyPIClient(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	const sum = "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5" // sha256("payload")
	for _, u := range []string{
		"http://" + internal + "/evil-1.0.tar.gz",
		"http://169.254.169.254/latest/meta-data/",
		"file:///etc/passwd",
		"ftp://" + internal + "/evil-1.0.tar.gz",
		srv.URL + "/redirect",
	} {
		var buf bytes.Buffer
		_, err := c.Download(context.Background(), pypi.File{Filename: "evil-1.0.tar.gz", URL: u, SHA256: sum}, &buf)
		if err == nil || buf.Len() != 0 {
			t.Errorf("%s: fetched (%v, %d bytes)", u, err, buf.Len())
		}
		if !errors.Is(err, netpolicy.ErrRefused) && !errors.Is(err, pypi.ErrMalformed) {
			t.Errorf("%s: %v, want a refusal", u, err)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the internal host got %d connections", n)
	}
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), pypi.File{Filename: "ok-1.0.tar.gz", URL: srv.URL + "/files/ok-1.0.tar.gz", SHA256: sum}, &buf); err != nil || buf.String() != "payload" {
		t.Errorf("PyPI's own file: %q, %v", buf.String(), err)
	}
}

// Notifications never reach the cloud metadata address.
func TestNotifyConfigRefusesLinkLocal(t *testing.T) {
	cfg, err := NotifyConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	target, err := notify.Parse("webhook:http://169.254.169.254/latest/meta-data/")
	if err != nil {
		t.Fatal(err)
	}
	cfg.WebhookSecret = notify.GenerateSecret()
	m := notify.Message{ID: "t1", Type: notify.TypeTest, Project: "p", Summary: "s", Time: time.Now()}
	if a := target.Send(context.Background(), cfg, m); a.Delivered || !strings.Contains(a.Error, "refused") {
		t.Errorf("sent to the metadata address: %+v", a)
	}
}
