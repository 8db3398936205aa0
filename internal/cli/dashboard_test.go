package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/web/webtest"
)

// TestDashboardInBrowser drives headless Chromium against a real
// safeguard serve (web role) over a store holding a flagged upload whose
// finding's code holds HTML: sign in with a token from safeguard token
// create, open the overview and the feed, follow the flagged file to its
// highlighted line; the code renders as text, nothing breaks the CSP and
// nothing logs an error.
func TestDashboardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs safeguard serve and a browser")
	}
	b := webtest.New(t)
	dir := t.TempDir()
	const snippet = `exec(base64.b64decode("<img src=x onerror=alert(1)>"))`
	st, err := store.Open(context.Background(), filepath.Join(dir, "safeguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	findings, _ := json.Marshal([]analyze.Finding{{Rule: "exec-obfuscated", Severity: analyze.Critical, Confidence: "high", Context: analyze.Install,
		File: "evil_pkg-1.0/setup.py", Line: 7, Snippet: snippet, Message: "setup.py runs code it decodes at install time",
		Excerpt: &analyze.Excerpt{Start: 6, Lines: []string{`# </pre><script>alert(2)</script>`, snippet, `setup(name="evil-pkg")`}}}})
	err = st.PutVerdict(context.Background(), store.Verdict{SHA256: strings.Repeat("ab", 32), Filename: "evil_pkg-1.0.tar.gz", Project: "evil-pkg",
		Version: "1.0", Verdict: "malicious", Score: 100, Findings: findings, Engine: "test", ScannedAt: time.Now()})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("safeguard", "--data-dir", dir, "token", "create", "--role", "read", "--name", "browser").Output()
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(out))
	port := freePort(t)
	startServe(t, dir, "serve", "--data-dir", dir, "serve", "--role", "web", "--index=false", "--osv-every", "0", "--listen", "127.0.0.1:"+port)
	base := "http://127.0.0.1:" + port
	waitFor(t, 30*time.Second, "safeguard serve to answer", func() bool {
		resp, err := http.Get(base + "/-/health")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})

	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := b.Complaints(t); len(got) > 0 {
			t.Errorf("%s: the browser complained: %v", what, got)
		}
	}
	do("sign in", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#token`)),
		chromedp.SendKeys(chromedp.CSS(`#token`), token), chromedp.Submit(chromedp.CSS(`#token`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	do("the feed", chromedp.Navigate(base+"/feed?verdict=malicious"), chromedp.WaitVisible(chromedp.CSS(`table.feed`)))
	do("follow the flagged file", chromedp.Click(chromedp.Search(`//table[contains(@class,"feed")]//a[text()="evil-pkg"]`)),
		chromedp.WaitVisible(chromedp.CSS(`mark.hit`)))
	hit, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(`mark.hit`)))
	if err != nil {
		t.Fatal(err)
	}
	planted, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.querySelectorAll('main img, main script').length`))
	if err != nil {
		t.Fatal(err)
	}
	code, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(`pre.code`)))
	if err != nil {
		t.Fatal(err)
	}
	if hit != snippet || planted != 0 {
		t.Errorf("highlighted line %q with %v planted elements; want the code as text", hit, planted)
	}
	// The lines around it, numbered, as text.
	if !strings.Contains(code, "6# </pre><script>alert(2)</script>") || !strings.Contains(code, `8setup(name="evil-pkg")`) {
		t.Errorf("the code around the finding:\n%s", code)
	}
}
