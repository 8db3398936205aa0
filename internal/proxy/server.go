package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Options configure a Server.
type Options struct {
	Upstream *Upstream
	Cache    *Cache
	Store    *store.Store
	Known    knownbad.Store
	Policy   *Policy
	Logger   *slog.Logger
	// PageTTL is how long an upstream project page is reused (default 60s).
	PageTTL time.Duration
	// MaxFileBytes bounds one downloaded file (default 1 GiB).
	MaxFileBytes int64
	// Engine names the analysis, stored with verdicts.
	Engine string
	// Now is the clock (tests set it).
	Now func() time.Time
	// OnRemoved, when set, hears of every file left off a page and why;
	// OnDecision of every download allowed or refused.
	OnRemoved  func(project, filename string, d Decision)
	OnDecision func(project, filename string, d Decision)

	// beforeScan, in tests, runs when a cached file is about to be scanned.
	beforeScan func(filename string)
}

// Server is the scanning index's HTTP handler.
type Server struct {
	opt     Options
	metrics *metrics
	mux     *http.ServeMux

	pagesMu   sync.Mutex
	pages     map[string]*cachedPage
	rootCache *rootList

	flightMu sync.Mutex
	flights  map[string]*flight
	// unfetchable are files (by fileKey) whose upstream bytes did not
	// match the hash the upstream page gives, or whose fetch the fetch
	// policy refused; they are left off pages until a restart.
	unfetchable map[string]Decision
	// noted are the files refused on a page already recorded in the
	// decision log.
	notedMu sync.Mutex
	noted   map[string]bool

	scanSlots chan struct{}

	memo   verdictMemo
	served servedCache
	genMu  sync.Mutex
	gens   map[string]uint64

	decisions     chan store.Decision
	decisionsDone chan struct{}
	closeOnce     sync.Once
}

type cachedPage struct {
	p       *Project
	fetched time.Time
}

// New returns a server over opt.
func New(opt Options) *Server {
	if opt.PageTTL == 0 {
		opt.PageTTL = time.Minute
	}
	if opt.MaxFileBytes == 0 {
		opt.MaxFileBytes = 1 << 30
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Policy == nil {
		opt.Policy = DefaultPolicy()
	}
	s := &Server{opt: opt, metrics: newMetrics(), pages: map[string]*cachedPage{}, flights: map[string]*flight{}, unfetchable: map[string]Decision{}, noted: map[string]bool{}, scanSlots: make(chan struct{}, 2),
		gens: map[string]uint64{}, decisions: make(chan store.Decision, 4096), decisionsDone: make(chan struct{})}
	go s.logDecisions()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /-/health", s.health)
	s.mux.HandleFunc("GET /-/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		s.metrics.write(w)
	})
	s.mux.HandleFunc("GET /simple/{$}", s.root)
	s.mux.HandleFunc("GET /simple/{project}", s.projectRedirect)
	s.mux.HandleFunc("GET /simple/{project}/{$}", s.project)
	s.mux.HandleFunc("GET /files/{project}/{sha}/{filename}", s.file)
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/simple/", http.StatusFound) })
	return s
}

// ServeHTTP logs every request and counts it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rw, r)
	route := routeOf(r.URL.Path)
	s.metrics.request(route, rw.status)
	s.opt.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rw.status, "bytes", rw.bytes,
		"ms", time.Since(start).Milliseconds(), "client", r.RemoteAddr, "accept", r.Header.Get("Accept"))
}

func routeOf(p string) string {
	switch {
	case strings.HasPrefix(p, "/files/"):
		return "file"
	case p == "/simple/":
		return "root"
	case strings.HasPrefix(p, "/simple/"):
		return "project"
	case strings.HasPrefix(p, "/-/"):
		return p[3:]
	}
	return "other"
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	if _, err := s.opt.Store.Verdict(ctx, strings.Repeat("0", 64)); err != nil && !errors.Is(err, store.ErrNotFound) {
		status, code = "store: "+err.Error(), http.StatusServiceUnavailable
	}
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"status": status, "store": s.opt.Store.Backend()})
}

// negotiate picks the response type from Accept (PEP 691): JSON, the
// versioned HTML, or legacy text/html; "" when none is acceptable.
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaHTML
	}
	best, bestQ := "", -1.0
	for _, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.TrimSpace(fields[0])
		q := 1.0
		for _, f := range fields[1:] {
			if k, v, ok := strings.Cut(strings.TrimSpace(f), "="); ok && k == "q" {
				fmt.Sscan(v, &q)
			}
		}
		var choice string
		switch mt {
		case mediaJSON, "application/vnd.pypi.simple.latest+json":
			choice = mediaJSON
		case mediaHTML, "application/vnd.pypi.simple.latest+html", "*/*", "text/*":
			choice = mediaHTML
		case mediaLegacy:
			choice = mediaLegacy
		default:
			continue
		}
		if q > bestQ || q == bestQ && choice == mediaJSON {
			best, bestQ = choice, q
		}
	}
	if bestQ <= 0 {
		return ""
	}
	return best
}

func (s *Server) projectRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/simple/"+pkgname.Normalize(r.PathValue("project"))+"/", http.StatusMovedPermanently)
}

func (s *Server) project(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("project")
	name := pkgname.Normalize(raw)
	if raw != name {
		http.Redirect(w, r, "/simple/"+name+"/", http.StatusMovedPermanently)
		return
	}
	media := negotiate(r.Header.Get("Accept"))
	if media == "" {
		http.Error(w, "not acceptable: this index serves "+mediaJSON+", "+mediaHTML+" and text/html", http.StatusNotAcceptable)
		return
	}
	if len(name) > maxProjectName || !pkgname.Valid(name) {
		http.Error(w, "not a project name", http.StatusNotFound)
		return
	}
	page, err := s.servedPage(r.Context(), name)
	if errors.Is(err, errNotFound) {
		http.Error(w, "no such project upstream", http.StatusNotFound)
		return
	}
	if err != nil {
		s.metrics.upstreamErrs.Add(1)
		s.opt.Logger.Warn("project page", "project", name, "error", err)
		http.Error(w, "upstream failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "max-age=60, public")
	w.Header().Set("Content-Type", media)
	if media == mediaLegacy {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	body := page.render(media)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func clientOf(r *http.Request) string { return r.RemoteAddr }
