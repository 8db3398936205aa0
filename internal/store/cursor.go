package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Cursor returns the serial a named cursor stands at (the PyPI journal's
// is "pypi"), and false when it was never set.
func (s *Store) Cursor(ctx context.Context, name string) (int64, bool, error) {
	return cursor(ctx, s, s.db, name)
}

// Cursor is Store.Cursor inside the transaction.
func (t *Tx) Cursor(ctx context.Context, name string) (int64, bool, error) {
	return cursor(ctx, t.s, t.tx, name)
}

func cursor(ctx context.Context, s *Store, q querier, name string) (int64, bool, error) {
	var serial int64
	err := q.QueryRowContext(ctx, s.q(`SELECT serial FROM cursors WHERE name = ?`), name).Scan(&serial)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: cursor %s: %w", name, err)
	}
	return serial, true, nil
}

// SetCursor moves a cursor forward to serial, in the transaction that
// records the work up to it; it never moves back, so that a process that
// lost the lead a moment ago cannot undo its successor's progress.
func (t *Tx) SetCursor(ctx context.Context, name string, serial int64) error {
	_, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO cursors (name, serial, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET serial = CASE WHEN excluded.serial > cursors.serial THEN excluded.serial ELSE cursors.serial END,
		updated_at = excluded.updated_at`), name, serial, millis(time.Now()))
	if err != nil {
		return fmt.Errorf("store: set cursor %s: %w", name, err)
	}
	return nil
}
