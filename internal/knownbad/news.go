package knownbad

import (
	"cmp"
	"context"
	"slices"
	"sync/atomic"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// News is what an update brought about one PyPI package: a record that
// was not in the database before, or is newer now.
type News struct {
	Record *Record
	// Name is the package, normalised; Versions are those the record
	// names ("" alone when it names none: every version).
	Name     string
	Versions []string
}

// NewSince returns what db holds that old did not: each PyPI package of
// each record that is new or modified since, withdrawn ones left out,
// sorted by record and name. Name-list entries are not records and are
// not news.
func (db *DB) NewSince(old *DB) []News {
	var out []News
	for id, r := range db.records {
		if r.IsWithdrawn() {
			continue
		}
		if o, ok := old.records[id]; ok && !r.Modified.After(o.Modified) {
			continue
		}
		for _, a := range r.Affected {
			if a.Package.Ecosystem != "PyPI" {
				continue
			}
			vs := slices.Clone(a.Versions)
			if len(vs) == 0 {
				vs = []string{""}
			}
			out = append(out, News{Record: r, Name: pkgname.Normalize(a.Package.Name), Versions: vs})
		}
	}
	slices.SortFunc(out, func(a, b News) int {
		return cmp.Or(cmp.Compare(a.Record.ID, b.Record.ID), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Live is a Store whose database can be replaced while it is used: a
// server swaps in an updated one without stopping its workers.
type Live struct {
	cur atomic.Pointer[liveStore]
}

type liveStore struct{ Store }

// NewLive returns a Live store answering from s.
func NewLive(s Store) *Live {
	l := &Live{}
	l.Set(s)
	return l
}

// Set makes s the store that answers from now on.
func (l *Live) Set(s Store) { l.cur.Store(&liveStore{s}) }

// Current returns the store that answers now.
func (l *Live) Current() Store { return l.cur.Load().Store }

// Lookup implements Store.
func (l *Live) Lookup(ctx context.Context, name, version string) ([]Match, error) {
	return l.Current().Lookup(ctx, name, version)
}

// LookupHash implements Store.
func (l *Live) LookupHash(ctx context.Context, sha256 string) ([]Match, error) {
	return l.Current().LookupHash(ctx, sha256)
}

// Record implements Store.
func (l *Live) Record(ctx context.Context, id string) (*Record, error) {
	return l.Current().Record(ctx, id)
}

// Stats implements Store.
func (l *Live) Stats(ctx context.Context) (Stats, error) { return l.Current().Stats(ctx) }

var _ Store = (*Live)(nil)
