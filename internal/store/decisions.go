package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Decision is one allow or block the proxy made: the audit log.
type Decision struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	Project  string    `json:"project"`
	Filename string    `json:"filename"`
	SHA256   string    `json:"sha256,omitempty"`
	Action   string    `json:"action"` // "allow" or "block"
	Rule     string    `json:"rule"`   // the policy rule that decided
	Reason   string    `json:"reason"` // why, with the finding and file:line
	Client   string    `json:"client,omitempty"`
}

// AddDecision appends a decision to the log; ID and At are set when empty.
func (s *Store) AddDecision(ctx context.Context, d Decision) (Decision, error) {
	if d.ID == "" {
		id, err := uuid.NewV7() // time-ordered
		if err != nil {
			return d, err
		}
		d.ID = id.String()
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO decisions (id, at, project, filename, sha256, action, rule, reason, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		d.ID, millis(d.At), d.Project, d.Filename, d.SHA256, d.Action, d.Rule, d.Reason, d.Client)
	if err != nil {
		return d, fmt.Errorf("store: add decision: %w", err)
	}
	return d, nil
}

// DecisionFilter narrows Decisions.
type DecisionFilter struct {
	Project string // "" for all
	Action  string // "allow", "block" or "" for both
	Limit   int    // most recent first; 0 means 100
}

// Decisions returns recent decisions, newest first.
func (s *Store) Decisions(ctx context.Context, f DecisionFilter) ([]Decision, error) {
	query := `SELECT id, at, project, filename, sha256, action, rule, reason, client FROM decisions WHERE 1 = 1`
	var args []any
	if f.Project != "" {
		query += ` AND project = ?`
		args = append(args, f.Project)
	}
	if f.Action != "" {
		query += ` AND action = ?`
		args = append(args, f.Action)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	query += ` ORDER BY at DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var at int64
		if err := rows.Scan(&d.ID, &at, &d.Project, &d.Filename, &d.SHA256, &d.Action, &d.Rule, &d.Reason, &d.Client); err != nil {
			return nil, err
		}
		d.At = fromMillis(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddDecisions appends decisions in one transaction (IDs and times set
// where empty).
func (s *Store) AddDecisions(ctx context.Context, ds []Decision) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: add decisions: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO decisions (id, at, project, filename, sha256, action, rule, reason, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("store: add decisions: %w", err)
	}
	defer stmt.Close()
	for _, d := range ds {
		if d.ID == "" {
			id, err := uuid.NewV7()
			if err != nil {
				tx.Rollback()
				return err
			}
			d.ID = id.String()
		}
		if d.At.IsZero() {
			d.At = time.Now()
		}
		if _, err := stmt.ExecContext(ctx, d.ID, millis(d.At), d.Project, d.Filename, d.SHA256, d.Action, d.Rule, d.Reason, d.Client); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: add decisions: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: add decisions: %w", err)
	}
	return nil
}
