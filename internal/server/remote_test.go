package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// The CLI's two ways to the monitor answer alike: the store directly, and
// a server's API with a token.
func TestRemoteAnswersAsLocal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("evil-pkg==6.6.6\nrequests>=2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("not sent"), 0o644)
	remote := &Remote{URL: f.srv.URL, Token: f.admin}
	reg := Registration{Name: "shop", Notify: []string{"webhook:https://hooks.example.test/x"}}
	got, err := remote.Register(ctx, reg, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Dependencies) != 2 || len(got.Alerts) != 1 || got.WebhookSecret == "" {
		t.Errorf("remote registration: %+v", got)
	}
	local := &Local{Store: f.st}
	ignore := cmpopts.IgnoreFields(store.Project{}, "Created", "Updated")
	// The API indents JSON, bodies included: compare them compacted.
	compact := cmp.Transformer("compact", func(raw json.RawMessage) string {
		var b bytes.Buffer
		json.Compact(&b, raw)
		return b.String()
	})
	for _, m := range []Monitor{local, remote} {
		v, err := m.Project(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		lv, _ := local.Project(ctx, "shop")
		if d := cmp.Diff(lv, v, ignore, compact, cmpopts.EquateApproxTime(1e9)); d != "" {
			t.Errorf("%T project view differs (-local +this):\n%s", m, d)
		}
		as, err := m.Alerts(ctx, store.AlertFilter{Project: "shop"})
		if err != nil || len(as) != 1 {
			t.Errorf("%T alerts: %v, %v", m, as, err)
		}
	}
	if _, err := remote.Project(ctx, "nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remote unknown project: %v", err)
	}
	if _, err := (&Remote{URL: f.srv.URL, Token: f.read}).Register(ctx, reg, dir); err == nil {
		t.Error("a read token registered a project")
	}
	if err := remote.RemoveProject(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := local.Project(ctx, "shop"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after remote removal: %v", err)
	}
}
