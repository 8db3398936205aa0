package web

import (
	"context"
	"net/http"
	"time"

	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// OverviewView is the overview page and GET /api/v1/overview.
type OverviewView struct {
	store.Overview
	// Today counts today's verdicts (since 00:00 UTC) by verdict.
	Today map[string]int `json:"today"`
	// FilesPerMinute is the scan rate over the last 10 minutes.
	FilesPerMinute float64 `json:"files_per_minute"`
	// Queue counts the jobs waiting (pending or running), by kind.
	Queue map[string]int `json:"queue"`
	// Hours are the last 24 hours of scans, oldest first.
	Hours []store.Hour `json:"hours"`
	// LagSeconds is how far behind PyPI's journal the follower is, when
	// it runs in the serving process.
	LagSeconds *float64 `json:"lag_seconds,omitempty"`
}

func (h *Handler) overview(ctx context.Context) (*OverviewView, error) {
	now := h.opt.Now().UTC()
	day := now.Truncate(24 * time.Hour)
	o, err := h.opt.Store.Overview(ctx, monitor.CursorName, day)
	if err != nil {
		return nil, err
	}
	v := &OverviewView{Overview: *o}
	if v.Today, err = h.opt.Store.VerdictCounts(ctx, day); err != nil {
		return nil, err
	}
	recent, err := h.opt.Store.VerdictCounts(ctx, now.Add(-10*time.Minute))
	if err != nil {
		return nil, err
	}
	for _, n := range recent {
		v.FilesPerMinute += float64(n) / 10
	}
	jobs, err := h.opt.Store.JobCounts(ctx)
	if err != nil {
		return nil, err
	}
	v.Queue = map[string]int{}
	for k, n := range jobs {
		if k[1] != store.JobDone && k[1] != store.JobFailed {
			v.Queue[k[0]] += n
		}
	}
	if v.Hours, err = h.opt.Store.Hours(ctx, now, 24); err != nil {
		return nil, err
	}
	if h.opt.FollowerLag != nil {
		if lag, ok := h.opt.FollowerLag(); ok {
			secs := lag.Seconds()
			v.LagSeconds = &secs
		}
	}
	return v, nil
}

type overviewData struct {
	*OverviewView
	Chart chart
	Lag   string
}

func (h *Handler) overviewPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.overview(r.Context())
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	d := overviewData{OverviewView: v, Chart: newChart(v.Hours), Lag: "the follower has not started"}
	if !v.SerialUpdated.IsZero() {
		d.Lag = "moved " + h.opt.Now().Sub(v.SerialUpdated).Round(time.Second).String() + " ago"
	}
	if v.LagSeconds != nil {
		d.Lag = (time.Duration(*v.LagSeconds) * time.Second).String() + " behind PyPI; " + d.Lag
	}
	h.render(w, r, http.StatusOK, "overview", "Overview", d)
}
