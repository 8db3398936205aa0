package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// FeedFilter selects verdicts for the dashboard's feed; zero fields
// select all.
type FeedFilter struct {
	Verdict string    // malicious, suspicious, clean, error
	Name    string    // the project's name (normalised by the caller)
	Since   time.Time // scanned at or after
	Until   time.Time // scanned before
	// After continues a listing: the Next of the previous page.
	After string
	Limit int // newest first; 0 means 50, at most 500
}

// ErrBadPageKey is Feed's error for an After it did not write.
var ErrBadPageKey = errors.New("bad page key")

// FeedPage is one page of the feed: verdicts newest first, without their
// findings, and the After of the next page ("" on the last).
type FeedPage struct {
	Verdicts []Verdict `json:"verdicts"`
	Next     string    `json:"next,omitempty"`
}

// Feed lists verdicts newest first. Pages are keyed by (scanned_at,
// sha256), so a page is read from the index however deep it is.
func (s *Store) Feed(ctx context.Context, f FeedFilter) (*FeedPage, error) {
	query, args, limit, err := feedQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: feed: %w", err)
	}
	defer rows.Close()
	page := &FeedPage{Verdicts: []Verdict{}}
	for rows.Next() {
		var v Verdict
		var at int64
		if err := rows.Scan(&v.SHA256, &v.Filename, &v.Project, &v.Version, &v.Verdict, &v.Score, &v.Engine, &at); err != nil {
			return nil, err
		}
		v.ScannedAt, v.Findings = fromMillis(at), json.RawMessage("null")
		page.Verdicts = append(page.Verdicts, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(page.Verdicts) > limit {
		page.Verdicts = page.Verdicts[:limit]
		last := page.Verdicts[limit-1]
		page.Next = fmt.Sprintf("%d-%s", millis(last.ScannedAt), last.SHA256)
	}
	return page, nil
}

// feedQuery is Feed's query, its arguments and the page size.
func feedQuery(f FeedFilter) (string, []any, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	query := `SELECT sha256, filename, project, version, verdict, score, engine, scanned_at FROM verdicts WHERE 1 = 1`
	var args []any
	if f.Verdict != "" {
		query += ` AND verdict = ?`
		args = append(args, f.Verdict)
	}
	if f.Name != "" {
		query += ` AND project = ?`
		args = append(args, f.Name)
	}
	if !f.Since.IsZero() {
		query += ` AND scanned_at >= ?`
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		query += ` AND scanned_at < ?`
		args = append(args, millis(f.Until))
	}
	if f.After != "" {
		at, sha, ok := parseFeedKey(f.After)
		if !ok {
			return "", nil, 0, fmt.Errorf("store: feed: %w %q", ErrBadPageKey, f.After)
		}
		// Written so that scanned_at bounds an index range: with the
		// equality inside the OR, SQLite reads both halves and sorts.
		query += ` AND scanned_at <= ? AND (scanned_at < ? OR sha256 < ?)`
		args = append(args, at, at, sha)
	}
	query += ` ORDER BY scanned_at DESC, sha256 DESC LIMIT ?`
	args = append(args, limit+1)
	return query, args, limit, nil
}

func parseFeedKey(k string) (int64, string, bool) {
	at, sha, ok := strings.Cut(k, "-")
	if !ok || len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return 0, "", false
	}
	var n int64
	if _, err := fmt.Sscanf(at, "%d", &n); err != nil {
		return 0, "", false
	}
	return n, sha, true
}

// Verdicts are the verdicts a scan can reach.
var Verdicts = []string{"malicious", "suspicious", "clean", "error"}

// VerdictCounts counts verdicts scanned at or after since, by verdict
// (those with none are left out). Each verdict is counted from its own
// index range, so the cost follows the files since, not the table.
func (s *Store) VerdictCounts(ctx context.Context, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	for _, v := range Verdicts {
		var n int
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM verdicts WHERE verdict = ? AND scanned_at >= ?`), v, millis(since)).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: verdict counts: %w", err)
		}
		if n > 0 {
			out[v] = n
		}
	}
	return out, nil
}

// Hour is one hour of scanning: files scanned, and of them flagged
// (malicious or suspicious).
type Hour struct {
	Start   time.Time `json:"start"`
	Scanned int       `json:"scanned"`
	Flagged int       `json:"flagged"`
}

// Hours returns the n hours up to and including the one holding now,
// oldest first, hours without scans included. Each hour is counted from
// the index on its own: grouping a day's rows by an expression costs
// more than n range counts.
func (s *Store) Hours(ctx context.Context, now time.Time, n int) ([]Hour, error) {
	end := now.UTC().Truncate(time.Hour).Add(time.Hour)
	out := make([]Hour, n)
	for i := range out {
		out[i].Start = end.Add(time.Duration(i-n) * time.Hour)
		err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN verdict IN ('malicious', 'suspicious') THEN 1 ELSE 0 END), 0)
			FROM verdicts WHERE scanned_at >= ? AND scanned_at < ?`), millis(out[i].Start), millis(out[i].Start.Add(time.Hour))).Scan(&out[i].Scanned, &out[i].Flagged)
		if err != nil {
			return nil, fmt.Errorf("store: hours: %w", err)
		}
	}
	return out, nil
}

// Overview is what the dashboard's first page counts.
type Overview struct {
	Serial        int64     `json:"serial"`
	SerialUpdated time.Time `json:"serial_updated"` // when the follower last moved
	Blocks        int       `json:"blocks"`         // proxy blocks since
	Alerts        int       `json:"alerts"`         // alerts raised since
	// Undelivered counts alerts with a delivery not delivered (pending or
	// failed), whenever raised.
	Undelivered int `json:"undelivered"`
}

// Overview counts, for the overview page, what happened since.
func (s *Store) Overview(ctx context.Context, cursor string, since time.Time) (*Overview, error) {
	var o Overview
	var updated int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(serial), 0), COALESCE(MAX(updated_at), 0) FROM cursors WHERE name = ?`), cursor).Scan(&o.Serial, &updated)
	if err != nil {
		return nil, fmt.Errorf("store: overview cursor: %w", err)
	}
	if updated > 0 {
		o.SerialUpdated = fromMillis(updated)
	}
	for _, c := range []struct {
		dst   *int
		query string
		args  []any
	}{
		{&o.Blocks, `SELECT COUNT(*) FROM decisions WHERE action = 'block' AND at >= ?`, []any{millis(since)}},
		{&o.Alerts, `SELECT COUNT(*) FROM alerts WHERE created_at >= ?`, []any{millis(since)}},
		{&o.Undelivered, `SELECT COUNT(DISTINCT alert_id) FROM deliveries WHERE state <> ?`, []any{DeliveryDelivered}},
	} {
		if err := s.db.QueryRowContext(ctx, s.q(c.query), c.args...).Scan(c.dst); err != nil {
			return nil, fmt.Errorf("store: overview: %w", err)
		}
	}
	return &o, nil
}
