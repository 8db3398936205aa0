package store

import (
	"context"
	"database/sql"
	"fmt"
)

// querier is what *sql.DB and *sql.Tx share: the store's methods run on
// either, so that work and the records it implies commit together.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction on the store: what is written through it commits
// together or not at all.
type Tx struct {
	s  *Store
	tx *sql.Tx
}

// InTx runs fn in a transaction, committing when it returns nil and
// rolling back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(&Tx{s: s, tx: t}); err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
