package knownbad

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// OSV publishes, beside each ecosystem's all.zip, modified_id.csv: one
// "modified,id" line per record, newest first. An incremental update reads
// it down to the newest record the local database already has and fetches
// only the records changed since, one <id>.json each.

// maxIncremental is the most records an incremental update fetches one by
// one; beyond it the whole archive is cheaper.
const maxIncremental = 2000

// ErrTooManyChanges means an incremental update would fetch more than
// maxIncremental records: download the archive instead.
var ErrTooManyChanges = fmt.Errorf("more than %d changed records: update from the full archive", maxIncremental)

// Changed parses modified_id.csv and returns the ids of malicious-package
// records modified after since, newest first.
func Changed(csv []byte, since time.Time) ([]string, error) {
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(csv))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		ts, id, ok := strings.Cut(line, ",")
		if !ok {
			return nil, fmt.Errorf("modified_id.csv line %d: no comma", n)
		}
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return nil, fmt.Errorf("modified_id.csv line %d: %w", n, err)
		}
		if !t.After(since) {
			break // newest first: everything below is older
		}
		id = path.Base(id) // the all-ecosystem file says "PyPI/MAL-..."
		if strings.HasPrefix(id, "MAL-") {
			ids = append(ids, id)
		}
		if len(ids) > maxIncremental {
			return nil, ErrTooManyChanges
		}
	}
	return ids, sc.Err()
}

// ImportIncremental builds the database an incremental update installs:
// everything in current plus the records changed since its newest one,
// fetched from base (the directory of all.zip, e.g.
// https://osv-vulnerabilities.storage.googleapis.com/PyPI). It returns the
// number of records fetched.
func ImportIncremental(ctx context.Context, current *SQLite, base string, client *http.Client) (*DB, int, error) {
	db, err := current.LoadAll(ctx)
	if err != nil {
		return nil, 0, err
	}
	st, err := db.Stats(ctx)
	if err != nil {
		return nil, 0, err
	}
	base = strings.TrimSuffix(base, "/")
	csv, err := download(ctx, base+"/modified_id.csv", client)
	if err != nil {
		return nil, 0, err
	}
	ids, err := Changed(csv, st.Newest)
	if err != nil {
		return nil, 0, err
	}
	for _, id := range ids {
		data, err := download(ctx, base+"/"+id+".json", client)
		if err != nil {
			return nil, 0, err
		}
		if err := db.addJSON(data, base, false); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", id, err)
		}
	}
	return db, len(ids), nil
}

// LoadAll reads the whole local database into memory.
func (s *SQLite) LoadAll(ctx context.Context) (*DB, error) {
	db := NewDB()
	rows, err := s.db.QueryContext(ctx, `SELECT json, source FROM records ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		var src string
		if err := rows.Scan(&b, &src); err != nil {
			return nil, err
		}
		r, err := ParseRecord(b)
		if err != nil {
			return nil, err
		}
		db.Add(r, src)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	lists := map[string]map[string][]string{}
	err = s.lists(ctx, `SELECT spelled, versions, source FROM lists ORDER BY source, spelled`, nil, func(e listEntry) {
		if lists[e.source] == nil {
			lists[e.source] = map[string][]string{}
		}
		lists[e.source][e.name] = e.versions
	})
	if err != nil {
		return nil, err
	}
	addLists(db, lists)
	return db, nil
}
