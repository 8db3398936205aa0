package cli

import (
	"crypto/sha256"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// cmdSimpleIndex implements "simple-index DIR": it writes a static PEP 503
// tree for the distribution files in DIR/packages, one page per project
// at DIR/simple/<project>/index.html, each link with its #sha256=.
func cmdSimpleIndex(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: simple-index DIR")
	}
	dir := ts.MkAbs(args[0])
	entries, err := os.ReadDir(filepath.Join(dir, "packages"))
	ts.Check(err)
	pages := map[string][]string{}
	for _, e := range entries {
		fn, err := pkgname.Parse(e.Name())
		ts.Check(err)
		data, err := os.ReadFile(filepath.Join(dir, "packages", e.Name()))
		ts.Check(err)
		project := pkgname.Normalize(fn.Name)
		pages[project] = append(pages[project], fmt.Sprintf("<a href=\"../../packages/%s#sha256=%x\">%s</a><br>", html.EscapeString(e.Name()), sha256.Sum256(data), html.EscapeString(e.Name())))
	}
	for project, links := range pages {
		p := filepath.Join(dir, "simple", project)
		ts.Check(os.MkdirAll(p, 0o755))
		ts.Check(os.WriteFile(filepath.Join(p, "index.html"), []byte("<!DOCTYPE html>\n<html><body>\n"+strings.Join(links, "\n")+"\n</body></html>\n"), 0o644))
	}
}

// cmdServe implements "serve DIR VAR": it serves DIR over HTTP on a
// loopback port for the rest of the script and sets VAR to its URL.
func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: serve DIR VAR")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(ts.MkAbs(args[0]))))
	ts.Defer(srv.Close)
	ts.Setenv(args[1], srv.URL)
}
