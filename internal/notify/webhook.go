package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// webhook POSTs the message as Standard Webhooks JSON, signed.
type webhook struct{ httpTarget }

func parseWebhook(spec string) (Target, error) {
	h, err := parseHTTPTarget(spec, "https", "http")
	if err != nil {
		return nil, err
	}
	return &webhook{h}, nil
}

func (w *webhook) Scheme() string { return "webhook" }
func (w *webhook) String() string { return "webhook:" + redactURL(w.url) }

// Envelope is the body of a webhook: the Standard Webhooks payload shape.
type Envelope struct {
	Type      string  `json:"type"`
	Timestamp string  `json:"timestamp"` // RFC 3339, UTC: when the event happened
	Data      Message `json:"data"`
}

// Body returns the JSON body a webhook carries for m.
func Body(m Message) ([]byte, error) {
	return json.Marshal(Envelope{Type: m.Type, Timestamp: m.Time.UTC().Format(time.RFC3339), Data: m})
}

// Send POSTs m signed with cfg.WebhookSecret. The webhook-id is m.ID, so
// every retry of one alert carries the same id; the webhook-timestamp is
// the time of this attempt.
func (w *webhook) Send(ctx context.Context, cfg Config, m Message) Attempt {
	if err := m.Check(); err != nil {
		return failed(w, cfg, err)
	}
	body, err := Body(m)
	if err != nil {
		return failed(w, cfg, err)
	}
	ts := cfg.now().Unix()
	sig, err := Sign(cfg.WebhookSecret, m.ID, ts, body)
	if err != nil {
		return failed(w, cfg, err)
	}
	h := http.Header{}
	h.Set(HeaderID, m.ID)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, sig)
	return post(ctx, cfg, w, w.url, h, body)
}
