// Package webtest drives a headless Chromium for the dashboard's browser
// tests, recording what the pages make it complain about.
package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
func chromium(t testing.TB) string {
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

// Browser is a headless Chromium with what it complained about.
type Browser struct {
	// Ctx is the browser tab's context, for chromedp calls.
	Ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// New starts a headless Chromium for the test (skipped without one,
// unless $SAFEGUARD_REQUIRE_CHROMIUM is set). It records console errors
// and warnings, exceptions, dialogs and, in every document, CSP
// violations.
func New(t testing.TB) *Browser {
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
	b := &Browser{Ctx: ctx}
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
			go chromedp.Call(b.Ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
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

// Complaints returns what the browser complained about since the last
// call, CSP violations of the current document included.
func (b *Browser) Complaints(t testing.TB) []string {
	t.Helper()
	csp, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append(b.problems, csp...)
	b.problems = nil
	return out
}

// Shoot saves a screenshot of the page in $SAFEGUARD_SCREENSHOTS, if set.
func (b *Browser) Shoot(t testing.TB, name string) {
	dir := os.Getenv("SAFEGUARD_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
