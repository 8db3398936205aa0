package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// migrations are applied in order, each once, in a transaction with the
// record that it was. The SQL is the subset SQLite and PostgreSQL share.
var migrations = []string{
	// 1: verdicts and decisions.
	`CREATE TABLE verdicts (
		sha256      TEXT PRIMARY KEY,
		filename    TEXT NOT NULL,
		project     TEXT NOT NULL,
		version     TEXT NOT NULL,
		verdict     TEXT NOT NULL,
		score       INTEGER NOT NULL,
		findings    TEXT NOT NULL,
		engine      TEXT NOT NULL,
		scanned_at  BIGINT NOT NULL
	);
	CREATE INDEX verdicts_project ON verdicts (project, version);
	CREATE TABLE decisions (
		id          TEXT NOT NULL,
		at          BIGINT NOT NULL,
		project     TEXT NOT NULL,
		filename    TEXT NOT NULL,
		sha256      TEXT NOT NULL,
		action      TEXT NOT NULL,
		rule        TEXT NOT NULL,
		reason      TEXT NOT NULL,
		client      TEXT NOT NULL,
		PRIMARY KEY (id)
	);
	CREATE INDEX decisions_at ON decisions (at);
	CREATE INDEX decisions_project ON decisions (project)`,
}

// migrate applies the migrations the database lacks.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	for i, m := range migrations {
		version := i + 1
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if s.postgres {
			// Two processes starting together: one migrates, the other
			// waits and then finds the work done. (SQLite's immediate
			// transactions already serialise.)
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7312001)`); err != nil {
				tx.Rollback()
				return fmt.Errorf("store: migration lock: %w", err)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", version, err)
		}
		if n > 0 {
			tx.Rollback()
			continue
		}
		for _, stmt := range splitStatements(m) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("store: migration %d: %w", version, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, millis(time.Now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %d: %w", version, err)
		}
	}
	return nil
}

// splitStatements splits a migration at semicolons (none of ours has one
// inside a literal).
func splitStatements(m string) []string {
	var out []string
	for _, s := range strings.Split(m, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
