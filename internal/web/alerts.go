package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/safeguard-dev/safeguard/internal/store"
)

func (h *Handler) alertsPage(w http.ResponseWriter, r *http.Request) {
	as, err := h.opt.Store.Alerts(r.Context(), store.AlertFilter{Project: r.URL.Query().Get("project"), Limit: 200})
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	h.render(w, r, http.StatusOK, "alerts", "Alerts", as)
}

// DeliveryView is one delivery of an alert with its attempts.
type DeliveryView struct {
	store.Delivery
	Tries []store.Attempt
}

type alertData struct {
	Alert      *store.Alert
	Deliveries []DeliveryView
	Resent     string
	Body       string // the alert's message, indented
}

func (h *Handler) alertPage(w http.ResponseWriter, r *http.Request) {
	a, ds, attempts, err := h.opt.Store.Alert(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "no alert "+r.PathValue("id"))
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	d := alertData{Alert: a, Body: string(a.Body)}
	if n, err := strconv.Atoi(r.URL.Query().Get("resent")); err == nil && n > 0 {
		d.Resent = strconv.Itoa(n) // only a count: the notice cannot carry text from a link
	}
	var b bytes.Buffer
	if json.Indent(&b, a.Body, "", "  ") == nil {
		d.Body = b.String()
	}
	for _, del := range ds {
		d.Deliveries = append(d.Deliveries, DeliveryView{del, attempts[del.Target]})
	}
	h.render(w, r, http.StatusOK, "alert", "Alert "+a.ID, d)
}

// resend makes an alert's deliveries due again (admins only, with the
// session's CSRF token).
func (h *Handler) resend(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := h.opt.Store.Resend(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "no alert "+id)
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	h.opt.Logger.Info("alert re-sent from the dashboard", "alert", id, "deliveries", n)
	http.Redirect(w, r, "/alerts/"+url.PathEscape(id)+"?resent="+fmt.Sprint(n), http.StatusSeeOther)
}
