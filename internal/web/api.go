package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/httpserve"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Route is one JSON API endpoint: a http.ServeMux pattern and its
// handler. Package server mounts them behind its bearer tokens.
type Route struct {
	Pattern string
	Handler http.HandlerFunc
}

// API returns the JSON API for what the pages show, all read-only:
// /api/v1/overview, /api/v1/feed, /api/v1/packages/{name},
// /api/v1/decisions and /api/v1/rules.
func (h *Handler) API() []Route {
	return []Route{
		{"GET /api/v1/overview", h.apiOverview},
		{"GET /api/v1/feed", h.apiFeed},
		{"GET /api/v1/packages/{name}", h.apiPackage},
		{"GET /api/v1/decisions", h.apiDecisions},
		{"GET /api/v1/rules", h.apiRules},
	}
}

// apiError is the body of every API error, as in package server.
type apiError struct {
	Error string `json:"error"`
}

func (h *Handler) apiFail(w http.ResponseWriter, code int, msg string, err error) {
	if err != nil {
		h.opt.Logger.Error("api", "error", err)
	}
	httpserve.WriteJSON(w, code, apiError{msg})
}

func (h *Handler) apiOverview(w http.ResponseWriter, r *http.Request) {
	v, err := h.overview(r.Context())
	if err != nil {
		h.apiFail(w, http.StatusInternalServerError, "overview", err)
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, v)
}

func (h *Handler) apiFeed(w http.ResponseWriter, r *http.Request) {
	f, err := feedFilter(r.URL.Query())
	if err != nil {
		h.apiFail(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	page, err := h.opt.Store.Feed(r.Context(), f)
	if errors.Is(err, store.ErrBadPageKey) {
		h.apiFail(w, http.StatusBadRequest, "after: not a page key this feed gave (start again without it)", nil)
		return
	}
	if err != nil {
		h.apiFail(w, http.StatusInternalServerError, "feed", err)
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, page)
}

func (h *Handler) apiPackage(w http.ResponseWriter, r *http.Request) {
	p, err := h.pkg(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		h.apiFail(w, http.StatusNotFound, "no scanned file of "+strconv.Quote(r.PathValue("name")), nil)
		return
	}
	if err != nil {
		h.apiFail(w, http.StatusInternalServerError, "package", err)
		return
	}
	for i := range p.Versions {
		for j := range p.Versions[i].Files {
			if p.Versions[i].Files[j].Findings == nil {
				p.Versions[i].Files[j].Findings = []analyze.Finding{}
			}
		}
	}
	httpserve.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) apiDecisions(w http.ResponseWriter, r *http.Request) {
	f, err := decisionFilter(r.URL.Query())
	if err != nil {
		h.apiFail(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	ds, err := h.opt.Store.Decisions(r.Context(), f)
	if err != nil {
		h.apiFail(w, http.StatusInternalServerError, "decisions", err)
		return
	}
	if ds == nil {
		ds = []store.Decision{}
	}
	httpserve.WriteJSON(w, http.StatusOK, ds)
}

func (h *Handler) apiRules(w http.ResponseWriter, r *http.Request) {
	httpserve.WriteJSON(w, http.StatusOK, h.opt.Rules)
}
