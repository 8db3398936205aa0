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

	// 2: the monitor: the journal cursor, the job queue, watched projects
	// and their dependencies, alerts and their deliveries.
	`CREATE TABLE cursors (
		name        TEXT PRIMARY KEY,
		serial      BIGINT NOT NULL,
		updated_at  BIGINT NOT NULL
	);
	CREATE TABLE jobs (
		id           TEXT PRIMARY KEY,
		kind         TEXT NOT NULL,
		payload      TEXT NOT NULL,
		state        TEXT NOT NULL,
		attempts     INTEGER NOT NULL,
		run_at       BIGINT NOT NULL,
		locked_until BIGINT NOT NULL,
		locked_by    TEXT NOT NULL,
		last_error   TEXT NOT NULL,
		created_at   BIGINT NOT NULL,
		done_at      BIGINT NOT NULL
	);
	CREATE INDEX jobs_ready ON jobs (state, run_at);
	CREATE TABLE projects (
		name        TEXT PRIMARY KEY,
		source      TEXT NOT NULL,
		options     TEXT NOT NULL,
		created_at  BIGINT NOT NULL,
		updated_at  BIGINT NOT NULL
	);
	CREATE TABLE project_deps (
		project     TEXT NOT NULL,
		name        TEXT NOT NULL,
		version     TEXT NOT NULL,
		spec        TEXT NOT NULL,
		direct      INTEGER NOT NULL,
		scope       TEXT NOT NULL,
		file        TEXT NOT NULL,
		line        INTEGER NOT NULL,
		PRIMARY KEY (project, name, file, line, scope)
	);
	CREATE INDEX project_deps_name ON project_deps (name);
	CREATE TABLE alerts (
		id          TEXT PRIMARY KEY,
		project     TEXT NOT NULL,
		dependency  TEXT NOT NULL,
		version     TEXT NOT NULL,
		kind        TEXT NOT NULL,
		body        TEXT NOT NULL,
		created_at  BIGINT NOT NULL
	);
	CREATE INDEX alerts_project ON alerts (project, created_at);
	CREATE TABLE deliveries (
		alert_id    TEXT NOT NULL,
		target      TEXT NOT NULL,
		state       TEXT NOT NULL,
		attempts    INTEGER NOT NULL,
		next_at     BIGINT NOT NULL,
		last_result TEXT NOT NULL,
		updated_at  BIGINT NOT NULL,
		PRIMARY KEY (alert_id, target)
	);
	CREATE INDEX deliveries_due ON deliveries (state, next_at);
	CREATE TABLE delivery_attempts (
		alert_id    TEXT NOT NULL,
		target      TEXT NOT NULL,
		attempt     INTEGER NOT NULL,
		at          BIGINT NOT NULL,
		ok          INTEGER NOT NULL,
		status      TEXT NOT NULL,
		error       TEXT NOT NULL,
		duration_ms BIGINT NOT NULL,
		PRIMARY KEY (alert_id, target, attempt)
	)`,

	// 3: API tokens, kept as hashes.
	`CREATE TABLE tokens (
		hash        TEXT PRIMARY KEY,
		name        TEXT NOT NULL,
		role        TEXT NOT NULL,
		created_at  BIGINT NOT NULL
	)`,

	// 4: the dashboard: sign-in sessions (kept as hashes, tied to the
	// token that opened them), the index its feed reads newest first (and
	// counts verdicts by time from, without reading the rows), and the one
	// it filters by verdict with.
	`CREATE TABLE web_sessions (
		hash        TEXT PRIMARY KEY,
		token_hash  TEXT NOT NULL,
		csrf        TEXT NOT NULL,
		created_at  BIGINT NOT NULL,
		expires_at  BIGINT NOT NULL
	);
	CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
	CREATE INDEX verdicts_scanned ON verdicts (scanned_at, sha256, verdict);
	CREATE INDEX verdicts_verdict ON verdicts (verdict, scanned_at, sha256)`,

	// 5: a delivery's claim (a token naming the sender run that holds it,
	// which renewals and the attempt's record must match) and its
	// re-sends (each re-send is a new message to receivers).
	`ALTER TABLE deliveries ADD COLUMN claim TEXT NOT NULL DEFAULT '';
	ALTER TABLE deliveries ADD COLUMN resends INTEGER NOT NULL DEFAULT 0`,
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
