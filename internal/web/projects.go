package web

import (
	"errors"
	"net/http"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

func (h *Handler) projectsPage(w http.ResponseWriter, r *http.Request) {
	ps, err := h.opt.Store.Projects(r.Context())
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	for i := range ps {
		ps[i].Options = h.redact(ps[i].Options)
	}
	h.render(w, r, http.StatusOK, "projects", "Projects", ps)
}

// redact hides a project's secrets, or all of its targets without a way
// to hide the secrets.
func (h *Handler) redact(o store.ProjectOptions) store.ProjectOptions {
	if h.opt.Redact == nil {
		return store.ProjectOptions{Suspicious: o.Suspicious}
	}
	return h.opt.Redact(o)
}

// DependencyView is a watched project's dependency with what Safeguard
// knows of it: the verdicts on its files, known-malicious records, and
// the popular project its name imitates.
type DependencyView struct {
	store.Dependency
	Flagged  []store.Verdict // flagged files of the dependency
	Verdicts int             // files scanned
	// Known are the known-malicious records of the pinned version (of
	// any version when unpinned).
	Known []knownbad.Match
	// Imitates is the popular project the name imitates, and how.
	Imitates *typosquat.Match
}

// Risky reports a dependency with anything against it.
func (d DependencyView) Risky() bool {
	return len(d.Flagged) > 0 || len(d.Known) > 0 || d.Imitates != nil
}

type projectData struct {
	Project      *store.Project
	Dependencies []DependencyView
	Alerts       []store.Alert
}

func (h *Handler) projectPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, deps, err := h.opt.Store.Project(ctx, r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "no watched project "+r.PathValue("name"))
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	p.Options = h.redact(p.Options)
	d := projectData{Project: p}
	for _, dep := range deps {
		dv := DependencyView{Dependency: dep}
		vs, err := h.opt.Store.ProjectVerdicts(ctx, dep.Name, maxPackageFiles)
		if err != nil {
			h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
			return
		}
		dv.Verdicts = len(vs)
		if h.opt.Known != nil {
			if dv.Known, err = h.opt.Known.Lookup(ctx, dep.Name, dep.Version); err != nil {
				h.fail(w, r, http.StatusServiceUnavailable, "the known-malicious database is not answering", err)
				return
			}
		}
		if m, ok := typosquat.Check(dep.Name); ok {
			dv.Imitates = &m
		}
		for _, v := range vs {
			if v.Verdict == "malicious" || v.Verdict == "suspicious" {
				dv.Flagged = append(dv.Flagged, v)
			}
		}
		d.Dependencies = append(d.Dependencies, dv)
	}
	if d.Alerts, err = h.opt.Store.Alerts(ctx, store.AlertFilter{Project: p.Name}); err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	h.render(w, r, http.StatusOK, "project", p.Name, d)
}
