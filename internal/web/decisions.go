package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// decisionFilter reads the decisions' query: action (allow, block),
// project and limit.
func decisionFilter(q url.Values) (store.DecisionFilter, error) {
	f := store.DecisionFilter{Action: q.Get("action"), Limit: 200}
	if f.Action != "" && f.Action != "allow" && f.Action != "block" {
		return f, fmt.Errorf("action %q: want allow or block", f.Action)
	}
	if p := q.Get("project"); p != "" {
		f.Project = pkgname.Normalize(p)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return f, fmt.Errorf("limit %q: want a number from 1 to 1000", l)
		}
		f.Limit = n
	}
	return f, nil
}

type decisionsData struct {
	Decisions []store.Decision
	Filter    store.DecisionFilter
	Problem   string
}

func (h *Handler) decisionsPage(w http.ResponseWriter, r *http.Request) {
	f, err := decisionFilter(r.URL.Query())
	if err != nil {
		h.render(w, r, http.StatusBadRequest, "decisions", "Proxy decisions", decisionsData{Filter: f, Problem: err.Error()})
		return
	}
	ds, err := h.opt.Store.Decisions(r.Context(), f)
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	if !viewerOf(r).SignedIn() {
		hideClients(ds)
	}
	h.render(w, r, http.StatusOK, "decisions", "Proxy decisions", decisionsData{Decisions: ds, Filter: f})
}

// hideClients blanks the clients' addresses, which --public-read does not
// show to readers without a session.
func hideClients(ds []store.Decision) {
	for i := range ds {
		ds[i].Client = ""
	}
}

func (h *Handler) rulesPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "rules", "Rules", h.opt.Rules)
}
