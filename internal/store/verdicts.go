package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Verdict is what a scan of one artifact concluded.
type Verdict struct {
	SHA256   string          `json:"sha256"`
	Filename string          `json:"filename"`
	Project  string          `json:"project"`
	Version  string          `json:"version"`
	Verdict  string          `json:"verdict"` // malicious, suspicious, clean, error
	Score    int             `json:"score"`
	Findings json.RawMessage `json:"findings"` // the engine's findings, as JSON
	// Engine identifies the analysis that produced the verdict (Safeguard's
	// version and rule set), so a newer engine can rescan.
	Engine    string    `json:"engine"`
	ScannedAt time.Time `json:"scanned_at"`
}

// PutVerdict records a verdict, replacing an earlier one for the same
// bytes.
func (s *Store) PutVerdict(ctx context.Context, v Verdict) error { return putVerdict(ctx, s, s.db, v) }

// PutVerdict is Store.PutVerdict inside the transaction.
func (t *Tx) PutVerdict(ctx context.Context, v Verdict) error { return putVerdict(ctx, t.s, t.tx, v) }

func putVerdict(ctx context.Context, s *Store, q querier, v Verdict) error {
	if len(v.SHA256) != 64 {
		return fmt.Errorf("store: verdict without a SHA-256 (%q)", v.SHA256)
	}
	findings := string(v.Findings)
	if findings == "" {
		findings = "[]"
	}
	_, err := q.ExecContext(ctx, s.q(`INSERT INTO verdicts (sha256, filename, project, version, verdict, score, findings, engine, scanned_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO UPDATE SET filename = excluded.filename, project = excluded.project, version = excluded.version,
			verdict = excluded.verdict, score = excluded.score, findings = excluded.findings, engine = excluded.engine, scanned_at = excluded.scanned_at`),
		v.SHA256, v.Filename, v.Project, v.Version, v.Verdict, v.Score, findings, v.Engine, millis(v.ScannedAt))
	if err != nil {
		return fmt.Errorf("store: put verdict: %w", err)
	}
	return nil
}

// Verdict returns the verdict on the artifact with this SHA-256, or
// ErrNotFound.
func (s *Store) Verdict(ctx context.Context, sha256 string) (*Verdict, error) {
	var v Verdict
	var findings string
	var at int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT sha256, filename, project, version, verdict, score, findings, engine, scanned_at FROM verdicts WHERE sha256 = ?`), sha256).
		Scan(&v.SHA256, &v.Filename, &v.Project, &v.Version, &v.Verdict, &v.Score, &findings, &v.Engine, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: verdict: %w", err)
	}
	v.Findings, v.ScannedAt = json.RawMessage(findings), fromMillis(at)
	return &v, nil
}

// ProjectVerdicts returns the verdicts on a project's files, newest scan
// first: at most limit of them (all if limit is 0).
func (s *Store) ProjectVerdicts(ctx context.Context, project string, limit int) ([]Verdict, error) {
	query := `SELECT sha256, filename, project, version, verdict, score, findings, engine, scanned_at FROM verdicts WHERE project = ? ORDER BY scanned_at DESC, sha256`
	args := []any{project}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: project verdicts: %w", err)
	}
	defer rows.Close()
	var out []Verdict
	for rows.Next() {
		var v Verdict
		var findings string
		var at int64
		if err := rows.Scan(&v.SHA256, &v.Filename, &v.Project, &v.Version, &v.Verdict, &v.Score, &findings, &v.Engine, &at); err != nil {
			return nil, err
		}
		v.Findings, v.ScannedAt = json.RawMessage(findings), fromMillis(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
