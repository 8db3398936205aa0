package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/severity"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Hostile text planted in the fixture: it must come out as text.
const (
	hostileName    = "<script>alert(1)</script>"
	hostileSnippet = `exec(b64decode("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")) </pre><img src=x onerror="alert(2)"><script>alert(3)</script>`
	hostileFile    = `evil/<b>setup</b>.py`
)

// fixture is a dashboard over a store holding a morning's work: a
// malicious package with findings, clean ones, a package with a hostile
// name, a watched project depending on the malicious one, an alert with
// a failed delivery, and proxy decisions.
type fixture struct {
	st          *store.Store
	h           *Handler
	srv         *httptest.Server
	admin, read string // API tokens
	alertID     string
	now         time.Time
}

func sha(n int) string { return fmt.Sprintf("%064x", n) }

func newFixture(t testing.TB, public bool) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "safeguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, now: time.Now().UTC()}
	f.admin, _ = st.CreateToken(ctx, "admin", store.RoleAdmin)
	f.read, _ = st.CreateToken(ctx, "viewer", store.RoleRead)
	findings, _ := json.Marshal([]analyze.Finding{
		{Rule: "exec-obfuscated", Severity: severity.Critical, Context: analyze.Install, File: "evil_pkg-1.0/setup.py", Line: 7,
			Snippet: `exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="))`, Message: "base64 is decoded and executed at install"},
		{Rule: "exec-obfuscated", Severity: severity.Critical, Context: analyze.Install, File: hostileFile, Line: 3,
			Snippet: hostileSnippet, Message: "hostile snippet"},
	})
	for i, v := range []store.Verdict{
		{Project: "evil-pkg", Version: "1.0", Filename: "evil_pkg-1.0.tar.gz", Verdict: "malicious", Score: 95, Findings: findings},
		{Project: "evil-pkg", Version: "0.9", Filename: "evil_pkg-0.9-py3-none-any.whl", Verdict: "clean"},
		{Project: "requests", Version: "2.32.3", Filename: "requests-2.32.3-py3-none-any.whl", Verdict: "clean"},
		{Project: hostileName, Version: "6.6.6", Filename: hostileName + "-6.6.6.tar.gz", Verdict: "suspicious", Score: 40,
			Findings: json.RawMessage(`[{"rule":"<i>rule</i>","severity":"high","file":"x.py","line":1,"snippet":"<b>bold</b>","message":"<u>m</u>"}]`)},
	} {
		v.SHA256, v.Engine, v.ScannedAt = sha(i+1), "test", f.now.Add(-time.Duration(i)*time.Minute)
		if err := st.PutVerdict(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	f.alertID = "alert-1"
	err = st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetCursor(ctx, monitor.CursorName, 31337); err != nil {
			return err
		}
		if err := tx.PutProject(ctx, store.Project{Name: "webshop", Source: "requirements.txt",
			Options: store.ProjectOptions{Notify: []string{"webhook:https://hooks.example.test/x"}}},
			[]store.Dependency{
				{Name: "evil-pkg", Version: "1.0", Direct: true, Scope: "runtime", File: "requirements.txt", Line: 2},
				{Name: "reqeusts", Spec: ">=2", Direct: true, Scope: "runtime", File: "requirements.txt", Line: 3},
				{Name: "requests", Version: "2.32.3", Direct: true, Scope: "runtime", File: "requirements.txt", Line: 4},
			}); err != nil {
			return err
		}
		_, err := tx.AddAlert(ctx, store.Alert{ID: f.alertID, Project: "webshop", Dependency: "evil-pkg", Version: "1.0", Kind: "malicious",
			Body: json.RawMessage(`{"summary":"<script>alert(4)</script>"}`)}, []string{"webhook#ab12"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.ClaimDeliveries(ctx, 10, time.Minute)
	for _, d := range ds {
		st.RecordAttempt(ctx, d, store.Attempt{N: 1, At: f.now, Status: "410", Error: "gone"}, store.DeliveryFailed, f.now)
	}
	st.AddDecision(ctx, store.Decision{Project: "evil-pkg", Filename: "evil_pkg-1.0.tar.gz", Action: "block", Rule: "verdict", Reason: "malicious: exec-obfuscated setup.py:7", Client: "10.0.0.7"})
	st.AddDecision(ctx, store.Decision{Project: "requests", Filename: "requests-2.32.3-py3-none-any.whl", Action: "allow", Rule: "clean", Reason: "no finding"})
	known := knownbad.NewDB()
	known.AddList(map[string][]string{"evil-pkg": {"1.0"}}, "test-list")
	f.h = New(Options{Store: st, Known: known, PublicRead: public, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f.srv = httptest.NewServer(f.h)
	t.Cleanup(f.srv.Close)
	return f
}

// client does not follow redirects: the tests look at them.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get fetches a path with a session cookie (none if "").
func (f *fixture) get(t testing.TB, path, session string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	}
	return f.send(t, req)
}

func (f *fixture) send(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// post posts a form with cookies.
func (f *fixture) post(t testing.TB, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return f.send(t, req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs in with a token through the form and returns the session
// cookie and the session's CSRF token (read from a page's form).
func (f *fixture) signIn(t testing.TB, token string) (*http.Cookie, string) {
	t.Helper()
	resp, body := f.get(t, "/signin", "")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field in the sign-in form:\n%s", body)
	}
	var pre *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == signinCookie {
			pre = c
		}
	}
	resp, _ = f.post(t, "/signin", url.Values{"csrf": {m[1]}, "token": {token}, "next": {"/"}}, pre)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %s", resp.Status)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			_, page := f.get(t, "/", c.Value)
			m := csrfField.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no CSRF token on the overview:\n%s", page)
			}
			return c, m[1]
		}
	}
	t.Fatal("sign-in set no session cookie")
	return nil, ""
}
