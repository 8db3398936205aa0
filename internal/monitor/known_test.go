package monitor

import (
	"context"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// A record that arrives with an update alerts the project that pins the
// version it names, once; the new database is then the one that answers.
func TestKnownUpdateAlerts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	old := knownbad.NewDB()
	p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{"webhook:https://hooks.example.test/x"}}}
	if _, err := Register(ctx, st, old, p, []store.Dependency{{Name: "y", Version: "1.0", Scope: "main", File: "requirements.txt", Line: 2}}); err != nil {
		t.Fatal(err)
	}
	updated := knownbad.NewDB()
	updated.Add(&knownbad.Record{ID: "MAL-2099-7", Modified: time.Now(), Summary: "Malicious code in y (PyPI)",
		Affected: []knownbad.Affected{{Package: knownbad.Package{Ecosystem: "PyPI", Name: "Y"}, Versions: []string{"1.0"}}}}, "feed")
	live := knownbad.NewLive(old)
	current := old
	u := &KnownUpdater{Store: st, Known: live,
		Current: func(context.Context) (*knownbad.DB, error) { return current, nil },
		Fetch:   func(context.Context) (*knownbad.DB, error) { return updated, nil },
		Keep: func(_ context.Context, db *knownbad.DB) (knownbad.Store, error) {
			current = db
			return db, nil
		}}
	n, err := u.Update(ctx)
	if err != nil || n != 1 {
		t.Fatalf("update raised %d alerts (%v), want 1", n, err)
	}
	alerts, _ := st.Alerts(ctx, store.AlertFilter{Project: "app"})
	if len(alerts) != 1 || alerts[0].Kind != KindKnownMalicious || alerts[0].Dependency != "y" || alerts[0].Version != "1.0" {
		t.Errorf("alerts %+v", alerts)
	}
	if ms, _ := live.Lookup(ctx, "y", "1.0"); len(ms) != 1 {
		t.Errorf("the new database is not in use: %v", ms)
	}
	if n, err := u.Update(ctx); err != nil || n != 0 {
		t.Errorf("second update raised %d (%v), want 0", n, err)
	}
}
