package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/httpserve"
	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Limits on a registration.
const (
	maxFiles       = 32
	maxProjectName = 200
)

func (h *Handler) routes() {
	h.mux.HandleFunc("GET /api/v1/projects", h.auth(false, h.listProjects))
	h.mux.HandleFunc("POST /api/v1/projects", h.auth(true, h.addProject))
	h.mux.HandleFunc("GET /api/v1/projects/{name}", h.auth(false, h.getProject))
	h.mux.HandleFunc("DELETE /api/v1/projects/{name}", h.auth(true, h.removeProject))
	h.mux.HandleFunc("GET /api/v1/alerts", h.auth(false, h.listAlerts))
	h.mux.HandleFunc("GET /api/v1/alerts/{id}", h.auth(false, h.getAlert))
	h.mux.HandleFunc("GET /api/v1/status", h.auth(false, h.status))
	h.mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
	h.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
}

// Registration is the body of POST /api/v1/projects: the project's name,
// its dependency files by name and content, and how to tell it.
type Registration struct {
	Name  string            `json:"name"`
	Files map[string]string `json:"files"`
	// Notify are notification targets: webhook:URL, slack:URL, smtp://...
	Notify []string `json:"notify,omitempty"`
	// WebhookSecret signs webhooks; one is made when a webhook is asked
	// for without one (and returned once).
	WebhookSecret string `json:"webhook_secret,omitempty"`
	Suspicious    bool   `json:"suspicious,omitempty"`
}

// Registered is the answer to a registration.
type Registered struct {
	Project      store.Project      `json:"project"`
	Dependencies []store.Dependency `json:"dependencies"`
	Problems     []string           `json:"problems,omitempty"`
	// Alerts are raised at once, for what is known already.
	Alerts []store.Alert `json:"alerts"`
	// WebhookSecret is the secret made for the project's webhooks, shown
	// this once.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// ProjectOptions checks a registration's name and targets and returns the
// options to store; a webhook without a secret gets a new one.
func ProjectOptions(name string, notifySpecs []string, secret string, suspicious bool) (store.ProjectOptions, bool, error) {
	if name == "" || len(name) > maxProjectName || strings.ContainsAny(name, "\x00\r\n/") {
		return store.ProjectOptions{}, false, fmt.Errorf("project name %q: want a name of at most %d characters, no slashes", name, maxProjectName)
	}
	opts := store.ProjectOptions{Suspicious: suspicious, WebhookSecret: secret}
	made := false
	for _, spec := range notifySpecs {
		t, err := notify.Parse(spec)
		if err != nil {
			return opts, false, err
		}
		if t.Scheme() == "webhook" && opts.WebhookSecret == "" {
			opts.WebhookSecret, made = notify.GenerateSecret(), true
		}
		opts.Notify = append(opts.Notify, t.Spec())
	}
	if opts.WebhookSecret != "" {
		if _, err := notify.ParseSecret(opts.WebhookSecret); err != nil {
			return opts, false, err
		}
	}
	return opts, made, nil
}

func (h *Handler) addProject(w http.ResponseWriter, r *http.Request) {
	var reg Registration
	if err := json.NewDecoder(r.Body).Decode(&reg); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", tooBig.Limit))
			return
		}
		fail(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	out, err := h.local.Register(r.Context(), reg, "")
	if errors.Is(err, ErrBadRequest) {
		fail(w, http.StatusBadRequest, hideTemp(err.Error()))
		return
	}
	if err != nil {
		h.opt.Logger.Error("register project", "project", reg.Name, "error", err)
		fail(w, http.StatusInternalServerError, "could not register the project")
		return
	}
	h.opt.Logger.Info("project registered", "project", reg.Name, "dependencies", len(out.Dependencies), "alerts", len(out.Alerts))
	httpserve.WriteJSON(w, http.StatusCreated, out)
}

// hideTemp takes the server's temporary directory out of a message.
func hideTemp(msg string) string {
	return regexpTemp.ReplaceAllString(msg, "")
}

var regexpTemp = regexp.MustCompile(`/[^\s:]*safeguard-register-[0-9]+/`)

// Redacted hides the secrets in a project's options for display.
func Redacted(o store.ProjectOptions) store.ProjectOptions {
	out := store.ProjectOptions{Suspicious: o.Suspicious}
	for _, spec := range o.Notify {
		if t, err := notify.Parse(spec); err == nil {
			out.Notify = append(out.Notify, t.String())
		} else {
			out.Notify = append(out.Notify, "(unreadable target)")
		}
	}
	if o.WebhookSecret != "" {
		out.WebhookSecret = "whsec_***"
	}
	return out
}

func (h *Handler) listProjects(w http.ResponseWriter, r *http.Request) {
	ps, err := h.local.Projects(r.Context())
	if err != nil {
		fail(w, http.StatusInternalServerError, "projects")
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, ps)
}

// ProjectView is GET /api/v1/projects/{name}.
type ProjectView struct {
	Project      store.Project      `json:"project"`
	Dependencies []store.Dependency `json:"dependencies"`
	Alerts       []store.Alert      `json:"alerts"`
}

func (h *Handler) getProject(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	v, err := h.local.Project(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "no watched project "+strconv.Quote(name))
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "project")
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, v)
}

func (h *Handler) removeProject(w http.ResponseWriter, r *http.Request) {
	err := h.local.RemoveProject(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "no watched project "+strconv.Quote(r.PathValue("name")))
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "remove project")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) listAlerts(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	alerts, err := h.local.Alerts(r.Context(), store.AlertFilter{Project: r.URL.Query().Get("project"), Limit: min(max(limit, 0), 1000)})
	if err != nil {
		fail(w, http.StatusInternalServerError, "alerts")
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, alerts)
}

// AlertView is GET /api/v1/alerts/{id}: the alert, its deliveries and
// every attempt, by target.
type AlertView struct {
	Alert      store.Alert                `json:"alert"`
	Deliveries []store.Delivery           `json:"deliveries"`
	Attempts   map[string][]store.Attempt `json:"attempts"`
}

func (h *Handler) getAlert(w http.ResponseWriter, r *http.Request) {
	v, err := h.local.Alert(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "no alert "+strconv.Quote(r.PathValue("id")))
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "alert")
		return
	}
	httpserve.WriteJSON(w, http.StatusOK, v)
}

// Status is GET /api/v1/status: where the follower stands and the queue.
type Status struct {
	Serial int64          `json:"serial"`
	Jobs   map[string]int `json:"jobs"` // "kind/state" → count
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	serial, _, err := h.opt.Store.Cursor(r.Context(), monitor.CursorName)
	if err != nil {
		fail(w, http.StatusInternalServerError, "cursor")
		return
	}
	counts, err := h.opt.Store.JobCounts(r.Context())
	if err != nil {
		fail(w, http.StatusInternalServerError, "jobs")
		return
	}
	st := Status{Serial: serial, Jobs: map[string]int{}}
	for k, n := range counts {
		st.Jobs[k[0]+"/"+k[1]] = n
	}
	httpserve.WriteJSON(w, http.StatusOK, st)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
