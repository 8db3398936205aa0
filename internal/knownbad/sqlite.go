package knownbad

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", pure Go
)

// The local database: a SQLite file in the data directory that `db update`
// writes and that, once there, answers instead of the embedded snapshot.
//
// An update never changes the file in place: it builds a complete new
// database beside it and renames it over the old one, so a failed or
// partial download leaves the previous database in use, and readers see
// either the old or the new one.

// DBFile is the local database's name in the data directory.
const DBFile = "known-malicious.db"

const schema = `
CREATE TABLE records (id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn INTEGER NOT NULL, source TEXT NOT NULL, json BLOB NOT NULL);
CREATE TABLE names (name TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX names_name ON names(name);
CREATE TABLE lists (name TEXT NOT NULL, spelled TEXT NOT NULL, versions TEXT, source TEXT NOT NULL);
CREATE INDEX lists_name ON lists(name);
CREATE TABLE hashes (sha256 TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX hashes_sha256 ON hashes(sha256);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`

// SQLite is the local database, opened read-only.
type SQLite struct {
	db   *sql.DB
	path string
}

var _ Store = (*SQLite)(nil)

// OpenSQLite opens the local database at path for lookups.
func OpenSQLite(path string) (*SQLite, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM meta`).Scan(&n); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: not a known-malicious database: %w", path, err)
	}
	return &SQLite{db: db, path: path}, nil
}

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// WriteSQLite writes db as a new local database at path, atomically: the
// database is built in a temporary file in the same directory and renamed
// over path only when it is complete.
func WriteSQLite(ctx context.Context, path string, db *DB, meta map[string]string) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".known-malicious-*.db")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpPath)
		}
	}()
	conn, err := sql.Open("sqlite", "file:"+tmpPath+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insRec, err := tx.PrepareContext(ctx, `INSERT INTO records VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	insName, _ := tx.PrepareContext(ctx, `INSERT INTO names VALUES (?, ?)`)
	insHash, _ := tx.PrepareContext(ctx, `INSERT INTO hashes VALUES (?, ?)`)
	insList, _ := tx.PrepareContext(ctx, `INSERT INTO lists VALUES (?, ?, ?, ?)`)
	for id, r := range db.records {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		w := 0
		if r.IsWithdrawn() {
			w = 1
		}
		if _, err := insRec.ExecContext(ctx, id, r.Modified.UTC().Format(time.RFC3339Nano), w, db.recordSource[id], b); err != nil {
			return err
		}
		if w == 1 {
			continue
		}
		seen := map[string]bool{}
		for _, a := range r.Affected {
			n := pkgname.Normalize(a.Package.Name)
			if a.Package.Ecosystem == "PyPI" && !seen[n] {
				seen[n] = true
				if _, err := insName.ExecContext(ctx, n, id); err != nil {
					return err
				}
			}
		}
		for _, h := range r.hashes() {
			if _, err := insHash.ExecContext(ctx, h, id); err != nil {
				return err
			}
		}
	}
	for key, refs := range db.byName {
		for _, x := range refs {
			if x.list == nil {
				continue
			}
			var versions any
			if x.list.versions != nil {
				b, _ := json.Marshal(x.list.versions)
				versions = string(b)
			}
			if _, err := insList.ExecContext(ctx, key, x.list.name, versions, x.list.source); err != nil {
				return err
			}
		}
	}
	st, _ := db.Stats(ctx)
	meta = mapsWith(meta, map[string]string{"skipped": fmt.Sprint(st.Skipped), "written": time.Now().UTC().Format(time.RFC3339)})
	for k, v := range meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta VALUES (?, ?)`, k, v); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := conn.Close(); err != nil {
		return err
	}
	return os.Rename(tmpPath, path)
}

func mapsWith(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Lookup implements Store.
func (s *SQLite) Lookup(ctx context.Context, name, version string) ([]Match, error) {
	n := pkgname.Normalize(name)
	var out []Match
	recs, err := s.records(ctx, `SELECT r.json FROM names n JOIN records r ON r.id = n.id WHERE n.name = ? ORDER BY r.id`, n)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		for i := range r.Affected {
			a := &r.Affected[i]
			if a.Package.Ecosystem == "PyPI" && pkgname.Normalize(a.Package.Name) == n && a.affects(version) {
				out = append(out, Match{ID: r.ID, Name: a.Package.Name, Summary: r.Summary, Source: "osv", Modified: r.Modified})
				break
			}
		}
	}
	err = s.lists(ctx, `SELECT spelled, versions, source FROM lists WHERE name = ? ORDER BY source, spelled`, []any{n}, func(e listEntry) {
		if e.versions == nil || version == "" || listed(e.versions, version) {
			out = append(out, Match{Name: e.name, Source: e.source, Summary: "listed as malicious by " + e.source})
		}
	})
	return out, err
}

// LookupHash implements Store.
func (s *SQLite) LookupHash(ctx context.Context, sha256 string) ([]Match, error) {
	recs, err := s.records(ctx, `SELECT r.json FROM hashes h JOIN records r ON r.id = h.id WHERE h.sha256 = ? ORDER BY r.id`, strings.ToLower(sha256))
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, r := range recs {
		name := ""
		if len(r.Affected) > 0 {
			name = r.Affected[0].Package.Name
		}
		out = append(out, Match{ID: r.ID, Name: name, Summary: r.Summary, Source: "osv", Modified: r.Modified})
	}
	return out, nil
}

// records runs a query selecting record JSON and parses the rows.
func (s *SQLite) records(ctx context.Context, query string, args ...any) ([]*Record, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		r, err := ParseRecord(b)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// lists runs a query selecting (spelled, versions, source) list rows and
// hands each entry to fn; versions is nil for "every version".
func (s *SQLite) lists(ctx context.Context, query string, args []any, fn func(listEntry)) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e listEntry
		var versions sql.NullString
		if err := rows.Scan(&e.name, &versions, &e.source); err != nil {
			return err
		}
		if versions.Valid {
			if err := json.Unmarshal([]byte(versions.String), &e.versions); err != nil {
				return err
			}
			if e.versions == nil {
				e.versions = []string{}
			}
		}
		fn(e)
	}
	return rows.Err()
}

// HasFileHashes reports whether any record names evidence files by hash.
func (s *SQLite) HasFileHashes(ctx context.Context) bool {
	var n int
	return s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM hashes LIMIT 1)`).Scan(&n) == nil && n > 0
}

// Record implements Store.
func (s *SQLite) Record(ctx context.Context, id string) (*Record, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT json FROM records WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return ParseRecord(b)
}

// Stats implements Store.
func (s *SQLite) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var newest sql.NullString
	q := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM records WHERE withdrawn = 1),
		(SELECT count(*) FROM lists), (SELECT count(*) FROM (SELECT name FROM names UNION SELECT name FROM lists)),
		(SELECT max(modified) FROM records)`)
	if err := q.Scan(&st.Records, &st.Withdrawn, &st.Listed, &st.Packages, &newest); err != nil {
		return st, err
	}
	if newest.Valid {
		st.Newest, _ = time.Parse(time.RFC3339Nano, newest.String)
	}
	var skipped sql.NullString
	if s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'skipped'`).Scan(&skipped) == nil && skipped.Valid {
		fmt.Sscan(skipped.String, &st.Skipped)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT source FROM records UNION SELECT DISTINCT source FROM lists ORDER BY 1`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var src string
		if err := rows.Scan(&src); err != nil {
			return st, err
		}
		st.Sources = append(st.Sources, src)
	}
	return st, rows.Err()
}

// Meta returns a value the last update recorded ("source", "written").
func (s *SQLite) Meta(ctx context.Context, key string) string {
	var v string
	s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	return v
}
