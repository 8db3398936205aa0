package monitor

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Broken answers from upstream — a malformed journal, a truncated JSON
// API answer, a digest that does not match the file, a 10 GB
// Content-Length, a 503 — are errors that are logged and retried: the
// follower goes on, the file is scanned once it can be, and the alert
// arrives once.
func TestUpstreamFaults(t *testing.T) {
	for _, fault := range []pypitest.Fault{pypitest.MalformedXMLRPC, pypitest.TruncatedJSON, pypitest.WrongSHA256, pypitest.HugeContentLength, pypitest.Unavailable} {
		t.Run(faultName(fault), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			st := openStore(t)
			fake := pypitest.Start()
			defer fake.Close()
			secret := notify.GenerateSecret()
			hook := notifytest.NewWebhookReceiver(t, secret)
			p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{hook.Spec()}, WebhookSecret: secret}}
			if _, err := Register(ctx, st, nil, p, []store.Dependency{{Name: "x", Scope: "main", File: "requirements.txt", Line: 1}}); err != nil {
				t.Fatal(err)
			}
			client := pypi.New(fake.URL(), http.DefaultClient)
			f := &Follower{Store: st, Journal: client, Poll: 20 * time.Millisecond, Since: 0}
			w := &Worker{Store: st, Index: client, ScanAll: true, ID: "w", Idle: 10 * time.Millisecond, RetryBase: 20 * time.Millisecond}
			s := &Sender{Store: st, Notify: notify.Config{HTTP: http.DefaultClient, Timeout: 5 * time.Second}, Idle: 10 * time.Millisecond}
			fake.Inject(fault, 2)
			for _, run := range []func(context.Context) error{f.Run, w.Run, s.Run} {
				go run(ctx)
			}
			fake.Publish("x", "2.0", "x-2.0.tar.gz", targz(t, map[string]string{"x-2.0/PKG-INFO": "Metadata-Version: 2.1\nName: x\nVersion: 2.0\n", "x-2.0/setup.py": stagedSetup}))
			if _, err := hook.Wait(ctx, 1); err != nil {
				t.Fatalf("no alert after the fault: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
			if n := len(hook.Accepted()); n != 1 {
				t.Errorf("%d alerts delivered, want 1", n)
			}
			if vs, _ := st.ProjectVerdicts(ctx, "x", 0); len(vs) != 1 || vs[0].Verdict != "malicious" {
				t.Errorf("verdicts %+v, want one malicious", vs)
			}
		})
	}
}

func faultName(f pypitest.Fault) string {
	return map[pypitest.Fault]string{pypitest.MalformedXMLRPC: "malformed journal", pypitest.TruncatedJSON: "truncated JSON",
		pypitest.WrongSHA256: "hash mismatch", pypitest.HugeContentLength: "10 GB content length", pypitest.Unavailable: "503"}[f]
}
