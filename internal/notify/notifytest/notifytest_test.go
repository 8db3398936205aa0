package notifytest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
)

func message(id string) notify.Message {
	return notify.Message{ID: id, Type: notify.TypeTest, Time: time.Now(), Project: "p", Package: "x"}
}

// TestWebhookReceiver: FailNext answers the next N with the status,
// then deliveries are verified and accepted; Wait returns once enough
// are accepted and says how many when it times out.
func TestWebhookReceiver(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	r.FailNext(2, http.StatusServiceUnavailable)
	target, err := notify.Parse(r.Spec())
	if err != nil {
		t.Fatal(err)
	}
	cfg := notify.DefaultConfig()
	cfg.HTTP, cfg.WebhookSecret = &http.Client{}, secret
	var statuses []int
	for _, id := range []string{"a", "a", "a", "b"} {
		statuses = append(statuses, target.Send(context.Background(), cfg, message(id)).Status)
	}
	if got := statuses; got[0] != 503 || got[1] != 503 || got[2] != 204 || got[3] != 204 {
		t.Errorf("statuses = %v", got)
	}
	got, err := r.Wait(context.Background(), 2)
	if err != nil || len(got) != 2 || got[0].ID() != "a" || got[1].ID() != "b" {
		t.Errorf("Wait = %+v, %v", got, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := r.Wait(ctx, 3); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "2 of 3") {
		t.Errorf("Wait(3) = %v", err)
	}
}

// A held request is never answered: the sender's attempt times out, the
// request is recorded as refused, and the next one is accepted.
func TestWebhookReceiverHolds(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	r.HoldNext(1)
	target, _ := notify.Parse(r.Spec())
	cfg := notify.DefaultConfig()
	cfg.HTTP, cfg.WebhookSecret, cfg.Timeout = &http.Client{}, secret, 200*time.Millisecond
	done := make(chan notify.Attempt)
	go func() { done <- target.Send(context.Background(), cfg, message("a")) }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.WaitHeld(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if a := <-done; a.Delivered || a.Status != 0 {
		t.Errorf("held attempt: %+v, want no answer", a)
	}
	if a := target.Send(context.Background(), cfg, message("a")); !a.Delivered {
		t.Errorf("retry: %+v", a)
	}
	got, err := r.Wait(ctx, 1)
	for ctx.Err() == nil && len(r.Deliveries()) < 2 { // the held one is recorded when the server sees the close
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil || len(got) != 1 || len(r.Deliveries()) != 2 || r.Deliveries()[0].Err == "" && r.Deliveries()[1].Err == "" {
		t.Errorf("accepted %+v (%v), all %+v; want the retry only", got, err, r.Deliveries())
	}
}

// TestSMTPReceiverRequiresAuth: with credentials set, mail without a
// login is refused (go-smtp answers 502 "Please authenticate first").
func TestSMTPReceiverRequiresAuth(t *testing.T) {
	r := notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{User: "u", Password: "p"})
	spec := strings.Replace(r.Spec("a@example.com", "b@example.com"), "u:p@", "", 1)
	target, err := notify.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	a := target.Send(context.Background(), notify.DefaultConfig(), message("c"))
	if a.Delivered || a.Status != 502 || !a.Permanent || len(r.Mails()) != 0 {
		t.Errorf("attempt = %+v", a)
	}
}
