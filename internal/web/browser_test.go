package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium to drive. Without one the browser test is
// skipped, unless SAFEGUARD_REQUIRE_CHROMIUM is set (CI sets it): then
// it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SAFEGUARD_REQUIRE_CHROMIUM") != "" {
		t.Fatal("SAFEGUARD_REQUIRE_CHROMIUM is set but no chromium is installed (apt-get install chromium)")
	}
	t.Skip("no chromium found (apt-get install chromium); set SAFEGUARD_REQUIRE_CHROMIUM=1 to fail instead")
	return ""
}

// watchCSP records, in every document, the CSP violations it reports.
const watchCSP = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`

// browser is a headless Chromium with what it complained about.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				b.problems = append(b.problems, fmt.Sprintf("console.%s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			b.problems = append(b.problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				b.problems = append(b.problems, fmt.Sprintf("%s %s: %s (%s)", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *cdppage.EventJavascriptDialogOpening:
			b.problems = append(b.problems, "a script opened a dialog: "+ev.Message)
			go chromedp.Call(b.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watchCSP})
	}
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// complaints returns what the browser complained about since the last
// call, CSP violations of the current document included.
func (b *browser) complaints(t *testing.T) []string {
	t.Helper()
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append(b.problems, csp...)
	b.problems = nil
	return out
}

// shoot saves a screenshot of the page in $SAFEGUARD_SCREENSHOTS, if set.
func (b *browser) shoot(t *testing.T, name string) {
	dir := os.Getenv("SAFEGUARD_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

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
	b := newBrowser(t)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(what string, sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}
	eval := func(what, js string) any {
		t.Helper()
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}

	do("control page", chromedp.Navigate(srv.URL+"/-/test/inline"))
	if title := eval("control title", `document.title`); title == "ran" || len(b.complaints(t)) == 0 {
		t.Fatalf("an inline script ran (title %q) or was refused unnoticed: the CSP check is blind", title)
	}

	do("open the sign-in form", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#token`)))
	b.shoot(t, "signin")
	do("sign in",
		chromedp.SendKeys(chromedp.CSS(`#token`), f.admin),
		chromedp.Submit(chromedp.CSS(`#token`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	if main := text("overview", "main"); !strings.Contains(main, "31337") || !strings.Contains(main, "Verdicts today") {
		t.Errorf("overview after sign-in shows:\n%s", main)
	}
	b.shoot(t, "overview")
	for _, p := range pages {
		do("open "+p.path, chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if got := b.complaints(t); len(got) > 0 {
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
	b.shoot(t, "feed")

	do("follow a flagged file",
		chromedp.Click(chromedp.Search(`//table[contains(@class,"feed")]//a[text()="evil-pkg"]`)),
		chromedp.WaitVisible(chromedp.CSS(`mark.hit`)))
	hit := text("highlighted line", "mark.hit")
	visible := eval("highlight visible", `(() => { const r = document.querySelector('mark.hit').getBoundingClientRect(); return r.width > 0 && r.height > 0 })()`)
	if hit != `exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk="))` || visible != true {
		t.Errorf("highlighted line %q (visible %v)", hit, visible)
	}
	b.shoot(t, "package")
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
	b.shoot(t, "alert")
	for _, shot := range []struct{ path, name string }{{"/projects/webshop", "project"}, {"/decisions", "decisions"}, {"/rules", "rules"}} {
		do("open "+shot.path, chromedp.Navigate(srv.URL+shot.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		b.shoot(t, shot.name)
	}
	if got := b.complaints(t); len(got) > 0 {
		t.Errorf("the browser complained: %v", got)
	}
}
