package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Options configure the dashboard.
type Options struct {
	Store *store.Store
	// Known is the known-malicious database the Projects page checks
	// dependencies against (not checked when nil).
	Known knownbad.Store
	// Rules are the rule registry the Rules page lists (analyze.AllRules
	// when nil).
	Rules []analyze.RuleInfo
	// PublicRead shows the pages without a session; changes still need
	// an admin's.
	PublicRead bool
	// Redact hides the secrets in a project's notification targets; the
	// targets are not shown when nil.
	Redact func(store.ProjectOptions) store.ProjectOptions
	// FollowerLag tells how far behind PyPI's journal the follower is,
	// when it runs in this process and has read it (nil: not shown).
	FollowerLag func() (time.Duration, bool)
	// SessionTTL is how long a sign-in lasts (DefaultSessionTTL if 0).
	SessionTTL time.Duration
	Logger     *slog.Logger
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// DefaultSessionTTL is how long a sign-in lasts by default.
const DefaultSessionTTL = 12 * time.Hour

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Handler serves the dashboard's pages.
type Handler struct {
	opt   Options
	mux   *http.ServeMux
	pages map[string]*template.Template
}

// New returns the dashboard for opt.
func New(opt Options) *Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Rules == nil {
		opt.Rules = analyze.AllRules()
	}
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultSessionTTL
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	h := &Handler{opt: opt, mux: http.NewServeMux(), pages: parsePages()}
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET /-/static/", http.StripPrefix("/-/static/", http.FileServerFS(static)))
	h.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "favicon.svg") // browsers ask for it whatever the page says
	})
	h.mux.HandleFunc("GET /signin", h.signinForm)
	h.mux.HandleFunc("POST /signin", h.signin)
	h.mux.HandleFunc("POST /signout", h.signout)
	h.mux.HandleFunc("GET /{$}", h.read(h.overviewPage))
	h.mux.HandleFunc("GET /feed", h.read(h.feedPage))
	h.mux.HandleFunc("GET /packages/{name}", h.read(h.packagePage))
	h.mux.HandleFunc("GET /projects", h.read(h.projectsPage))
	h.mux.HandleFunc("GET /projects/{name}", h.read(h.projectPage))
	h.mux.HandleFunc("GET /projects/{name}/sbom/{format}", h.read(h.projectSBOM))
	h.mux.HandleFunc("GET /alerts", h.read(h.alertsPage))
	h.mux.HandleFunc("GET /alerts/{id}", h.read(h.alertPage))
	h.mux.HandleFunc("POST /alerts/{id}/resend", h.admin(h.resend))
	h.mux.HandleFunc("GET /decisions", h.read(h.decisionsPage))
	h.mux.HandleFunc("GET /rules", h.read(h.rulesPage))
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.notFound(w, r, "no page at "+r.URL.Path)
	})
	return h
}

// ServeHTTP serves one request, with the security headers on every
// answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	h.mux.ServeHTTP(w, r)
}
