package knownbad

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Name-list entries in OSV clothes: the API answers with records, and a
// list entry ("this name, these versions, per this source") has none, so
// it is given a minimal one with a stable synthetic id.

// ListID is the synthetic OSV id of a name-list entry.
func ListID(source, name string) string {
	return ListIDPrefix + idPart(source) + "-" + pkgname.Normalize(name)
}

func matchID(m Match) string {
	if m.ID != "" {
		return m.ID
	}
	return ListID(m.Source, m.Name)
}

// idPart keeps a source name usable in an id and a URL path.
func idPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// listing is one name-list entry.
type listing struct {
	name, source string
	versions     []string // nil: every version
	// unknownVersions: the store cannot say which versions are listed.
	unknownVersions bool
}

// lister is implemented by stores that can give the name-list entries of a
// name with their versions, which Match does not carry.
type lister interface {
	listings(ctx context.Context, name string) ([]listing, error)
}

var (
	_ lister = (*DB)(nil)
	_ lister = (*SQLite)(nil)
)

func listingsOf(ctx context.Context, s Store, name string) ([]listing, error) {
	if l, ok := s.(lister); ok {
		return l.listings(ctx, name)
	}
	ms, err := s.Lookup(ctx, name, "")
	if err != nil {
		return nil, err
	}
	var out []listing
	for _, m := range ms {
		if m.ID == "" {
			out = append(out, listing{name: m.Name, source: m.Source, unknownVersions: true})
		}
	}
	return out, nil
}

func (db *DB) listings(_ context.Context, name string) ([]listing, error) {
	var out []listing
	for _, x := range db.byName[pkgname.Normalize(name)] {
		if x.list != nil {
			out = append(out, listing{name: x.list.name, source: x.list.source, versions: x.list.versions})
		}
	}
	return out, nil
}

func (s *SQLite) listings(ctx context.Context, name string) ([]listing, error) {
	var out []listing
	err := s.lists(ctx, `SELECT spelled, versions, source FROM lists WHERE name = ? ORDER BY source, spelled`, []any{pkgname.Normalize(name)},
		func(e listEntry) { out = append(out, listing{name: e.name, versions: e.versions, source: e.source}) })
	return out, err
}

// record is the minimal OSV record standing for a name-list entry.
func (l listing) record() *Record {
	n := pkgname.Normalize(l.name)
	a := Affected{Package: Package{Ecosystem: "PyPI", Name: l.name, Purl: "pkg:pypi/" + n}}
	switch {
	case l.unknownVersions:
	case l.versions == nil:
		a.Ranges = []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}}
	default:
		a.Versions = l.versions
	}
	src, _ := json.Marshal(map[string]string{"source": l.source})
	return &Record{
		ID:               ListID(l.source, l.name),
		Summary:          "listed as malicious by " + l.source,
		Details:          fmt.Sprintf("%q is named in the known-malicious list %q, which gives names and versions but no OSV record.", l.name, l.source),
		Affected:         []Affected{a},
		DatabaseSpecific: src,
	}
}
