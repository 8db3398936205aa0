package knownbad

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Store is what the rest of Safeguard asks of a known-malicious database:
// the embedded snapshot, the local database and a shared server database
// all answer the same questions.
type Store interface {
	// Lookup returns what is known about name at version ("" for any
	// version). Withdrawn records never match.
	Lookup(ctx context.Context, name, version string) ([]Match, error)
	// LookupHash returns the records naming a file with this SHA-256
	// (lower-case hex).
	LookupHash(ctx context.Context, sha256 string) ([]Match, error)
	// Record returns the record with id, or ErrNotFound.
	Record(ctx context.Context, id string) (*Record, error)
	// Stats describes the database.
	Stats(ctx context.Context) (Stats, error)
}

var _ Store = (*DB)(nil)

// ErrNotFound is returned for an unknown record id.
var ErrNotFound = errors.New("no such record")

// Match is one reason a package is known to be malicious.
type Match struct {
	// ID is the OSV id ("MAL-2024-10238"), or "" for a name-list entry.
	ID       string    `json:"id,omitempty"`
	Name     string    `json:"name"`
	Summary  string    `json:"summary"`
	Source   string    `json:"source"`
	Modified time.Time `json:"modified,omitzero"`
}

// Stats describes a database.
type Stats struct {
	Records   int       `json:"records"`   // OSV records, withdrawn included
	Withdrawn int       `json:"withdrawn"` // of which withdrawn
	Listed    int       `json:"listed"`    // name-list entries
	Packages  int       `json:"packages"`  // distinct normalised names that match
	Skipped   int       `json:"skipped"`   // records of other ecosystems, ignored
	Newest    time.Time `json:"newest,omitzero"`
	Sources   []string  `json:"sources"`
}

// DB is an in-memory database, built from records and lists. It is safe
// for concurrent lookups once built; building is not concurrent.
type DB struct {
	records map[string]*Record
	byName  map[string][]ref
	byHash  map[string][]string // sha256 → record ids
	listed  int
	skipped int
	sources map[string]bool
	// recordSource is where each record came from.
	recordSource map[string]string
}

// ref is one entry for a name: an affected package of a record, or a
// list entry (versions nil: every version).
type ref struct {
	id       string
	affected *Affected
	list     *listEntry
}

type listEntry struct {
	name     string
	versions []string // nil: every version
	source   string
}

// NewDB returns an empty database.
func NewDB() *DB {
	return &DB{records: map[string]*Record{}, byName: map[string][]ref{}, byHash: map[string][]string{}, sources: map[string]bool{},
		recordSource: map[string]string{}}
}

// Add adds a record. A record of another ecosystem is counted and
// ignored; a newer version of a record (same id, later modified) replaces
// the older.
func (db *DB) Add(r *Record, source string) {
	pypi := false
	for _, a := range r.Affected {
		pypi = pypi || a.Package.Ecosystem == "PyPI"
	}
	if !pypi || !isMalicious(r) {
		db.skipped++ // another ecosystem, or a vulnerability rather than malware
		return
	}
	if old, ok := db.records[r.ID]; ok {
		if !r.Modified.After(old.Modified) {
			return
		}
		db.remove(old)
	}
	db.records[r.ID] = r
	db.recordSource[r.ID] = source
	db.sources[source] = true
	if r.IsWithdrawn() {
		return // kept for show and stats, never matched
	}
	for i := range r.Affected {
		a := &r.Affected[i]
		if a.Package.Ecosystem != "PyPI" {
			continue
		}
		n := pkgname.Normalize(a.Package.Name)
		db.byName[n] = append(db.byName[n], ref{id: r.ID, affected: a})
	}
	for _, h := range r.hashes() {
		db.byHash[h] = append(db.byHash[h], r.ID)
	}
}

// isMalicious reports a malicious-package record: a MAL- id or alias, as
// the OpenSSF malicious-packages feed assigns them. OSV's ecosystem exports
// also carry vulnerability records (PYSEC-, GHSA-), which are not ours.
func isMalicious(r *Record) bool {
	if strings.HasPrefix(r.ID, "MAL-") {
		return true
	}
	for _, a := range r.Aliases {
		if strings.HasPrefix(a, "MAL-") {
			return true
		}
	}
	return false
}

func (db *DB) remove(r *Record) {
	for n, refs := range db.byName {
		kept := refs[:0]
		for _, x := range refs {
			if x.id != r.ID {
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			delete(db.byName, n)
		} else {
			db.byName[n] = kept
		}
	}
	for _, h := range r.hashes() {
		ids := db.byHash[h][:0]
		for _, id := range db.byHash[h] {
			if id != r.ID {
				ids = append(ids, id)
			}
		}
		db.byHash[h] = ids
	}
	delete(db.records, r.ID)
}

// AddList adds a name list in the form {"name": null | ["version", ...]}.
func (db *DB) AddList(list map[string][]string, source string) {
	names := make([]string, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e := &listEntry{name: n, versions: list[n], source: source}
		key := pkgname.Normalize(n)
		db.byName[key] = append(db.byName[key], ref{list: e})
		db.listed++
	}
	db.sources[source] = true
}

// ParseList parses the simple list form {"name": null | ["version", ...]}.
func ParseList(data []byte) (map[string][]string, error) {
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Lookup implements Store.
func (db *DB) Lookup(_ context.Context, name, version string) ([]Match, error) {
	var out []Match
	for _, x := range db.byName[pkgname.Normalize(name)] {
		switch {
		case x.list != nil:
			if x.list.versions == nil || version == "" || listed(x.list.versions, version) {
				out = append(out, Match{Name: x.list.name, Source: x.list.source,
					Summary: "listed as malicious by " + x.list.source})
			}
		case x.affected.affects(version):
			r := db.records[x.id]
			out = append(out, Match{ID: r.ID, Name: x.affected.Package.Name, Summary: r.Summary, Source: "osv", Modified: r.Modified})
		}
	}
	return out, nil
}

func listed(versions []string, version string) bool {
	a := Affected{Versions: versions}
	return a.affects(version)
}

// LookupHash implements Store.
func (db *DB) LookupHash(_ context.Context, sha256 string) ([]Match, error) {
	var out []Match
	for _, id := range db.byHash[strings.ToLower(sha256)] {
		r := db.records[id]
		name := ""
		if len(r.Affected) > 0 {
			name = r.Affected[0].Package.Name
		}
		out = append(out, Match{ID: id, Name: name, Summary: r.Summary, Source: "osv", Modified: r.Modified})
	}
	return out, nil
}

// HasFileHashes reports whether any record names evidence files by hash.
func (db *DB) HasFileHashes(context.Context) bool {
	for _, ids := range db.byHash {
		if len(ids) > 0 {
			return true
		}
	}
	return false
}

// Record implements Store.
func (db *DB) Record(_ context.Context, id string) (*Record, error) {
	if r, ok := db.records[id]; ok {
		return r, nil
	}
	return nil, ErrNotFound
}

// Stats implements Store.
func (db *DB) Stats(context.Context) (Stats, error) {
	st := Stats{Records: len(db.records), Listed: db.listed, Packages: len(db.byName), Skipped: db.skipped}
	for _, r := range db.records {
		if r.IsWithdrawn() {
			st.Withdrawn++
		}
		if r.Modified.After(st.Newest) {
			st.Newest = r.Modified
		}
	}
	for s := range db.sources {
		st.Sources = append(st.Sources, s)
	}
	sort.Strings(st.Sources)
	return st, nil
}

// addLists adds lists by source, in source order, so that lookups answer in
// the same order every time.
func addLists(db *DB, lists map[string]map[string][]string) {
	srcs := make([]string, 0, len(lists))
	for s := range lists {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	for _, s := range srcs {
		db.AddList(lists[s], s)
	}
}
