package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store/storetest"
)

// backends opens a fresh, empty store on each backend: an SQLite file in a
// temporary directory, and a new schema on the PostgreSQL server (dropped
// afterwards). Without a server the PostgreSQL run is skipped with a
// message, unless SAFEGUARD_REQUIRE_POSTGRES is set (CI sets it).
func backends(t *testing.T) map[string]func(t *testing.T) *Store {
	return map[string]func(t *testing.T) *Store{
		"sqlite": func(t *testing.T) *Store {
			s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(t *testing.T) *Store {
			return openPostgres(t)
		},
	}
}

// openPostgres opens a store in a new schema of the test server
// (storetest.Postgres: skipped without one, unless required).
func openPostgres(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), storetest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sha(n int) string { return fmt.Sprintf("%064x", n) }

func TestStore(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("verdicts", func(t *testing.T) { testVerdicts(t, open(t)) })
			t.Run("decisions", func(t *testing.T) { testDecisions(t, open(t)) })
			t.Run("concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
		})
	}
}

func testVerdicts(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.Verdict(ctx, sha(1)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing verdict: %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 123e6, time.UTC)
	v := Verdict{SHA256: sha(1), Filename: "evil-1.0.tar.gz", Project: "evil", Version: "1.0", Verdict: "malicious", Score: 95,
		Findings: json.RawMessage(`[{"rule":"exfiltration","file":"setup.py","line":7}]`), Engine: "test", ScannedAt: at}
	if err := s.PutVerdict(ctx, v); err != nil {
		t.Fatal(err)
	}
	got, err := s.Verdict(ctx, sha(1))
	if err != nil {
		t.Fatal(err)
	}
	if got.Verdict != "malicious" || got.Score != 95 || !got.ScannedAt.Equal(at) || !strings.Contains(string(got.Findings), `"line":7`) {
		t.Fatalf("read back %+v", got)
	}
	// A rescan replaces the verdict.
	v.Verdict, v.Score, v.Engine = "clean", 0, "test2"
	if err := s.PutVerdict(ctx, v); err != nil {
		t.Fatal(err)
	}
	s.PutVerdict(ctx, Verdict{SHA256: sha(2), Filename: "evil-1.1-py3-none-any.whl", Project: "evil", Version: "1.1", Verdict: "clean", ScannedAt: at.Add(time.Hour)})
	all, err := s.ProjectVerdicts(ctx, "evil", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].SHA256 != sha(2) || all[1].Verdict != "clean" || all[1].Engine != "test2" {
		t.Fatalf("project verdicts = %+v", all)
	}
	if err := s.PutVerdict(ctx, Verdict{SHA256: "short"}); err == nil {
		t.Error("a verdict without a SHA-256 was stored")
	}
}

func testDecisions(t *testing.T, s *Store) {
	ctx := context.Background()
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		action := "allow"
		if i%2 == 1 {
			action = "block"
		}
		if _, err := s.AddDecision(ctx, Decision{At: base.Add(time.Duration(i) * time.Minute), Project: fmt.Sprintf("p%d", i%2), Filename: fmt.Sprintf("f%d", i),
			Action: action, Rule: "malicious", Reason: "setup.py:7: sends the environment to a webhook"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Decisions(ctx, DecisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].Filename != "f4" || all[4].Filename != "f0" || all[0].ID == "" { // the batch below is older
		t.Fatalf("decisions newest first: %+v", all)
	}
	if err := s.AddDecisions(ctx, []Decision{{At: base.Add(-time.Hour), Project: "p9", Filename: "a", Action: "allow", Rule: "scanned"},
		{At: base.Add(-time.Hour), Project: "p9", Filename: "b", Action: "allow", Rule: "scanned"}}); err != nil {
		t.Fatal(err)
	}
	if p9, _ := s.Decisions(ctx, DecisionFilter{Project: "p9"}); len(p9) != 2 {
		t.Fatalf("batch: %+v", p9)
	}
	blocked, _ := s.Decisions(ctx, DecisionFilter{Action: "block"})
	p0, _ := s.Decisions(ctx, DecisionFilter{Project: "p0", Limit: 2})
	if len(blocked) != 2 || len(p0) != 2 || p0[0].Filename != "f4" {
		t.Fatalf("filters: block %+v, p0 %+v", blocked, p0)
	}
}

// Many writers at once (the proxy scans in parallel): nothing is lost.
func testConcurrent(t *testing.T, s *Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.PutVerdict(ctx, Verdict{SHA256: sha(100 + i), Filename: "f", Project: "c", Version: "1", Verdict: "clean", ScannedAt: time.Now()}); err != nil {
				errs <- err
			}
			if _, err := s.AddDecision(ctx, Decision{Project: "c", Filename: "f", Action: "allow", Rule: "clean"}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	vs, _ := s.ProjectVerdicts(ctx, "c", 0)
	ds, _ := s.Decisions(ctx, DecisionFilter{Project: "c", Limit: 1000})
	if len(vs) != 32 || len(ds) != 32 {
		t.Fatalf("after 32 concurrent writers: %d verdicts, %d decisions", len(vs), len(ds))
	}
}

// Opening twice applies the migrations once; the second open is a no-op.
func TestMigrateTwice(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			if err := s.migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			var n int
			s.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
			if n != len(migrations) {
				t.Fatalf("%d migrations recorded, want %d", n, len(migrations))
			}
		})
	}
}

func TestRedact(t *testing.T) {
	if got := redact("postgres://u:secret@h/db"); got != "postgres://u:***@h/db" {
		t.Fatal(got)
	}
}
