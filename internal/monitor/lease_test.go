package monitor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// slowIndex delays every download and counts them.
type slowIndex struct {
	*pypi.Client
	delay     time.Duration
	downloads atomic.Int32
}

func (s *slowIndex) Download(ctx context.Context, f pypi.File, w io.Writer) (pypi.Downloaded, error) {
	s.downloads.Add(1)
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return pypi.Downloaded{}, ctx.Err()
	}
	return s.Client.Download(ctx, f, w)
}

// A scan that takes longer than the lease stays with its worker (it
// renews the lease), so a second worker does not fetch and scan the file
// again; a job left by a worker that died is taken over once its lease
// runs out, not after the longest scan.
func TestWorkerLeases(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := openStore(t)
	fake := pypitest.Start()
	defer fake.Close()
	idx := &slowIndex{Client: pypi.New(fake.URL(), http.DefaultClient), delay: time.Second}
	lease := 300 * time.Millisecond

	// A job a dead worker claimed.
	data := targz(t, map[string]string{"a-1.0/PKG-INFO": "Metadata-Version: 2.1\nName: a\nVersion: 1.0\n"})
	fake.Publish("a", "1.0", "a-1.0.tar.gz", data)
	p, _ := json.Marshal(FileJob{Name: "a", Version: "1.0", Filename: "a-1.0.tar.gz"})
	if err := st.Enqueue(ctx, store.Job{ID: "file:a/a-1.0.tar.gz", Kind: JobFile, Payload: string(p)}); err != nil {
		t.Fatal(err)
	}
	if j, err := st.Claim(ctx, "dead", []string{JobFile}, lease); j == nil || err != nil {
		t.Fatalf("claim = %v, %v", j, err)
	}
	died := time.Now()

	for _, id := range []string{"w1", "w2"} {
		w := &Worker{Store: st, Index: idx, ScanAll: true, ID: id, Idle: 20 * time.Millisecond, Lease: lease}
		go w.Run(ctx)
	}
	waitFor(t, func() bool { v, _ := st.ProjectVerdicts(ctx, "a", 0); return len(v) == 1 })
	if took := time.Since(died); took > lease+idx.delay+5*time.Second {
		t.Errorf("the dead worker's job was done %v after it died", took)
	}
	time.Sleep(2 * lease) // a second scan, if one were running, would have started
	if n := idx.downloads.Load(); n != 1 {
		t.Errorf("a-1.0.tar.gz downloaded %d times, want once (the scan outlived 3 leases)", n)
	}
	counts, _ := st.JobCounts(ctx)
	if counts[[2]string{JobFile, store.JobDone}] != 1 {
		t.Errorf("jobs %v, want one done", counts)
	}
}

// A receiver that never answers holds one delivery until the attempt's
// timeout, not the others; a sender killed while it waits leaves the
// delivery to be sent again, under the same webhook-id, once its lease
// runs out.
func TestSenderHeldDelivery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := openStore(t)
	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(t, secret)
	p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{hook.Spec()}, WebhookSecret: secret}}
	if _, err := Register(ctx, st, nil, p, []store.Dependency{{Name: "x", Direct: true, File: "requirements.txt", Line: 1}}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1.0", "2.0"} {
		a, err := newAlert(Body{Project: "app", Dependency: "x", Version: v, Kind: KindMalicious, Summary: "x " + v + " is malicious", Advice: "remove it"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.AddAlert(ctx, a, []string{TargetID(hook.Spec())})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	hook.HoldNext(1)
	cfg := notify.Config{HTTP: http.DefaultClient, Timeout: 30 * time.Second}
	lease := 500 * time.Millisecond
	sctx, kill := context.WithCancel(ctx)
	first := &Sender{Store: st, Notify: cfg, Idle: 20 * time.Millisecond, Lease: lease}
	stopped := make(chan struct{})
	go func() { first.Run(sctx); close(stopped) }()
	if err := hook.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := hook.Wait(ctx, 1); err != nil || time.Since(start) > 5*time.Second {
		t.Fatalf("the other alert waited %v behind the held one (%v)", time.Since(start), err)
	}
	waitFor(t, func() bool { // the other one's attempt is recorded
		as, _ := st.Alerts(ctx, store.AlertFilter{Project: "app"})
		n := 0
		for _, a := range as {
			_, ds, _, _ := st.Alert(ctx, a.ID)
			for _, d := range ds {
				if d.State == store.DeliveryDelivered {
					n++
				}
			}
		}
		return n == 1
	})
	kill() // the sender stops mid-delivery: the held attempt is never recorded
	<-stopped
	second := &Sender{Store: st, Notify: cfg, Idle: 20 * time.Millisecond, Lease: lease}
	go second.Run(ctx)
	got, err := hook.Wait(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	var held *notifytest.Delivery
	waitFor(t, func() bool { // recorded when the receiver saw the sender go
		for _, d := range hook.Deliveries() {
			if d.Err != "" {
				held = &d
			}
		}
		return held != nil
	})
	if got[0].ID() == held.ID() || got[1].ID() != held.ID() {
		t.Errorf("accepted %q then %q, held %q; want the other alert, then the held one's webhook-id again", got[0].ID(), got[1].ID(), held.ID())
	}
}

// A re-send of a delivered alert reaches a receiver that drops repeated
// webhook-ids: it is sent under a new id.
func TestSenderResend(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st := openStore(t)
	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(t, secret)
	p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{hook.Spec()}, WebhookSecret: secret}}
	if _, err := Register(ctx, st, nil, p, []store.Dependency{{Name: "x", Direct: true, File: "requirements.txt", Line: 1}}); err != nil {
		t.Fatal(err)
	}
	a, err := newAlert(Body{Project: "app", Dependency: "x", Version: "1.0", Kind: KindMalicious, Summary: "x 1.0 is malicious", Advice: "remove it"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.AddAlert(ctx, a, []string{TargetID(hook.Spec())})
		return err
	})
	s := &Sender{Store: st, Notify: notify.Config{HTTP: http.DefaultClient, Timeout: 5 * time.Second}, Idle: 20 * time.Millisecond}
	go s.Run(ctx)
	first, err := hook.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		_, ds, _, _ := st.Alert(ctx, a.ID)
		return len(ds) == 1 && ds[0].State == store.DeliveryDelivered
	})
	if _, err := st.Resend(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	got, err := hook.Wait(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := first[0].ID() + "-resend-1"; got[1].ID() != want {
		t.Errorf("re-sent as %q, want %q", got[1].ID(), want)
	}
}
