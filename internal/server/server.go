// Package server is the HTTP face of `safeguard serve`: one handler that
// routes /simple/ and /files/ to the scanning index, /v1/ to the OSV API,
// /api/v1/ to the JSON API over the store (watched projects, alerts and
// their deliveries, verdicts, the follower's state), and /-/health and
// /-/metrics for operators, and everything else to the dashboard
// (package web). Every API call needs a bearer token; a read token may
// look, an admin token may also change things. /api/v1/openapi.json
// documents the API.
//
// It serves; the work — following PyPI, scanning, sending — runs in
// package monitor.
package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/httpserve"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/web"
)

// Options configure the handler. Index and OSV may be nil (that part is
// not served).
type Options struct {
	Store *store.Store
	Known knownbad.Store
	// Index serves /simple/ and /files/ (the scanning index).
	Index http.Handler
	// OSV serves /v1/ (the OSV API over the known-malicious database).
	OSV http.Handler
	// Web is the dashboard: its pages at / and its JSON API under
	// /api/v1/ (not served when nil).
	Web *web.Handler
	// Metrics write the parts' Prometheus metrics, in order.
	Metrics []func(io.Writer)
	Logger  *slog.Logger
	// MaxBody caps a request body (DefaultMaxBody if 0).
	MaxBody int64
}

// DefaultMaxBody caps an API request: a project's dependency files.
const DefaultMaxBody = 16 << 20

// Handler is the server's http.Handler.
type Handler struct {
	opt   Options
	mux   *http.ServeMux
	local *Local
}

// New returns the handler for opt.
func New(opt Options) *Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	h := &Handler{opt: opt, mux: http.NewServeMux(), local: &Local{Store: opt.Store, Known: opt.Known}}
	h.mux.HandleFunc("GET /-/health", h.health)
	h.mux.HandleFunc("GET /-/metrics", h.metrics)
	if opt.Index != nil {
		h.mux.Handle("/simple/", opt.Index)
		h.mux.Handle("/files/", opt.Index)
	}
	if opt.OSV != nil {
		h.mux.Handle("/v1/", opt.OSV)
	}
	h.routes()
	if opt.Web != nil {
		for _, rt := range opt.Web.API() {
			h.mux.HandleFunc(rt.Pattern, h.auth(false, rt.Handler))
		}
		h.mux.Handle("/", opt.Web)
	}
	return h
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Nothing but the dashboard's pages (which set their own policy) may
	// run or load anything on this origin: the index's pages carry names
	// and links from upstream.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	if _, _, err := h.opt.Store.Cursor(ctx, "pypi"); err != nil {
		// The store's error names hosts and users: the log has it.
		h.opt.Logger.Error("health: store", "error", err)
		status, code = "store unavailable", http.StatusServiceUnavailable
	}
	httpserve.WriteJSON(w, code, map[string]string{"status": status, "store": h.opt.Store.Backend()})
}

func (h *Handler) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, m := range h.opt.Metrics {
		m(w)
	}
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
}

func fail(w http.ResponseWriter, code int, msg string) {
	httpserve.WriteJSON(w, code, apiError{msg})
}

// auth wraps an API handler: it needs a bearer token, an admin one when
// admin is set. The token never reaches a log.
func (h *Handler) auth(admin bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="safeguard"`)
			fail(w, http.StatusUnauthorized, "a token is needed: Authorization: Bearer <token> (safeguard token create)")
			return
		}
		role, err := h.opt.Store.TokenRole(r.Context(), strings.TrimSpace(tok))
		if errors.Is(err, store.ErrNotFound) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="safeguard", error="invalid_token"`)
			fail(w, http.StatusUnauthorized, "unknown or revoked token")
			return
		}
		if err != nil {
			h.opt.Logger.Error("token check", "error", err)
			fail(w, http.StatusServiceUnavailable, "the store is not answering")
			return
		}
		if admin && role != store.RoleAdmin {
			fail(w, http.StatusForbidden, "this needs an admin token; yours is "+role)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, h.opt.MaxBody)
		next(w, r)
	}
}
