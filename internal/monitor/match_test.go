package monitor

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "safeguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestCanInstall(t *testing.T) {
	for _, c := range []struct {
		dep     store.Dependency
		version string
		want    bool
	}{
		{store.Dependency{Version: "1.0"}, "1.0", true},
		{store.Dependency{Version: "1.0"}, "1.0.0", true},
		{store.Dependency{Version: "1.0"}, "1.1", false},
		{store.Dependency{}, "3.0", true},
		{store.Dependency{Spec: ">=2,<3"}, "2.5", true},
		{store.Dependency{Spec: ">=2,<3"}, "3.0", false},
		{store.Dependency{Spec: ">=2"}, "3.0rc1", false}, // pip skips pre-releases
		{store.Dependency{Spec: "not a range"}, "1.0", true},
	} {
		if got := canInstall(c.dep, c.version); got != c.want {
			t.Errorf("canInstall(%+v, %s) = %v, want %v", c.dep, c.version, got, c.want)
		}
	}
}

// A project registered after the news gets its alerts at registration:
// a stored malicious verdict on a release its range allows, and a
// known-malicious record on its pin; a clean verdict raises nothing, and
// registering again raises nothing new.
func TestRegisterRaisesWhatIsKnown(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	findings := `[{"rule":"exec-remote-code","severity":"critical","context":"install","file":"x-2.0/setup.py","line":3,"snippet":"exec(urlopen(u).read())","message":"runs code it downloads"}]`
	for _, v := range []store.Verdict{
		{SHA256: sha("x2"), Filename: "x-2.0.tar.gz", Project: "x", Version: "2.0", Verdict: "malicious", Score: 100, Findings: json.RawMessage(findings), ScannedAt: time.Now()},
		{SHA256: sha("z1"), Filename: "z-1.0.tar.gz", Project: "z", Version: "1.0", Verdict: "clean", Findings: json.RawMessage("[]"), ScannedAt: time.Now()},
	} {
		if err := st.PutVerdict(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	db := knownbad.NewDB()
	db.AddList(map[string][]string{"y": {"1.0"}}, "test-list")
	p := store.Project{Name: "web", Options: store.ProjectOptions{Notify: []string{"webhook:https://hooks.example.test/a"}}}
	ds := []store.Dependency{
		{Name: "x", Spec: ">=1", Direct: true, Scope: "main", File: "requirements.txt", Line: 1},
		{Name: "y", Version: "1.0", Direct: true, Scope: "main", File: "requirements.txt", Line: 2},
		{Name: "z", Version: "1.0", Direct: true, Scope: "main", File: "requirements.txt", Line: 3},
	}
	alerts, err := Register(ctx, st, db, p, ds)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range alerts {
		got[a.Dependency+" "+a.Version] = a.Kind
	}
	want := map[string]string{"x 2.0": KindMalicious, "y 1.0": KindKnownMalicious}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("alerts at registration (-want +got):\n%s", d)
	}
	var b Body
	for _, a := range alerts {
		if a.Dependency == "x" {
			json.Unmarshal(a.Body, &b)
		}
	}
	if len(b.Reason.Findings) != 1 || b.Reason.Findings[0].Line != 3 || !cmp.Equal(b.Declared, []Location{{"requirements.txt", 1}}) || b.Advice == "" {
		t.Errorf("malicious alert body %+v: want the finding with its line, where it is declared, and advice", b)
	}
	_, deliveries, _, err := st.Alert(ctx, alerts[0].ID)
	if err != nil || len(deliveries) != 1 || deliveries[0].Target != TargetID(p.Options.Notify[0]) {
		t.Errorf("deliveries %+v (%v): want one to the webhook", deliveries, err)
	}
	again, err := Register(ctx, st, db, p, ds)
	if err != nil || len(again) != 0 {
		t.Errorf("registering again raised %d alerts (%v), want none", len(again), err)
	}
}

// A yank concerns the projects that pin the yanked version; a quarantine
// every project that depends on the name.
func TestReleaseRaises(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for name, d := range map[string]store.Dependency{
		"pins":  {Name: "y", Version: "1.0", Scope: "main", File: "uv.lock", Line: 9},
		"range": {Name: "y", Spec: ">=0.5", Scope: "main", File: "pyproject.toml", Line: 4},
	} {
		if _, err := Register(ctx, st, nil, store.Project{Name: name}, []store.Dependency{d}); err != nil {
			t.Fatal(err)
		}
	}
	m := &matcher{r: st}
	rs, err := m.releaseRaises(ctx, KindYanked, "y", "1.0", "broken build")
	if err != nil || len(rs) != 1 || rs[0].alert.Project != "pins" {
		t.Errorf("yank raised %+v (%v), want one alert for the project that pins 1.0", rs, err)
	}
	rs, err = m.releaseRaises(ctx, KindQuarantined, "y", "", "")
	if err != nil || len(rs) != 2 {
		t.Errorf("quarantine raised %d alerts (%v), want 2", len(rs), err)
	}
}

func sha(s string) string {
	return (s + "0000000000000000000000000000000000000000000000000000000000000000")[:64]
}
