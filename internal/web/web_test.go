package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// pages are every page, with text each must show from the fixture.
var pages = []struct {
	path string
	want []string
}{
	{"/", []string{"31337", "<svg", `class="flagged"`, "Verdicts today", "Proxy blocks"}},
	{"/feed", []string{"evil-pkg", "requests", "evil_pkg-1.0.tar.gz", `class="verdict malicious"`}},
	{"/feed?verdict=malicious", []string{"evil_pkg-1.0.tar.gz"}},
	{"/packages/evil-pkg", []string{"exec-obfuscated", "evil_pkg-1.0/setup.py:7", `<mark class="hit">exec(base64.b64decode(&#34;aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk=&#34;))</mark>`, `decoded: <code>import os; os.system(&#39;id&#39;)</code>`, "evil-pkg!=1.0", "Code is decoded"}},
	{"/projects", []string{"webshop", "requirements.txt"}},
	{"/projects/webshop", []string{"evil-pkg", "==1.0", "malicious", "/alerts/alert-1", "known-malicious</span> test-list",
		"typosquat</span> imitates <b>requests</b>", "1 files scanned, none flagged", "/projects/webshop/sbom/cyclonedx.json"}},
	{"/alerts", []string{"webshop", "evil-pkg", "malicious"}},
	{"/alerts/alert-1", []string{"webhook#ab12", "failed", "410", "gone"}},
	{"/decisions", []string{"block", "10.0.0.7", "malicious: exec-obfuscated setup.py:7", "allow"}},
	{"/decisions?action=block", []string{"10.0.0.7"}},
	{"/rules", []string{"exec-obfuscated", "download-execute"}},
}

func TestPages(t *testing.T) {
	f := newFixture(t, false)
	sess, _ := f.signIn(t, f.read)
	for _, p := range pages {
		resp, body := f.get(t, p.path, sess.Value)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s\n%s", p.path, resp.Status, body)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", p.path, ct)
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not show %q", p.path, w)
			}
		}
	}
}

func TestFeedFilters(t *testing.T) {
	f := newFixture(t, true)
	for _, tc := range []struct {
		query      string
		want, miss []string
	}{
		{"verdict=malicious", []string{"evil_pkg-1.0.tar.gz"}, []string{"requests-2.32.3"}},
		{"name=Requests", []string{"requests-2.32.3"}, []string{"evil_pkg"}},
		{"until=2000-01-01", []string{"No scanned file matches"}, []string{"evil_pkg"}},
		{"limit=1", []string{`rel="next"`}, []string{"requests-2.32.3"}},
	} {
		resp, body := f.get(t, "/feed?"+tc.query, "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", tc.query, resp.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("feed?%s does not show %q", tc.query, w)
			}
		}
		for _, m := range tc.miss {
			if strings.Contains(body, m) {
				t.Errorf("feed?%s shows %q", tc.query, m)
			}
		}
	}
	if resp, body := f.get(t, "/feed?verdict=<x>", ""); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "want one of") {
		t.Errorf("bad verdict: %s", resp.Status)
	}
}

// Names, paths and code come from attackers: they are shown as text.
func TestHostileTextIsEscaped(t *testing.T) {
	f := newFixture(t, true)
	for _, path := range []string{"/feed", "/packages/" + url.PathEscape(hostileName), "/packages/evil-pkg", "/alerts/alert-1"} {
		resp, body := f.get(t, path, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>", "<i>rule", "<u>m"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s holds raw %q", path, raw)
			}
		}
	}
	_, body := f.get(t, "/packages/"+url.PathEscape(hostileName), "")
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("the hostile package page does not show %q as text", want)
		}
	}
	_, body = f.get(t, "/packages/evil-pkg", "")
	if !strings.Contains(body, "&lt;/pre&gt;&lt;img src=x onerror=&#34;alert(2)&#34;&gt;") || !strings.Contains(body, "evil/&lt;b&gt;setup&lt;/b&gt;.py") {
		t.Error("the hostile snippet or file path is not shown as text")
	}
	if !strings.Contains(body, "decoded: <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>") {
		t.Error("the hostile snippet's decoded payload is not shown as text")
	}
	_, body = f.get(t, "/feed", "")
	if !strings.Contains(body, `href="/packages/%3Cscript%3Ealert%281%29%3C%2Fscript%3E"`) {
		t.Error("the hostile name's link is not one escaped path segment")
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, false)
	sess, _ := f.signIn(t, f.read)
	paths := []string{"/signin", "/-/static/style.css", "/no-such-page"}
	for _, p := range pages {
		paths = append(paths, p.path)
	}
	for _, path := range paths {
		for _, cookie := range []string{"", sess.Value} {
			resp, _ := f.get(t, path, cookie)
			h := resp.Header
			if got := h.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
				t.Errorf("%s: CSP %q", path, got)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s: headers %v", path, h)
			}
		}
	}
	if !strings.Contains(ContentSecurityPolicy, "script-src 'self';") || strings.Contains(ContentSecurityPolicy, "unsafe-inline") {
		t.Errorf("CSP allows inline script: %s", ContentSecurityPolicy)
	}
	// No page holds an inline script or style for the CSP to refuse.
	for _, p := range pages {
		_, body := f.get(t, p.path, sess.Value)
		if strings.Contains(body, "<script") || strings.Contains(body, "style=") || strings.Contains(body, "<style") {
			t.Errorf("%s holds inline script or style", p.path)
		}
	}
	if resp, _ := f.get(t, "/no-such-page", sess.Value); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: %s", resp.Status)
	}
}

func TestPagesNeedSignIn(t *testing.T) {
	f := newFixture(t, false)
	for _, p := range pages {
		resp, _ := f.get(t, p.path, "")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") {
			t.Errorf("%s without a session: %s to %q, want a redirect to sign in", p.path, resp.Status, resp.Header.Get("Location"))
		}
		if resp, _ := f.get(t, p.path, "sgs_forged"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s with a forged session: %s", p.path, resp.Status)
		}
	}
	// --public-read shows them.
	pub := newFixture(t, true)
	for _, p := range pages {
		if resp, _ := pub.get(t, p.path, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("public %s: %s", p.path, resp.Status)
		}
	}
}

func TestSignIn(t *testing.T) {
	f := newFixture(t, false)
	resp, body := f.get(t, "/signin", "")
	csrf := csrfField.FindStringSubmatch(body)[1]
	var pre *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == signinCookie {
			pre = c
		}
	}
	form := func(token, csrf string) url.Values {
		return url.Values{"token": {token}, "csrf": {csrf}, "next": {"//evil.example/"}}
	}
	if resp, _ := f.post(t, "/signin", form(f.read, csrf)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the CSRF cookie: %s", resp.Status)
	}
	if resp, _ := f.post(t, "/signin", form(f.read, "wrong"), pre); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in with a wrong CSRF token: %s", resp.Status)
	}
	if resp, body := f.post(t, "/signin", form("sgt_unknown", csrf), pre); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Unknown or revoked token") {
		t.Errorf("sign-in with an unknown token: %s", resp.Status)
	}
	resp, _ = f.post(t, "/signin", form(f.read, csrf), pre)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("sign-in: %s to %q, want a redirect to / (not to another site)", resp.Status, resp.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Secure || sess.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, not Secure over plain HTTP", sess)
	}
	if resp, _ := f.get(t, "/", sess.Value); resp.StatusCode != http.StatusOK {
		t.Errorf("overview with the session: %s", resp.Status)
	}
	// Signing out needs the CSRF token, and ends the session.
	_, page := f.get(t, "/", sess.Value)
	token := csrfField.FindStringSubmatch(page)[1]
	if resp, _ := f.post(t, "/signout", url.Values{"csrf": {"x"}}, sess); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without the CSRF token: %s", resp.Status)
	}
	if resp, _ := f.post(t, "/signout", url.Values{"csrf": {token}}, sess); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out: %s", resp.Status)
	}
	if resp, _ := f.get(t, "/", sess.Value); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("overview after sign-out: %s", resp.Status)
	}
	// Revoking the token ends its sessions.
	sess, _ = f.signIn(t, f.read)
	f.st.RevokeTokens(context.Background(), "viewer")
	if resp, _ := f.get(t, "/", sess.Value); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("overview after the token was revoked: %s", resp.Status)
	}
}

// Over TLS the session cookie is Secure.
func TestSecureCookieOverTLS(t *testing.T) {
	f := newFixture(t, false)
	tlsSrv := httptest.NewTLSServer(f.h)
	defer tlsSrv.Close()
	c := tlsSrv.Client()
	c.CheckRedirect = client.CheckRedirect
	resp, err := c.Get(tlsSrv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == signinCookie && !ck.Secure {
			t.Errorf("sign-in cookie over TLS is not Secure: %+v", ck)
		}
	}
	secure := false
	for _, ck := range resp.Cookies() {
		secure = secure || (ck.Name == signinCookie && ck.Secure)
	}
	if !secure {
		t.Error("no Secure sign-in cookie over TLS")
	}
}

func TestResend(t *testing.T) {
	f := newFixture(t, false)
	readSess, readCSRF := f.signIn(t, f.read)
	adminSess, adminCSRF := f.signIn(t, f.admin)
	path := "/alerts/" + f.alertID + "/resend"
	if _, body := f.get(t, "/alerts/"+f.alertID, readSess.Value); strings.Contains(body, "Re-send") {
		t.Error("a read session is offered the re-send button")
	}
	if _, body := f.get(t, "/alerts/"+f.alertID, adminSess.Value); !strings.Contains(body, "Re-send") {
		t.Error("an admin session is not offered the re-send button")
	}
	for _, tc := range []struct {
		name string
		sess *http.Cookie
		csrf string
		want int
	}{
		{"no session", nil, adminCSRF, http.StatusUnauthorized},
		{"read session", readSess, readCSRF, http.StatusForbidden},
		{"admin without CSRF token", adminSess, "", http.StatusForbidden},
		{"admin with another session's CSRF token", adminSess, readCSRF, http.StatusForbidden},
	} {
		var cookies []*http.Cookie
		if tc.sess != nil {
			cookies = append(cookies, tc.sess)
		}
		if resp, _ := f.post(t, path, url.Values{"csrf": {tc.csrf}}, cookies...); resp.StatusCode != tc.want {
			t.Errorf("%s: %s, want %d", tc.name, resp.Status, tc.want)
		}
	}
	if ds, _ := f.st.ClaimDeliveries(context.Background(), 10, 0); len(ds) != 0 {
		t.Fatal("a refused re-send changed the deliveries")
	}
	resp, _ := f.post(t, path, url.Values{"csrf": {adminCSRF}}, adminSess)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin re-send: %s", resp.Status)
	}
	if _, body := f.get(t, resp.Header.Get("Location"), adminSess.Value); !strings.Contains(body, "1 deliveries will be tried again") {
		t.Error("the alert page does not confirm the re-send")
	}
	_, ds, _, _ := f.st.Alert(context.Background(), f.alertID)
	if len(ds) != 1 || ds[0].State != store.DeliveryPending {
		t.Errorf("after re-send: %+v, want the delivery pending", ds)
	}
}

func TestSBOMDownload(t *testing.T) {
	f := newFixture(t, true)
	for _, tc := range []struct{ format, contentType, want string }{
		{"cyclonedx.json", "application/vnd.cyclonedx+json", `"purl": "pkg:pypi/evil-pkg@1.0"`},
		{"spdx.json", "application/spdx+json", `"SPDX-2.3"`},
	} {
		resp, body := f.get(t, "/projects/webshop/sbom/"+tc.format, "")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.contentType {
			t.Errorf("%s: %s, %s", tc.format, resp.Status, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(body, tc.want) || !strings.Contains(body, "reqeusts") {
			t.Errorf("%s does not hold %s and every dependency:\n%s", tc.format, tc.want, body)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="webshop.`+tc.format+`"` {
			t.Errorf("%s: Content-Disposition %q", tc.format, cd)
		}
	}
	for _, path := range []string{"/projects/webshop/sbom/exe", "/projects/nope/sbom/spdx.json"} {
		if resp, _ := f.get(t, path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s", path, resp.Status)
		}
	}
	if got := safeFilename("a\"\r\nb/../c"); got != "a___b_.._c" {
		t.Errorf("safeFilename = %q", got)
	}
}

// Sign-in's next= stays on this site.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/feed?verdict=malicious": "/feed?verdict=malicious",
		"/packages/x#v-1.0":       "/packages/x#v-1.0",
		"":                        "/",
		"https://evil.example/":   "/",
		"//evil.example/":         "/",
		"/\\evil.example/":        "/",
		"/\t/evil.example/":       "/",
		"/\r\n/evil.example/":     "/",
		"javascript:alert(1)":     "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFeedBadPageKey(t *testing.T) {
	f := newFixture(t, true)
	if resp, body := f.get(t, "/feed?after=nope", ""); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "start again from the first page") {
		t.Errorf("feed with a forged page key: %s", resp.Status)
	}
}

// With the follower in the same process, the overview says how far
// behind PyPI it is; without, only when it last moved.
func TestOverviewLag(t *testing.T) {
	f := newFixture(t, true)
	if _, body := f.get(t, "/", ""); strings.Contains(body, "behind PyPI") || !strings.Contains(body, "ago") {
		t.Error("the overview claims a lag it cannot know, or not when the follower moved")
	}
	h := New(Options{Store: f.st, PublicRead: true, FollowerLag: func() (time.Duration, bool) { return 90 * time.Second, true }})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(rec.Body.String(), "1m30s behind PyPI") {
		t.Errorf("overview with a follower 90 s behind:\n%s", rec.Body)
	}
}

// Under --public-read, readers without a session do not see the proxy
// clients' addresses; signed-in ones do.
func TestPublicReadHidesClients(t *testing.T) {
	f := newFixture(t, true)
	if _, body := f.get(t, "/decisions", ""); strings.Contains(body, "10.0.0.7") || !strings.Contains(body, "evil_pkg-1.0.tar.gz") {
		t.Errorf("public decisions page shows the client's address, or not the decision")
	}
	session, _ := f.signIn(t, f.read)
	if _, body := f.get(t, "/decisions", session.Value); !strings.Contains(body, "10.0.0.7") {
		t.Errorf("signed-in decisions page lacks the client's address")
	}
}
