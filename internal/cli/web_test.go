package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdFetch implements "fetch URL [COOKIE=VALUE]": a GET that waits up to
// 20 s for the server to listen, does not follow redirects, and prints
// the status line, the Location and Content-Security-Policy headers, and
// the body.
func cmdFetch(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: fetch URL [COOKIE=VALUE]")
	}
	req, err := http.NewRequest("GET", args[0], nil)
	ts.Check(err)
	if len(args) == 2 {
		name, value, _ := strings.Cut(args[1], "=")
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err = c.Do(req)
		if err == nil || !errors.Is(err, syscall.ECONNREFUSED) || time.Now().After(deadline) {
			break
		}
	}
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%s\nLocation: %s\nContent-Security-Policy: %s\n\n%s", resp.Status,
		resp.Header.Get("Location"), resp.Header.Get("Content-Security-Policy"), body)
}
