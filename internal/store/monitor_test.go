package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMonitorStore(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("queue", func(t *testing.T) { testQueue(t, open(t)) })
			// The jobs table on both backends (PostgreSQL runs River).
			t.Run("cursor and jobs commit together", func(t *testing.T) { testCursorJobs(t, tableQueue(open(t))) })
			t.Run("claims and leases", func(t *testing.T) { testClaims(t, tableQueue(open(t))) })
			t.Run("concurrent claims", func(t *testing.T) { testConcurrentClaims(t, tableQueue(open(t))) })
			t.Run("renewed leases", func(t *testing.T) { testRenew(t, tableQueue(open(t))) })
			t.Run("delivery claims", func(t *testing.T) { testDeliveryClaims(t, open(t)) })
			t.Run("projects", func(t *testing.T) { testProjects(t, open(t)) })
			t.Run("alerts and deliveries", func(t *testing.T) { testAlerts(t, open(t)) })
		})
	}
}

// tableQueue makes s run its jobs from the jobs table.
func tableQueue(s *Store) *Store {
	s.river = nil
	return s
}

// The queue of the backend (River on PostgreSQL, the jobs table on
// SQLite): a rolled-back transaction enqueues nothing; an ID enqueued
// twice is one job; every job runs once, its effect committed with its
// completion, except one that fails once and runs again.
func testQueue(t *testing.T, s *Store) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.InTx(ctx, func(tx *Tx) error {
		if err := tx.Enqueue(ctx, Job{ID: "gone", Kind: "scan", Payload: "{}"}); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	var jobs []Job
	for i := range 30 {
		jobs = append(jobs, Job{ID: fmt.Sprint("job-", i), Kind: "scan", Payload: fmt.Sprintf(`{"n":%d}`, i)})
	}
	jobs = append(jobs, Job{ID: "flaky", Kind: "match", Payload: "{}"})
	for range 2 {
		if err := s.InTx(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, jobs...) }); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := s.JobCounts(ctx)
	if err != nil || counts[[2]string{"scan", JobAvailable}] != 30 || counts[[2]string{"match", JobAvailable}] != 1 || len(counts) != 2 {
		t.Fatalf("job counts %v (%v), want 30 scan and 1 match available", counts, err)
	}

	var mu sync.Mutex
	runs := map[string]int{}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		done <- s.Work(wctx, WorkOptions{Worker: "test-" + s.Backend(), Kinds: []string{"scan", "match"}, Workers: 3,
			Lease: 3 * time.Second, Timeout: 10 * time.Second, MaxAttempts: 3, Idle: 20 * time.Millisecond,
			Retry: func(int) time.Duration { return 10 * time.Millisecond }}, func(ctx context.Context, j *Job) error {
			mu.Lock()
			runs[j.ID]++
			n := runs[j.ID]
			mu.Unlock()
			if j.Attempts != n {
				t.Errorf("%s: attempt %d on run %d", j.ID, j.Attempts, n)
			}
			if j.ID == "flaky" && n == 1 {
				return errors.New("upstream 503")
			}
			return s.InTx(ctx, func(tx *Tx) error {
				if err := tx.SetCursor(ctx, "effect-"+j.ID, int64(n)); err != nil {
					return err
				}
				return tx.Complete(ctx, j)
			})
		})
	}()
	for {
		c, _ := s.JobCounts(ctx)
		if c[[2]string{"scan", JobDone}] == 30 && c[[2]string{"match", JobDone}] == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("jobs not done: %v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		want := 1
		if j.ID == "flaky" {
			want = 2
		}
		if runs[j.ID] != want {
			t.Errorf("%s ran %d times, want %d", j.ID, runs[j.ID], want)
		}
		if n, ok, _ := s.Cursor(ctx, "effect-"+j.ID); !ok || n != int64(want) {
			t.Errorf("%s: effect %d %v, want %d", j.ID, n, ok, want)
		}
	}
}

// A failed transaction moves neither the cursor nor the queue: a journal
// batch is recorded whole or not at all.
func testCursorJobs(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, ok, err := s.Cursor(ctx, "pypi"); ok || err != nil {
		t.Fatalf("new store has a cursor (%v, %v)", ok, err)
	}
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx *Tx) error {
		if err := tx.Enqueue(ctx, Job{ID: "scan:a", Kind: "scan", Payload: "{}"}); err != nil {
			return err
		}
		if err := tx.SetCursor(ctx, "pypi", 10); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, ok, _ := s.Cursor(ctx, "pypi"); ok {
		t.Error("cursor moved by a rolled-back transaction")
	}
	if j, _ := s.Claim(ctx, "w", []string{"scan"}, time.Minute); j != nil {
		t.Errorf("job %s enqueued by a rolled-back transaction", j.ID)
	}
	for range 2 { // the same batch twice: one job
		err = s.InTx(ctx, func(tx *Tx) error {
			if err := tx.Enqueue(ctx, Job{ID: "scan:a", Kind: "scan", Payload: `{"n":1}`}); err != nil {
				return err
			}
			return tx.SetCursor(ctx, "pypi", 10)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if serial, ok, _ := s.Cursor(ctx, "pypi"); !ok || serial != 10 {
		t.Errorf("cursor %d %v, want 10", serial, ok)
	}
	counts, _ := s.JobCounts(ctx)
	if counts[[2]string{"scan", JobAvailable}] != 1 {
		t.Errorf("job counts %v, want one available scan", counts)
	}
}

// A claimed job is not claimed again until its lease runs out (its worker
// died); done jobs never; retried ones when due; failed ones never.
func testClaims(t *testing.T, s *Store) {
	ctx := context.Background()
	s.Enqueue(ctx, Job{ID: "a", Kind: "scan", Payload: "{}"}, Job{ID: "b", Kind: "notify", Payload: "{}"})
	j, err := s.Claim(ctx, "w1", []string{"scan"}, 150*time.Millisecond)
	if err != nil || j == nil || j.ID != "a" || j.Attempts != 1 {
		t.Fatalf("claim = %+v, %v; want a, attempt 1", j, err)
	}
	if j2, _ := s.Claim(ctx, "w2", []string{"scan"}, time.Minute); j2 != nil {
		t.Fatalf("claimed %s while a's lease holds", j2.ID)
	}
	time.Sleep(200 * time.Millisecond)
	j, _ = s.Claim(ctx, "w2", []string{"scan"}, time.Minute)
	if j == nil || j.ID != "a" || j.Attempts != 2 {
		t.Fatalf("after the lease: %+v, want a again, attempt 2", j)
	}
	if err := s.Retry(ctx, "a", errors.New("upstream 503"), time.Now().Add(-time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	j, _ = s.Claim(ctx, "w2", []string{"scan"}, time.Minute)
	if j == nil || j.LastError != "upstream 503" {
		t.Fatalf("retried job: %+v, want a with its last error", j)
	}
	if err := s.InTx(ctx, func(tx *Tx) error { return tx.Complete(ctx, &Job{ID: "a"}) }); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.Claim(ctx, "w3", []string{"scan"}, time.Minute); j != nil {
		t.Errorf("claimed done job %s", j.ID)
	}
	j, _ = s.Claim(ctx, "w3", []string{"notify", "scan"}, time.Minute)
	if j == nil || j.ID != "b" {
		t.Fatalf("claim of two kinds: %+v, want b", j)
	}
	s.Retry(ctx, "b", errors.New("gone"), time.Time{})
	if j, _ := s.Claim(ctx, "w3", []string{"notify"}, time.Minute); j != nil {
		t.Errorf("claimed failed job %s", j.ID)
	}
}

// Workers claiming at once never take the same job twice.
func testConcurrentClaims(t *testing.T, s *Store) {
	ctx := context.Background()
	var jobs []Job
	for i := range 60 {
		jobs = append(jobs, Job{ID: sha(i), Kind: "scan", Payload: "{}"})
	}
	if err := s.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j, err := s.Claim(ctx, string(rune('a'+w)), []string{"scan"}, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if j == nil {
					return
				}
				mu.Lock()
				got[j.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(got) != 60 {
		t.Errorf("%d jobs claimed, want 60", len(got))
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("job %s claimed %d times", id[:8], n)
		}
	}
}

func testProjects(t *testing.T, s *Store) {
	ctx := context.Background()
	deps := []Dependency{
		{Name: "requests", Version: "2.31.0", Direct: true, Scope: "main", File: "requirements.txt", Line: 1},
		{Name: "urllib3", Spec: ">=2", Scope: "main", File: "requirements.txt", Line: 2},
	}
	p := Project{Name: "web", Source: "requirements.txt", Options: ProjectOptions{Notify: []string{"webhook:https://hooks.example.test/x"}, WebhookSecret: "whsec_AAAA"}}
	if err := s.InTx(ctx, func(tx *Tx) error { return tx.PutProject(ctx, p, deps) }); err != nil {
		t.Fatal(err)
	}
	got, gotDeps, err := s.Project(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(p.Options, got.Options); d != "" {
		t.Errorf("options (-want +got):\n%s", d)
	}
	for i := range deps {
		deps[i].Project = "web"
	}
	if d := cmp.Diff(deps, gotDeps, cmpopts.SortSlices(func(a, b Dependency) bool { return a.Name < b.Name })); d != "" {
		t.Errorf("dependencies (-want +got):\n%s", d)
	}
	// Registering again replaces the dependencies.
	s.InTx(ctx, func(tx *Tx) error { return tx.PutProject(ctx, p, deps[:1]) })
	if ds, _ := s.Dependents(ctx, "urllib3"); len(ds) != 0 {
		t.Errorf("urllib3 still depended on after re-registration: %+v", ds)
	}
	if ds, _ := s.Dependents(ctx, "requests"); len(ds) != 1 || ds[0].Project != "web" || ds[0].Version != "2.31.0" {
		t.Errorf("dependents of requests: %+v", ds)
	}
	if names, _ := s.WatchedNames(ctx); !cmp.Equal(names, []string{"requests"}) {
		t.Errorf("watched names %v", names)
	}
	if err := s.RemoveProject(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Project(ctx, "web"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed project: %v", err)
	}
	if err := s.RemoveProject(ctx, "web"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}

// An alert is written once with a delivery per target; deliveries are
// claimed once, retried when due, and every attempt is kept.
func testAlerts(t *testing.T, s *Store) {
	ctx := context.Background()
	a := Alert{ID: "al1", Project: "web", Dependency: "x", Version: "1.1", Kind: "malicious", Body: json.RawMessage(`{"why":"setup.py:3"}`)}
	for i, want := range []bool{true, false} {
		var added bool
		err := s.InTx(ctx, func(tx *Tx) (err error) {
			added, err = tx.AddAlert(ctx, a, []string{"webhook#1", "smtp#2"})
			return err
		})
		if err != nil || added != want {
			t.Fatalf("AddAlert #%d = %v, %v; want %v", i+1, added, err, want)
		}
	}
	ds, err := s.ClaimDeliveries(ctx, 10, 100*time.Millisecond)
	if err != nil || len(ds) != 2 {
		t.Fatalf("claimed %d deliveries (%v), want 2", len(ds), err)
	}
	if again, _ := s.ClaimDeliveries(ctx, 10, time.Minute); len(again) != 0 {
		t.Fatalf("claimed %d deliveries under lease", len(again))
	}
	now := time.Now()
	s.RecordAttempt(ctx, ds[0], Attempt{N: 1, At: now, OK: true, Status: "204"}, DeliveryDelivered, now)
	s.RecordAttempt(ctx, ds[1], Attempt{N: 1, At: now, Status: "451", Error: "try later"}, DeliveryPending, now.Add(-time.Millisecond))
	time.Sleep(150 * time.Millisecond)
	retry, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
	if len(retry) != 1 || retry[0].Target != ds[1].Target || retry[0].Attempts != 1 {
		t.Fatalf("due again: %+v, want the failed one after 1 attempt", retry)
	}
	got, deliveries, attempts, err := s.Alert(ctx, "al1")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != string(a.Body) || len(deliveries) != 2 || len(attempts[ds[0].Target]) != 1 || !attempts[ds[0].Target][0].OK {
		t.Errorf("alert %+v, deliveries %+v, attempts %+v", got, deliveries, attempts)
	}
	if list, _ := s.Alerts(ctx, AlertFilter{Project: "web"}); len(list) != 1 || list[0].ID != "al1" {
		t.Errorf("alerts of web: %+v", list)
	}
	if list, _ := s.Alerts(ctx, AlertFilter{Project: "other"}); len(list) != 0 {
		t.Errorf("alerts of other: %+v", list)
	}
}

// A renewed lease keeps a job or delivery with its holder past the first
// lease; a holder whose lease ran out and was taken over is told so, and
// cannot take it back.
func testRenew(t *testing.T, s *Store) {
	ctx := context.Background()
	s.Enqueue(ctx, Job{ID: "a", Kind: "scan", Payload: "{}"})
	// Long enough that a loaded machine does not let it lapse between a
	// renewal and the next call.
	lease := time.Second
	if j, _ := s.Claim(ctx, "w1", []string{"scan"}, lease); j == nil {
		t.Fatal("nothing claimed")
	}
	for range 3 {
		time.Sleep(lease / 2)
		if ok, err := s.Renew(ctx, "a", "w1", lease); !ok || err != nil {
			t.Fatalf("renew by its worker = %v, %v", ok, err)
		}
		if j, _ := s.Claim(ctx, "w2", []string{"scan"}, lease); j != nil {
			t.Fatalf("w2 took a renewed job")
		}
	}
	if ok, _ := s.Renew(ctx, "a", "w2", lease); ok {
		t.Error("another worker renewed w1's job")
	}
	time.Sleep(lease + 50*time.Millisecond) // w1 died
	if j, _ := s.Claim(ctx, "w2", []string{"scan"}, lease); j == nil || j.ID != "a" {
		t.Fatalf("after w1's lease ran out: %+v, want a", j)
	}
	if ok, _ := s.Renew(ctx, "a", "w1", lease); ok {
		t.Error("w1 renewed a job w2 took over")
	}
	s.InTx(ctx, func(tx *Tx) error { return tx.Complete(ctx, &Job{ID: "a"}) })
	if ok, _ := s.Renew(ctx, "a", "w2", lease); ok {
		t.Error("a finished job renewed")
	}

	err := s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.AddAlert(ctx, Alert{ID: "al", Project: "p", Dependency: "d", Version: "1", Kind: "malicious", Body: []byte(`{}`)}, []string{"hook"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := s.ClaimDeliveries(ctx, 10, lease)
	if len(ds) != 1 {
		t.Fatalf("claimed %d deliveries, want 1", len(ds))
	}
	first := ds[0]
	for range 3 {
		time.Sleep(lease / 2)
		if ok, err := s.RenewDelivery(ctx, &first, lease); !ok || err != nil {
			t.Fatalf("renew delivery = %v, %v", ok, err)
		}
		if again, _ := s.ClaimDeliveries(ctx, 10, lease); len(again) != 0 {
			t.Fatal("a renewed delivery claimed again")
		}
	}
	time.Sleep(lease + 50*time.Millisecond)
	second, _ := s.ClaimDeliveries(ctx, 10, lease)
	if len(second) != 1 {
		t.Fatalf("after the lease ran out: %d deliveries, want 1", len(second))
	}
	if ok, _ := s.RenewDelivery(ctx, &first, lease); ok {
		t.Error("the first sender renewed a delivery the second took over")
	}
	if ok, _ := s.RenewDelivery(ctx, &second[0], lease); !ok {
		t.Error("the second sender could not renew its claim")
	}
}

// An attempt is recorded only under the claim that made it: a delivery
// re-sent while an attempt runs, or taken over by another sender, keeps
// the later decision; a re-send is counted.
func testDeliveryClaims(t *testing.T, s *Store) {
	ctx := context.Background()
	err := s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.AddAlert(ctx, Alert{ID: "al", Project: "p", Dependency: "d", Version: "1", Kind: "malicious", Body: []byte(`{}`)}, []string{"hook"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
	if len(ds) != 1 || ds[0].Claim == "" {
		t.Fatalf("claimed %+v", ds)
	}
	if n, err := s.Resend(ctx, "al"); n != 1 || err != nil {
		t.Fatalf("resend = %d, %v", n, err)
	}
	now := time.Now()
	if err := s.RecordAttempt(ctx, ds[0], Attempt{N: 1, At: now, OK: true, Status: "204"}, DeliveryDelivered, now); !errors.Is(err, ErrClaimLost) {
		t.Fatalf("attempt recorded over a re-send: %v", err)
	}
	if ok, _ := s.RenewDelivery(ctx, &ds[0], time.Minute); ok {
		t.Error("a claim renewed after a re-send")
	}
	again, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
	if len(again) != 1 || again[0].Resends != 1 || again[0].Claim == ds[0].Claim {
		t.Fatalf("after the re-send: %+v", again)
	}
	if err := s.RecordAttempt(ctx, again[0], Attempt{N: 1, At: now, OK: true, Status: "204"}, DeliveryDelivered, now); err != nil {
		t.Fatal(err)
	}
	_, dels, attempts, _ := s.Alert(ctx, "al")
	if len(dels) != 1 || dels[0].State != DeliveryDelivered || len(attempts["hook"]) != 1 {
		t.Errorf("deliveries %+v, attempts %+v", dels, attempts)
	}
}

func TestTokens(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s, ctx := open(t), context.Background()
			tok, err := s.CreateToken(ctx, "ci", RoleRead)
			if err != nil {
				t.Fatal(err)
			}
			if role, err := s.TokenRole(ctx, tok); err != nil || role != RoleRead {
				t.Errorf("role %q, %v; want read", role, err)
			}
			for _, bad := range []string{"", "sgt_", tok + "x", strings.ToUpper(tok)} {
				if _, err := s.TokenRole(ctx, bad); !errors.Is(err, ErrNotFound) {
					t.Errorf("token %q: %v, want not found", bad, err)
				}
			}
			if _, err := s.CreateToken(ctx, "x", "root"); err == nil {
				t.Error("role root accepted")
			}
			var stored string
			s.db.QueryRow(`SELECT hash FROM tokens`).Scan(&stored)
			if strings.Contains(stored, tok[4:]) {
				t.Error("the token itself is stored")
			}
			if n, _ := s.RevokeTokens(ctx, "ci"); n != 1 {
				t.Errorf("revoked %d", n)
			}
			if _, err := s.TokenRole(ctx, tok); !errors.Is(err, ErrNotFound) {
				t.Errorf("revoked token still works: %v", err)
			}
		})
	}
}
