package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
)

func webhookConfig(secret string) notify.Config {
	cfg := notify.DefaultConfig()
	cfg.HTTP = &http.Client{}
	cfg.WebhookSecret = secret
	cfg.Timeout = 5 * time.Second
	return cfg
}

func TestWebhookDelivered(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	target := mustParse(t, r.Spec())
	a := target.Send(context.Background(), webhookConfig(secret), alert())
	if !a.Delivered || a.Status != http.StatusNoContent || a.Error != "" || a.Permanent {
		t.Fatalf("attempt = %+v", a)
	}
	got := r.Accepted()
	if len(got) != 1 {
		t.Fatalf("%d deliveries accepted, want 1: %+v", len(got), r.Deliveries())
	}
	d := got[0]
	if d.ID() != "alert_42" || d.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", d.Header)
	}
	var env struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(d.Body, &env); err != nil {
		t.Fatal(err)
	}
	if env.Type != notify.TypeKnownMalicious || env.Timestamp != "2026-12-02T13:00:00Z" {
		t.Errorf("type, timestamp = %q, %q", env.Type, env.Timestamp)
	}
	want := map[string]any{
		"id": "alert_42", "type": "alert.known_malicious", "project": "web-shop", "package": "requestz", "version": "1.0",
		"summary":  "requestz 1.0 is known malicious (MAL-2026-1)",
		"reasons":  []any{map[string]any{"advisory": "MAL-2026-1"}},
		"declared": []any{map[string]any{"file": "requirements.txt", "line": float64(3)}},
		"advice":   "Remove requestz; you probably meant requests.",
	}
	if diff := cmp.Diff(want, env.Data); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
}

// TestWebhookRetryKeepsID: two attempts of one alert carry the same
// webhook-id and each its own timestamp and valid signature.
func TestWebhookRetryKeepsID(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	r.FailNext(1, http.StatusInternalServerError)
	target := mustParse(t, r.Spec())
	cfg := webhookConfig(secret)
	first := target.Send(context.Background(), cfg, alert())
	if first.Delivered || first.Permanent || first.Status != 500 || first.Error != "HTTP 500" {
		t.Fatalf("first attempt = %+v, want a retryable HTTP 500", first)
	}
	cfg.Now = func() time.Time { return time.Now().Add(2 * time.Second) }
	second := target.Send(context.Background(), cfg, alert())
	if !second.Delivered {
		t.Fatalf("second attempt = %+v", second)
	}
	all := r.Deliveries()
	if len(all) != 2 || all[0].ID() != "alert_42" || all[1].ID() != "alert_42" {
		t.Fatalf("deliveries = %+v", all)
	}
	if all[0].Header.Get(notify.HeaderTimestamp) == all[1].Header.Get(notify.HeaderTimestamp) {
		t.Error("both attempts have the same webhook-timestamp")
	}
	if err := notify.Verify(secret, all[0].Header, all[0].Body, time.Minute); err != nil {
		t.Errorf("first attempt's signature: %v", err)
	}
}

func TestWebhookRefused(t *testing.T) {
	secret := notify.GenerateSecret()
	tests := []struct {
		name      string
		status    int
		cfg       func(notify.Config) notify.Config
		wantErr   string
		permanent bool
	}{
		{"gone", http.StatusGone, nil, "HTTP 410 Gone", true},
		{"server error", http.StatusInternalServerError, nil, "HTTP 500", false},
		{"not found", http.StatusNotFound, nil, "HTTP 404", false},
		{"wrong secret", 0, func(c notify.Config) notify.Config { c.WebhookSecret = notify.GenerateSecret(); return c }, "HTTP 401", false},
		{"old timestamp", 0, func(c notify.Config) notify.Config {
			c.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
			return c
		}, "HTTP 401", false},
		{"no secret", 0, func(c notify.Config) notify.Config { c.WebhookSecret = ""; return c }, "invalid webhook secret", true},
		{"no client", 0, func(c notify.Config) notify.Config { c.HTTP = nil; return c }, "no HTTP client", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := notifytest.NewWebhookReceiver(t, secret)
			if tt.status != 0 {
				r.FailNext(1, tt.status)
			}
			cfg := webhookConfig(secret)
			if tt.cfg != nil {
				cfg = tt.cfg(cfg)
			}
			a := mustParse(t, r.Spec()).Send(context.Background(), cfg, alert())
			if a.Delivered || !strings.HasPrefix(a.Error, tt.wantErr) || a.Permanent != tt.permanent {
				t.Errorf("attempt = %+v, want error %q, permanent %v", a, tt.wantErr, tt.permanent)
			}
			if len(r.Accepted()) != 0 {
				t.Errorf("receiver accepted %+v", r.Accepted())
			}
		})
	}
}

// TestWebhookReceiverRejectsTampering: the receiver refuses a valid
// delivery whose body was changed on the way.
func TestWebhookReceiverRejectsTampering(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	body, err := notify.Body(alert())
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Now().Unix()
	sig, err := notify.Sign(secret, "alert_42", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(string(body), "requestz", "requests", 1)
	req, _ := http.NewRequest(http.MethodPost, r.Server.URL, strings.NewReader(tampered))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(notify.HeaderID, "alert_42")
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(notify.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	d := r.Deliveries()
	if resp.StatusCode != http.StatusUnauthorized || len(d) != 1 || !strings.Contains(d[0].Err, notify.ErrSignature.Error()) {
		t.Errorf("status %d, deliveries %+v", resp.StatusCode, d)
	}
}

// TestWebhookNoRedirect: a 3xx is a failed attempt; the redirect is not
// followed, even by a client that would follow it.
func TestWebhookNoRedirect(t *testing.T) {
	secret := notify.GenerateSecret()
	r := notifytest.NewWebhookReceiver(t, secret)
	redirect := httptest.NewServer(http.RedirectHandler(r.Server.URL+"/hook", http.StatusTemporaryRedirect))
	defer redirect.Close()
	a := mustParse(t, "webhook:"+redirect.URL+"/hook").Send(context.Background(), webhookConfig(secret), alert())
	if a.Delivered || a.Permanent || a.Status != http.StatusTemporaryRedirect || !strings.Contains(a.Error, "redirect not followed") {
		t.Errorf("attempt = %+v", a)
	}
	if n := len(r.Deliveries()); n != 0 {
		t.Errorf("the redirect was followed: %d deliveries", n)
	}
}

// TestWebhookAnswerCapped: a receiver's answer is cut at MaxResponse and
// its Retry-After is kept.
func TestWebhookAnswerCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(strings.Repeat("x", 1<<20)))
	}))
	defer srv.Close()
	a := mustParse(t, "webhook:"+srv.URL).Send(context.Background(), webhookConfig(notify.GenerateSecret()), alert())
	if a.Status != 429 || len(a.Response) != notify.MaxResponse || a.RetryAfter != 30*time.Second || a.Permanent {
		t.Errorf("attempt: status %d, %d bytes of answer, retry after %v, permanent %v", a.Status, len(a.Response), a.RetryAfter, a.Permanent)
	}
}

// TestWebhookTimeout: a receiver that never answers makes a retryable
// attempt within the timeout.
func TestWebhookTimeout(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-stop }))
	defer srv.Close()
	defer close(stop)
	cfg := webhookConfig(notify.GenerateSecret())
	cfg.Timeout = 200 * time.Millisecond
	a := mustParse(t, "webhook:"+srv.URL).Send(context.Background(), cfg, alert())
	if a.Delivered || a.Permanent || a.Error != "no answer within 200ms" || a.Duration < 200*time.Millisecond {
		t.Errorf("attempt = %+v", a)
	}
}

// TestErrorHidesURLToken: when the connection fails, the error names the
// redacted target, not the URL with its token.
func TestErrorHidesURLToken(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	for _, spec := range []string{"webhook:" + url + "/hooks/TOKEN123?key=TOKEN456"} {
		a := mustParse(t, spec).Send(context.Background(), webhookConfig(notify.GenerateSecret()), alert())
		if a.Delivered || a.Error == "" || strings.Contains(a.Error, "TOKEN") || strings.Contains(a.Target, "TOKEN") {
			t.Errorf("attempt = %+v", a)
		}
	}
}

func TestWebhookInvalidMessage(t *testing.T) {
	m := alert()
	m.ID = "has.dot"
	a := mustParse(t, "webhook:http://127.0.0.1:1/").Send(context.Background(), webhookConfig(notify.GenerateSecret()), m)
	if !a.Permanent || !strings.Contains(a.Error, notify.ErrMessage.Error()) {
		t.Errorf("attempt = %+v", a)
	}
	if !errors.Is(m.Check(), notify.ErrMessage) {
		t.Error("Check accepted it")
	}
}
