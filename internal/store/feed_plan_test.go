package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The feed's queries read an index range in the order they list, so a
// page costs the same at the top of 100,000 files and deep inside them
// (on SQLite, whose planner needs no statistics for this; PostgreSQL's
// plans are in docs/dashboard.md).
func TestFeedPlans(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		f     FeedFilter
		index string
	}{
		{"newest", FeedFilter{}, "verdicts_scanned"},
		{"a page deep", FeedFilter{After: "1796169600000-" + sha(7)}, "verdicts_scanned"},
		{"by verdict", FeedFilter{Verdict: "malicious", After: "1796169600000-" + sha(7)}, "verdicts_verdict"},
		{"by name", FeedFilter{Name: "requests"}, "verdicts_project"},
		{"a time window", FeedFilter{Since: at, Until: at.Add(time.Hour)}, "verdicts_scanned"},
		{"a time window, a page deep", FeedFilter{Since: at, After: "1796169600000-" + sha(7)}, "verdicts_scanned"},
	} {
		query, args, _, err := feedQuery(tc.f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "INDEX "+tc.index) || strings.Contains(got, "MULTI-INDEX OR") || (tc.name != "by name" && strings.Contains(got, "TEMP B-TREE FOR ORDER BY")) {
			t.Errorf("%s: plan %q, want a range of %s read in order", tc.name, got, tc.index)
		}
	}
}
