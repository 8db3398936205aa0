package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
	_ "modernc.org/sqlite"             // the database/sql driver "sqlite"
)

// ErrNotFound is returned when no row matches.
var ErrNotFound = errors.New("not found")

// Store is the verdict and decision store.
type Store struct {
	db       *sql.DB
	postgres bool
	river    *riverQueue // the job queue on PostgreSQL; nil: the jobs table
}

// IsPostgres reports a DSN that names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store at dsn: a postgres:// URL, or the path of an SQLite
// file (created if missing). It applies the migrations the store lacks.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{postgres: IsPostgres(dsn)}
	var err error
	if s.postgres {
		s.db, err = sql.Open("pgx", dsn)
	} else {
		// WAL lets readers go on while one writer commits; a busy timeout
		// makes concurrent writers wait instead of failing.
		s.db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err == nil {
			s.db.SetMaxOpenConns(4)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", redact(dsn), err)
	}
	if s.postgres {
		// Processes starting together on a new database: one migrates (the
		// store's tables and River's), the others wait and find it done.
		release, err := s.sessionLock(ctx, "migrate")
		if err != nil {
			s.db.Close()
			return nil, fmt.Errorf("open store: %w", err)
		}
		defer release()
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if s.postgres {
		if s.river, err = openRiver(ctx, s.db); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Backend names the backend: "sqlite" or "postgres".
func (s *Store) Backend() string {
	if s.postgres {
		return "postgres"
	}
	return "sqlite"
}

// q rewrites a query written with ? placeholders for the backend:
// PostgreSQL numbers them ($1, $2...).
func (s *Store) q(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// redact hides a password in a DSN for messages.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.Index(dsn[i+3:], "@"); at >= 0 {
			cred := dsn[i+3 : i+3+at]
			if user, _, ok := strings.Cut(cred, ":"); ok {
				return dsn[:i+3] + user + ":***" + dsn[i+3+at:]
			}
		}
	}
	return dsn
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
