package knownbad

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewSince(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rec := func(id string, modified time.Time, name string, versions ...string) *Record {
		return &Record{ID: id, Modified: modified, Affected: []Affected{{Package: Package{Ecosystem: "PyPI", Name: name}, Versions: versions}}}
	}
	old := NewDB()
	old.Add(rec("MAL-1", day, "Old_Pkg", "1.0"), "feed")
	old.Add(rec("MAL-2", day, "changed", "1.0"), "feed")
	cur := NewDB()
	cur.Add(rec("MAL-1", day, "Old_Pkg", "1.0"), "feed")
	cur.Add(rec("MAL-2", day.Add(time.Hour), "changed", "1.0", "1.1"), "feed")
	cur.Add(rec("MAL-3", day, "Any.Version"), "feed")
	gone := rec("MAL-4", day, "withdrawn-pkg", "2.0")
	gone.Withdrawn = &day
	cur.Add(gone, "feed")
	var got []string
	for _, n := range cur.NewSince(old) {
		got = append(got, n.Record.ID+" "+n.Name+" "+cmp.Diff(nil, n.Versions))
	}
	var want []string
	for _, n := range []News{{&Record{ID: "MAL-2"}, "changed", []string{"1.0", "1.1"}}, {&Record{ID: "MAL-3"}, "any-version", []string{""}}} {
		want = append(want, n.Record.ID+" "+n.Name+" "+cmp.Diff(nil, n.Versions))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("news (-want +got):\n%s", d)
	}
}
