package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/safeguard-dev/safeguard/internal/web/webtest"
)

// A real browser signs in, reads every page, follows a flagged file to
// its highlighted line, filters the feed and re-sends an alert; nothing
// breaks the CSP, nothing logs an error, and no planted script runs.
func TestBrowser(t *testing.T) {
	f := newFixture(t, false)
	// A control: a page with an inline script, under the same headers,
	// must be reported, or the check below proves nothing.
	mux := http.NewServeMux()
	mux.HandleFunc("/-/test/inline", func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		fmt.Fprint(w, `<!doctype html><title>inline</title><script>document.title = "ran"</script>`)
	})
	mux.Handle("/", f.h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	b := webtest.New(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(what string, sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(b.Ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}
	eval := func(what, js string) any {
		t.Helper()
		v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}

	do("control page", chromedp.Navigate(srv.URL+"/-/test/inline"))
	if title := eval("control title", `document.title`); title == "ran" || len(b.Complaints(t)) == 0 {
		t.Fatalf("an inline script ran (title %q) or was refused unnoticed: the CSP check is blind", title)
	}

	do("open the sign-in form", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#token`)))
	b.Shoot(t, "signin")
	do("sign in",
		chromedp.SendKeys(chromedp.CSS(`#token`), f.admin),
		chromedp.Submit(chromedp.CSS(`#token`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	if main := text("overview", "main"); !strings.Contains(main, "31337") || !strings.Contains(main, "Verdicts today") {
		t.Errorf("overview after sign-in shows:\n%s", main)
	}
	b.Shoot(t, "overview")
	for _, p := range pages {
		do("open "+p.path, chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if got := b.Complaints(t); len(got) > 0 {
			t.Errorf("%s: the browser complained: %v", p.path, got)
		}
	}

	do("filter the feed",
		chromedp.Navigate(srv.URL+"/feed"),
		chromedp.SetValue(chromedp.CSS(`select[name=verdict]`), "malicious"),
		chromedp.Submit(chromedp.CSS(`select[name=verdict]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.feed`)))
	if rows := eval("feed rows", `location.search + ' ' + document.querySelectorAll('table.feed tbody tr').length`); rows != "?verdict=malicious&name=&since=&until= 1" {
		t.Errorf("feed filtered to malicious: %v, want one row", rows)
	}
	b.Shoot(t, "feed")

	do("follow a flagged file",
		chromedp.Click(chromedp.Search(`//table[contains(@class,"feed")]//a[text()="evil-pkg"]`)),
		chromedp.WaitVisible(chromedp.CSS(`mark.hit`)))
	hit := text("highlighted line", "mark.hit")
	visible := eval("highlight visible", `(() => { const r = document.querySelector('mark.hit').getBoundingClientRect(); return r.width > 0 && r.height > 0 })()`)
	if hit != `exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="))` || visible != true {
		t.Errorf("highlighted line %q (visible %v)", hit, visible)
	}
	b.Shoot(t, "package")
	snippets := eval("snippets", `[...document.querySelectorAll('mark.hit')].map(m => m.textContent)`)
	if s, ok := snippets.([]any); !ok || len(s) != 2 || s[1] != hostileSnippet {
		t.Errorf("snippets %q: want the hostile one as text", snippets)
	}

	do("open the hostile package", chromedp.Navigate(srv.URL+"/packages/"+url.PathEscape(hostileName)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	planted := eval("planted elements", `document.querySelectorAll('main script, main img, main b:not(.rule), main i, main u').length`)
	if h1 := text("heading", "main h1"); h1 != hostileName || planted != float64(0) {
		t.Errorf("hostile package: heading %q, %v planted elements; want the name as text and none", h1, planted)
	}

	do("re-send an alert",
		chromedp.Navigate(srv.URL+"/alerts/"+f.alertID),
		chromedp.Click(chromedp.Search(`//button[contains(., "Re-send")]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)))
	if notice := text("notice", "p.notice"); !strings.Contains(notice, "1 deliveries will be tried again") {
		t.Errorf("after re-send: %q", notice)
	}
	b.Shoot(t, "alert")
	for _, shot := range []struct{ path, name string }{{"/projects/webshop", "project"}, {"/decisions", "decisions"}, {"/rules", "rules"}} {
		do("open "+shot.path, chromedp.Navigate(srv.URL+shot.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		b.Shoot(t, shot.name)
	}
	if got := b.Complaints(t); len(got) > 0 {
		t.Errorf("the browser complained: %v", got)
	}
}
