package store

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store/storetest"
)

// One of two processes leads; when the leader's session dies (its
// backend is terminated, as when its process is killed), the other takes
// over within seconds and the old leader stops its work.
func TestLeadPostgres(t *testing.T) {
	dsn := storetest.Postgres(t)
	var stores [2]*Store
	for i := range stores {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	a, b := stores[0], stores[1]

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var leads [3]atomic.Bool // by process: 1 or 2
	run := func(s *Store, id int) {
		s.Lead(ctx, "follower", slog.Default(), nil, func(ctx context.Context) error {
			leads[id].Store(true)
			<-ctx.Done()
			leads[id].Store(false)
			return nil
		})
	}
	go run(a, 1)
	waitUntil(t, func() bool { return leads[1].Load() })
	go run(b, 2)
	time.Sleep(3 * leadPoll) // b tries, and must wait
	if !leads[1].Load() || leads[2].Load() {
		t.Fatalf("leaders %v %v, want 1 only while it lives", leads[1].Load(), leads[2].Load())
	}
	// Kill the leader's session: PostgreSQL drops its lock at once, and
	// the old leader notices at its next check.
	if _, err := b.db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitUntil(t, func() bool { return leads[2].Load() && !leads[1].Load() })
	if took := time.Since(start); took > 3*leadPoll {
		t.Errorf("took over after %v", took)
	}
	time.Sleep(2 * leadPoll)
	if leads[1].Load() || !leads[2].Load() {
		t.Errorf("leaders %v %v, want 2 only", leads[1].Load(), leads[2].Load())
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

// Processes starting together on a new PostgreSQL schema all open it: one
// migrates, the others wait.
func TestOpenConcurrentPostgres(t *testing.T) {
	dsn := storetest.Postgres(t) // a new, empty schema
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
