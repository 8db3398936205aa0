package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Alert tells a watched project that one of its dependencies turned bad.
// Its ID is derived from what it is about (project, dependency, version,
// reason), so the same news found twice is one alert.
type Alert struct {
	ID         string          `json:"id"`
	Project    string          `json:"project"`
	Dependency string          `json:"dependency"`
	Version    string          `json:"version"`
	Kind       string          `json:"kind"` // malicious, suspicious, known-malicious, yanked, removed, quarantined, typosquat
	Body       json.RawMessage `json:"body"` // the message, as the monitor wrote it
	Created    time.Time       `json:"created"`
}

// Delivery is one alert's delivery to one notification target.
type Delivery struct {
	AlertID string `json:"alert_id"`
	// Target identifies the target within the project (its redacted form
	// and a hash of the whole spec); the spec itself is the project's.
	Target     string    `json:"target"`
	State      string    `json:"state"` // pending, delivered, failed
	Attempts   int       `json:"attempts"`
	NextAt     time.Time `json:"next_at"`
	LastResult string    `json:"last_result,omitempty"`
	Updated    time.Time `json:"updated"`
	// Resends counts the times it was sent again on request (Resend).
	Resends int `json:"resends,omitempty"`
	// Claim names the sender run that took it (ClaimDeliveries), and
	// LeasedUntil is when that claim runs out (RenewDelivery extends it).
	Claim       string    `json:"-"`
	LeasedUntil time.Time `json:"-"`
}

// ErrClaimLost is returned when an attempt is recorded for a delivery
// whose claim is no longer the sender's: its lease ran out and another
// sender took it, or it was re-sent meanwhile.
var ErrClaimLost = errors.New("store: the delivery's claim was lost")

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // given up: gone (410), refused for good, or out of retries
)

// Attempt is one try at a delivery.
type Attempt struct {
	N        int           `json:"attempt"`
	At       time.Time     `json:"at"`
	OK       bool          `json:"ok"`
	Status   string        `json:"status"` // HTTP status or SMTP reply
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// AddAlert records an alert and a pending delivery per target, in the
// transaction that found it. It reports false, and writes nothing, when
// the alert exists already.
func (t *Tx) AddAlert(ctx context.Context, a Alert, targets []string) (bool, error) {
	now := time.Now()
	if a.Created.IsZero() {
		a.Created = now
	}
	res, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO alerts (id, project, dependency, version, kind, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
		a.ID, a.Project, a.Dependency, a.Version, a.Kind, string(a.Body), millis(a.Created))
	if err != nil {
		return false, fmt.Errorf("store: add alert: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for _, target := range targets {
		if _, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO deliveries (alert_id, target, state, attempts, next_at, last_result, updated_at)
			VALUES (?, ?, ?, 0, ?, '', ?) ON CONFLICT DO NOTHING`), a.ID, target, DeliveryPending, millis(now), millis(now)); err != nil {
			return false, fmt.Errorf("store: add delivery: %w", err)
		}
	}
	return true, nil
}

// ClaimDeliveries takes up to limit pending deliveries that are due and
// puts them off by lease, so that no other sender takes them meanwhile; a
// sender that dies leaves them to be taken again when the lease ends.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]Delivery, error) {
	now := time.Now()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT alert_id, target, state, attempts, next_at, last_result, updated_at, claim, resends FROM deliveries
		WHERE state = ? AND next_at <= ? ORDER BY next_at, alert_id, target LIMIT ?`), DeliveryPending, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due deliveries: %w", err)
	}
	due, err := scanDeliveries(rows)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for _, d := range due {
		// Take it only if no one else did since it was read.
		token := claimToken()
		until := millis(now.Add(lease))
		res, err := s.db.ExecContext(ctx, s.q(`UPDATE deliveries SET next_at = ?, claim = ? WHERE alert_id = ? AND target = ? AND state = ? AND next_at = ? AND claim = ?`),
			until, token, d.AlertID, d.Target, DeliveryPending, millis(d.NextAt), d.Claim)
		if err != nil {
			return nil, fmt.Errorf("store: claim delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			d.Claim, d.LeasedUntil = token, fromMillis(until)
			out = append(out, d)
		}
	}
	return out, nil
}

// claimToken is a new claim's name.
func claimToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// RenewDelivery extends a claimed delivery's lease to lease from now. It
// reports false when the claim is no longer d's holder's: it ran out and
// another sender took the delivery, it was re-sent, or an attempt was
// recorded.
func (s *Store) RenewDelivery(ctx context.Context, d *Delivery, lease time.Duration) (bool, error) {
	until := millis(time.Now().Add(lease))
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE deliveries SET next_at = ? WHERE alert_id = ? AND target = ? AND state = ? AND claim = ?`),
		until, d.AlertID, d.Target, DeliveryPending, d.Claim)
	if err != nil {
		return false, fmt.Errorf("store: renew delivery: %w", err)
	}
	n, err := res.RowsAffected()
	if n == 1 {
		d.LeasedUntil = fromMillis(until)
	}
	return n == 1 && d.Claim != "", err
}

// RecordAttempt records one try at a delivery and what comes next: state
// delivered or failed, or pending again at next. For a claimed delivery
// (d.Claim set) it records nothing and returns ErrClaimLost when the claim
// is no longer d's: the sender that holds it now, or the re-send asked
// for meanwhile, decides what comes next.
func (s *Store) RecordAttempt(ctx context.Context, d Delivery, a Attempt, state string, next time.Time) error {
	result := a.Status
	if a.Error != "" {
		result += " " + a.Error
	}
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, s.q(`UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, last_result = ?, updated_at = ?, claim = ''
			WHERE alert_id = ? AND target = ? AND (? = '' OR claim = ?)`),
			state, a.N, millis(next), result, millis(time.Now()), d.AlertID, d.Target, d.Claim, d.Claim)
		if err != nil {
			return fmt.Errorf("store: update delivery: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrClaimLost
		}
		if _, err := tx.tx.ExecContext(ctx, s.q(`INSERT INTO delivery_attempts (alert_id, target, attempt, at, ok, status, error, duration_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			d.AlertID, d.Target, a.N, millis(a.At), boolInt(a.OK), a.Status, a.Error, a.Duration.Milliseconds()); err != nil {
			return fmt.Errorf("store: record attempt: %w", err)
		}
		return nil
	})
}

// AlertFilter selects alerts; zero fields select all.
type AlertFilter struct {
	Project string
	Limit   int // newest first; 0 means 100
}

// Alerts lists alerts, newest first.
func (s *Store) Alerts(ctx context.Context, f AlertFilter) ([]Alert, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q, args := `SELECT id, project, dependency, version, kind, body, created_at FROM alerts`, []any{}
	if f.Project != "" {
		q += ` WHERE project = ?`
		args = append(args, f.Project)
	}
	q += ` ORDER BY created_at DESC, id LIMIT ?`
	rows, err := s.db.QueryContext(ctx, s.q(q), append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		a, err := scanAlert(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// Alert returns one alert with its deliveries and their attempts, or
// ErrNotFound.
func (s *Store) Alert(ctx context.Context, id string) (*Alert, []Delivery, map[string][]Attempt, error) {
	a, err := scanAlert(s.db.QueryRowContext(ctx, s.q(`SELECT id, project, dependency, version, kind, body, created_at FROM alerts WHERE id = ?`), id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: alert %s: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT alert_id, target, state, attempts, next_at, last_result, updated_at, claim, resends FROM deliveries WHERE alert_id = ? ORDER BY target`), id)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: deliveries of %s: %w", id, err)
	}
	ds, err := scanDeliveries(rows)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT target, attempt, at, ok, status, error, duration_ms FROM delivery_attempts WHERE alert_id = ? ORDER BY target, attempt`), id)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: attempts of %s: %w", id, err)
	}
	defer rows.Close()
	attempts := map[string][]Attempt{}
	for rows.Next() {
		var target string
		var a Attempt
		var at, ms int64
		var ok int
		if err := rows.Scan(&target, &a.N, &at, &ok, &a.Status, &a.Error, &ms); err != nil {
			return nil, nil, nil, err
		}
		a.At, a.OK, a.Duration = fromMillis(at), ok != 0, time.Duration(ms)*time.Millisecond
		attempts[target] = append(attempts[target], a)
	}
	return a, ds, attempts, rows.Err()
}

func scanAlert(scan func(...any) error) (*Alert, error) {
	var a Alert
	var body string
	var created int64
	if err := scan(&a.ID, &a.Project, &a.Dependency, &a.Version, &a.Kind, &body, &created); err != nil {
		return nil, err
	}
	a.Body, a.Created = json.RawMessage(body), fromMillis(created)
	return &a, nil
}

func scanDeliveries(rows *sql.Rows) ([]Delivery, error) {
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var next, updated int64
		if err := rows.Scan(&d.AlertID, &d.Target, &d.State, &d.Attempts, &next, &d.LastResult, &updated, &d.Claim, &d.Resends); err != nil {
			return nil, err
		}
		d.NextAt, d.Updated = fromMillis(next), fromMillis(updated)
		out = append(out, d)
	}
	return out, rows.Err()
}
