package proxy

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/netpolicy/netpolicytest"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// An upstream page cannot make the proxy fetch what it should not: a file
// on another host (an internal one), file:// and ftp:// links, redirects
// to an internal address, a file host whose name resolves to one, a
// malformed hash and a hash two files claim. None is fetched, the internal
// host hears nothing, each leaves the page, and each is in the log and
// the decision log; asked for directly, each is refused with its reason.
func TestHostileUpstream(t *testing.T) {
	for _, mode := range []string{"json", "html"} {
		t.Run(mode, func(t *testing.T) { hostileUpstream(t, mode == "html") })
	}
}

func hostileUpstream(t *testing.T, htmlOnly bool) {
	internal, conns := netpolicytest.InternalHost(t)
	_, port, _ := strings.Cut(internal, ":")
	rebound := "http://files.pythonhosted.org:" + port // resolves to 127.0.0.2
	resolver := netpolicytest.Resolver(t, map[string][]string{"files.pythonhosted.org": {"127.0.0.2"}})

	old := time.Now().Add(-30 * 24 * time.Hour)
	up := newFakeIndex()
	up.htmlOnly = htmlOnly
	whl := func(v string) (string, []byte) {
		return "hostile-" + v + "-py3-none-any.whl", wheel(t, "hostile", v, map[string]string{"hostile/__init__.py": "V = '" + v + "'\n"})
	}
	add := func(v string, f upFile) string {
		f.name, f.data = whl(v)
		f.uploaded = old
		up.add("hostile", f)
		return f.name
	}
	add("0.9", upFile{})
	_, dupData := whl("1.7")
	want := map[string]string{ // file -> rule|a part of the reason
		add("1.0", upFile{href: "http://" + internal + "/hostile-1.0-py3-none-any.whl"}): "fetch-refused|host 127.0.0.2:" + port + " is not on the list",
		add("1.1", upFile{href: "file:///etc/passwd"}):                                   `fetch-refused|scheme "file"`,
		add("1.2", upFile{href: "ftp://" + internal + "/hostile-1.2-py3-none-any.whl"}):  `fetch-refused|scheme "ftp"`,
		add("1.3", upFile{href: "/redirect/internal"}):                                   "fetch-refused|host 127.0.0.2:" + port + " is not on the list",
		add("1.4", upFile{href: rebound + "/hostile-1.4-py3-none-any.whl"}):              "fetch-refused|127.0.0.2 is a loopback address",
		add("1.5", upFile{href: "/redirect/rebound"}):                                    "fetch-refused|127.0.0.2 is a loopback address",
		add("1.6", upFile{sha256: "00"}):                                                 `bad-hash|the index gives "00" as the SHA-256`,
		add("1.7", upFile{}):                                                             "duplicate-hash|2 files on the page claim",
		add("1.8", upFile{sha256: hexSum(dupData)}):                                      "duplicate-hash|2 files on the page claim",
	}
	up.redirects["/redirect/internal"] = "http://" + internal + "/hostile-1.3-py3-none-any.whl"
	up.redirects["/redirect/rebound"] = rebound + "/hostile-1.5-py3-none-any.whl"

	policy := DefaultPolicy()
	policy.Prescan.Versions = 20 // prescan all: the redirects are followed at page time
	logPath := filepath.Join(t.TempDir(), "log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	s, srv := testProxyWith(t, up, policy, resolver, slog.New(slog.NewTextHandler(logFile, nil)))

	if page := jsonPage(t, srv.URL, "hostile"); len(page.Files) != 1 || page.Files[0].Filename != "hostile-0.9-py3-none-any.whl" {
		t.Errorf("page lists %+v, want only hostile-0.9-py3-none-any.whl", page.Files)
	}

	// Asked for directly (where the hash can name it), each is refused.
	for name, rule := range want {
		if strings.HasPrefix(rule, "bad-hash") {
			continue
		}
		code, body := fileRequest(t, s, srv.URL, "hostile", name)
		if r, _, _ := strings.Cut(rule, "|"); code != http.StatusForbidden || !strings.Contains(body, "(rule "+r+")") {
			t.Errorf("%s asked for directly: HTTP %d %q, want 403 (rule %s)", name, code, body, r)
		}
	}

	if n := conns.Load(); n != 0 {
		t.Errorf("the internal host received %d connections", n)
	}
	up.mu.Lock()
	for name := range want {
		if up.downloads[name] != 0 {
			t.Errorf("%s was downloaded %d times", name, up.downloads[name])
		}
	}
	up.mu.Unlock()

	ds, err := s.opt.Store.Decisions(context.Background(), store.DecisionFilter{Project: "hostile", Action: "block", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds {
		for name, rule := range want {
			r, reason, _ := strings.Cut(rule, "|")
			if d.Filename == name && d.Rule == r && strings.Contains(d.Reason, reason) {
				got[name] = rule
			}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decision log (-want +got):\n%s", d)
	}
	b, _ := os.ReadFile(logPath)
	logged := string(b)
	for name := range want {
		if !strings.Contains(logged, "msg=\"refused on page\" project=hostile file="+name) {
			t.Errorf("log lacks the refusal of %s", name)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("log:\n%s", logged)
	}
}

// Two files on different pages claiming one hash do not share a fetch, a
// cache entry or a verdict: asked for together or one after the other,
// the impostor is never answered with the other file's bytes.
func TestDuplicateHashAcrossPages(t *testing.T) {
	old := time.Now().Add(-30 * 24 * time.Hour)
	tidy := wheel(t, "tidy", "1.0", map[string]string{"tidy/__init__.py": ""})
	up := newFakeIndex()
	up.add("tidy", upFile{name: "tidy-1.0-py3-none-any.whl", data: tidy, uploaded: old})
	up.add("other", upFile{name: "other-1.0-py3-none-any.whl", data: wheel(t, "other", "1.0", map[string]string{"other/__init__.py": ""}), uploaded: old, sha256: hexSum(tidy)})
	s, srv := testProxy(t, up, nil)

	type answer struct {
		code int
		body string
	}
	var wg sync.WaitGroup
	got := map[string]answer{}
	var mu sync.Mutex
	for _, f := range []struct{ project, name string }{{"tidy", "tidy-1.0-py3-none-any.whl"}, {"other", "other-1.0-py3-none-any.whl"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/files/" + f.project + "/" + hexSum(tidy) + "/" + f.name)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mu.Lock()
			got[f.name] = answer{resp.StatusCode, string(b)}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if a := got["tidy-1.0-py3-none-any.whl"]; a.code != 200 || a.body != string(tidy) {
		t.Errorf("tidy: HTTP %d, %d bytes", a.code, len(a.body))
	}
	if a := got["other-1.0-py3-none-any.whl"]; a.code == 200 || a.body == string(tidy) {
		t.Errorf("other, asked for with tidy: HTTP %d: answered with tidy's bytes", a.code)
	}

	// Later, with tidy's verdict stored: refused without a fetch, and off
	// its page.
	s.flightMu.Lock()
	clear(s.unfetchable)
	s.flightMu.Unlock()
	up.mu.Lock()
	before := up.downloads["other-1.0-py3-none-any.whl"]
	up.mu.Unlock()
	code, body := fileRequest(t, s, srv.URL, "other", "other-1.0-py3-none-any.whl")
	if code != http.StatusForbidden || !strings.Contains(body, "(rule duplicate-hash)") || !strings.Contains(body, "tidy-1.0-py3-none-any.whl") {
		t.Errorf("other, asked for after tidy: HTTP %d %q, want 403 (rule duplicate-hash)", code, body)
	}
	if page := jsonPage(t, srv.URL, "other"); len(page.Files) != 0 {
		t.Errorf("other's page lists %+v, want nothing", page.Files)
	}
	up.mu.Lock()
	if n := up.downloads["other-1.0-py3-none-any.whl"]; n != before {
		t.Errorf("other-1.0 fetched %d more times", n-before)
	}
	up.mu.Unlock()
}

// The impostor asked for while the genuine file is cached but still being
// scanned (its verdict not yet stored) waits for that scan and is refused;
// it is never judged, or served, from the other file's cached bytes.
func TestDuplicateHashWhileScanning(t *testing.T) {
	old := time.Now().Add(-30 * 24 * time.Hour)
	tidy := wheel(t, "tidy", "1.0", map[string]string{"tidy/__init__.py": ""})
	up := newFakeIndex()
	up.add("tidy", upFile{name: "tidy-1.0-py3-none-any.whl", data: tidy, uploaded: old})
	up.add("other", upFile{name: "other-1.0-py3-none-any.whl", data: wheel(t, "other", "1.0", map[string]string{"other/__init__.py": ""}), uploaded: old, sha256: hexSum(tidy)})
	s, srv := testProxy(t, up, nil)
	scanning, release := make(chan string, 4), make(chan struct{})
	s.opt.beforeScan = func(name string) {
		scanning <- name
		<-release
	}
	get := func(project, name string) (int, string) { // from a goroutine: no t.Fatal
		resp, err := http.Get(srv.URL + "/files/" + project + "/" + hexSum(tidy) + "/" + name)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tidyDone := make(chan int, 1)
	go func() {
		code, _ := get("tidy", "tidy-1.0-py3-none-any.whl")
		tidyDone <- code
	}()
	if name := <-scanning; name != "tidy-1.0-py3-none-any.whl" {
		t.Fatalf("scanning %s first", name)
	}
	otherDone := make(chan [2]any, 1)
	go func() {
		code, body := get("other", "other-1.0-py3-none-any.whl")
		otherDone <- [2]any{code, body}
	}()
	select {
	case name := <-scanning:
		t.Errorf("%s scanned while tidy's scan was running", name)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if code := <-tidyDone; code != http.StatusOK {
		t.Errorf("tidy: HTTP %d", code)
	}
	got := <-otherDone
	if code, body := got[0].(int), got[1].(string); code != http.StatusForbidden || !strings.Contains(body, "(rule duplicate-hash)") {
		t.Errorf("other: HTTP %d %.200q, want 403 (rule duplicate-hash)", code, body)
	}
}

// The upstream's own origin and PyPI's file host are fetched from, and
// what --allow-file-host adds; nothing else.
func TestUpstreamFileHosts(t *testing.T) {
	u, err := NewUpstream("http://127.0.0.1:8080/simple/", time.Second, "files.internal", "10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]bool{
		"http://127.0.0.1:8080/packages/x.whl":            true,
		"https://files.pythonhosted.org/packages/x.whl":   true,
		"https://files.internal:8443/x.whl":               true,
		"http://10.1.2.3/x.whl":                           true,
		"http://127.0.0.1:6379/x.whl":                     false, // the upstream's host, another port
		"http://localhost:8080/x.whl":                     false,
		"http://169.254.169.254/latest/meta-data/":        false,
		"https://evil.example/x.whl":                      false,
		"file:///etc/passwd":                              false,
		"ftp://files.pythonhosted.org/packages/x.whl":     false,
		"http://[::ffff:127.0.0.1]:8080/packages/x.whl":   true, // the same address
		"http://[::ffff:169.254.169.254]/latest/metadata": false,
	} {
		pu, _ := url.Parse(raw)
		if got := u.guard.CheckURL(pu) == nil; got != want {
			t.Errorf("%s: allowed %v, want %v", raw, got, want)
		}
	}
	if _, err := NewUpstream("https://pypi.org/simple/", time.Second, "http://files.internal"); err == nil || !strings.Contains(err.Error(), "--allow-file-host") {
		t.Errorf("a URL as a file host: %v", err)
	}
}
