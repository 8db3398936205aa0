package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDashboardQueries(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("feed", func(t *testing.T) { testFeed(t, open(t)) })
			t.Run("hours", func(t *testing.T) { testHours(t, open(t)) })
			t.Run("overview", func(t *testing.T) { testOverview(t, open(t)) })
			t.Run("resend", func(t *testing.T) { testResend(t, open(t)) })
			t.Run("sessions", func(t *testing.T) { testSessions(t, open(t)) })
		})
	}
}

// feedFixture stores 7 verdicts a minute apart, newest last: names
// pkg-0..pkg-6, every third malicious, and one named "a_b%c".
func feedFixture(t *testing.T, s *Store, at time.Time) {
	t.Helper()
	for i := range 7 {
		v := Verdict{SHA256: sha(i + 1), Filename: fmt.Sprintf("pkg_%d-1.0.tar.gz", i), Project: fmt.Sprintf("pkg-%d", i), Version: "1.0",
			Verdict: "clean", ScannedAt: at.Add(time.Duration(i) * time.Minute)}
		if i%3 == 0 {
			v.Verdict = "malicious"
		}
		if i == 6 {
			v.Project = "a_b%c"
		}
		if err := s.PutVerdict(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
}

func projects(p *FeedPage) []string {
	var out []string
	for _, v := range p.Verdicts {
		out = append(out, v.Project)
	}
	return out
}

func testFeed(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	feedFixture(t, s, at)
	for _, tc := range []struct {
		name string
		f    FeedFilter
		want []string
	}{
		{"all newest first", FeedFilter{}, []string{"a_b%c", "pkg-5", "pkg-4", "pkg-3", "pkg-2", "pkg-1", "pkg-0"}},
		{"verdict", FeedFilter{Verdict: "malicious"}, []string{"a_b%c", "pkg-3", "pkg-0"}},
		{"name", FeedFilter{Name: "pkg-4"}, []string{"pkg-4"}},
		{"name is not a pattern", FeedFilter{Name: "a_b%"}, nil},
		{"odd name", FeedFilter{Name: "a_b%c"}, []string{"a_b%c"}},
		{"time window", FeedFilter{Since: at.Add(2 * time.Minute), Until: at.Add(4 * time.Minute)}, []string{"pkg-3", "pkg-2"}},
	} {
		page, err := s.Feed(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, projects(page)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// Pages follow one another without a gap or a repeat.
	var got []string
	f := FeedFilter{Limit: 3}
	for pages := 0; ; pages++ {
		page, err := s.Feed(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, projects(page)...)
		if page.Next == "" {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		f.After = page.Next
	}
	if diff := cmp.Diff([]string{"a_b%c", "pkg-5", "pkg-4", "pkg-3", "pkg-2", "pkg-1", "pkg-0"}, got); diff != "" {
		t.Errorf("paged (-want +got):\n%s", diff)
	}
	if _, err := s.Feed(ctx, FeedFilter{After: "1-'; DROP TABLE verdicts"}); !errors.Is(err, ErrBadPageKey) {
		t.Error("a malformed page key was accepted")
	}
}

func testHours(t *testing.T, s *Store) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 30, 0, 0, time.UTC)
	feedFixture(t, s, time.Date(2026, 12, 1, 11, 10, 0, 0, time.UTC))
	s.PutVerdict(ctx, Verdict{SHA256: sha(100), Project: "old", Verdict: "malicious", ScannedAt: now.Add(-5 * time.Hour)})
	hours, err := s.Hours(ctx, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hour{
		{Start: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)},
		{Start: time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC), Scanned: 7, Flagged: 3},
		{Start: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)},
	}
	if diff := cmp.Diff(want, hours); diff != "" {
		t.Errorf("hours (-want +got):\n%s", diff)
	}
	counts, err := s.VerdictCounts(ctx, now.Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"clean": 4, "malicious": 3}, counts); diff != "" {
		t.Errorf("verdict counts (-want +got):\n%s", diff)
	}
}

func testOverview(t *testing.T, s *Store) {
	ctx := context.Background()
	since := time.Now().Add(-time.Hour)
	o, err := s.Overview(ctx, "pypi", since)
	if err != nil {
		t.Fatal(err)
	}
	if o.Serial != 0 || !o.SerialUpdated.IsZero() {
		t.Errorf("empty store: %+v", o)
	}
	s.InTx(ctx, func(tx *Tx) error { return tx.SetCursor(ctx, "pypi", 4242) })
	s.AddDecision(ctx, Decision{Project: "evil", Filename: "evil-1.0.tar.gz", Action: "block"})
	s.AddDecision(ctx, Decision{Project: "evil", Filename: "evil-0.9.tar.gz", Action: "block", At: since.Add(-time.Hour)})
	s.AddDecision(ctx, Decision{Project: "good", Filename: "good-1.0.tar.gz", Action: "allow"})
	addAlert(t, s, "al1", "webhook#1")
	o, err = s.Overview(ctx, "pypi", since)
	if err != nil {
		t.Fatal(err)
	}
	if o.Serial != 4242 || o.SerialUpdated.IsZero() || o.Blocks != 1 || o.Alerts != 1 || o.Undelivered != 1 {
		t.Errorf("overview %+v, want serial 4242, 1 block since, 1 alert, 1 undelivered", o)
	}
}

func addAlert(t *testing.T, s *Store, id string, targets ...string) {
	t.Helper()
	err := s.InTx(context.Background(), func(tx *Tx) error {
		_, err := tx.AddAlert(context.Background(), Alert{ID: id, Project: "web", Dependency: "x", Version: "1", Kind: "malicious", Body: []byte(`{}`)}, targets)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A re-sent alert's failed delivery is due again, and numbered on.
func testResend(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.Resend(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("resend of a missing alert: %v", err)
	}
	addAlert(t, s, "al1", "webhook#1")
	ds, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
	if len(ds) != 1 {
		t.Fatalf("claimed %d", len(ds))
	}
	s.RecordAttempt(ctx, ds[0], Attempt{N: 1, At: time.Now(), Status: "410"}, DeliveryFailed, time.Now())
	if again, _ := s.ClaimDeliveries(ctx, 10, time.Minute); len(again) != 0 {
		t.Fatal("a failed delivery was claimed")
	}
	n, err := s.Resend(ctx, "al1")
	if err != nil || n != 1 {
		t.Fatalf("resend = %d, %v", n, err)
	}
	again, _ := s.ClaimDeliveries(ctx, 10, time.Minute)
	if len(again) != 1 || again[0].Attempts != 1 || again[0].State != DeliveryPending {
		t.Errorf("after resend: %+v, want one pending delivery after 1 attempt", again)
	}
}

func testSessions(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.CreateSession(ctx, "sgt_nope", time.Hour); !errors.Is(err, ErrNotFound) {
		t.Errorf("session from an unknown token: %v", err)
	}
	tok, _ := s.CreateToken(ctx, "alice", RoleAdmin)
	sess, err := s.CreateSession(ctx, tok, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(ctx, sess.ID)
	if err != nil || got.Role != RoleAdmin || got.CSRF != sess.CSRF || got.CSRF == "" {
		t.Fatalf("session = %+v, %v", got, err)
	}
	var stored string
	s.db.QueryRow(`SELECT hash FROM web_sessions`).Scan(&stored)
	if stored == sess.ID {
		t.Error("the session secret is stored as is")
	}
	short, _ := s.CreateSession(ctx, tok, -time.Second)
	if _, err := s.Session(ctx, short.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	s.DeleteSession(ctx, sess.ID)
	if _, err := s.Session(ctx, sess.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("signed-out session: %v", err)
	}
	// Revoking the token ends its sessions.
	sess, _ = s.CreateSession(ctx, tok, time.Hour)
	s.RevokeTokens(ctx, "alice")
	if _, err := s.Session(ctx, sess.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("session of a revoked token: %v", err)
	}
}
