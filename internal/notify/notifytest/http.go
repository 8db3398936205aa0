package notifytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/notify"
)

// Delivery is one request an HTTPReceiver got.
type Delivery struct {
	Header http.Header
	Body   []byte
	// Status is what the receiver answered.
	Status int
	// Err says why the receiver refused the request (a bad signature, a
	// failure it was told to answer); empty when it accepted it.
	Err string
}

// ID is the request's webhook-id.
func (d Delivery) ID() string { return d.Header.Get(notify.HeaderID) }

// HTTPReceiver is a real HTTP server that receives webhook or Slack
// deliveries and records them.
type HTTPReceiver struct {
	// Server is the running server; Server.Client() trusts its TLS
	// certificate.
	Server *httptest.Server
	scheme string
	secret string

	mu         sync.Mutex
	deliveries []Delivery
	failures   []int
	holds      int // requests still to hold
	held       int // requests held so far
	changed    chan struct{}
}

// maxBody caps what the receiver reads of a request.
const maxBody = 1 << 20

// NewWebhookReceiver starts an HTTP receiver that verifies every request
// with notify.Verify against secret (tolerance notify.DefaultTolerance):
// it answers 204 to a valid one and 401 to one that fails. It stops when
// the test ends.
func NewWebhookReceiver(tb testing.TB, secret string) *HTTPReceiver {
	r := &HTTPReceiver{scheme: "webhook", secret: secret, changed: make(chan struct{})}
	r.Server = httptest.NewServer(r)
	tb.Cleanup(r.Server.Close)
	return r
}

// NewSlackReceiver starts an HTTPS receiver (Slack targets must be https)
// that accepts any JSON POST with 200 "ok", as Slack does. Send with
// Server.Client(), which trusts its certificate.
func NewSlackReceiver(tb testing.TB) *HTTPReceiver {
	r := &HTTPReceiver{scheme: "slack", changed: make(chan struct{})}
	r.Server = httptest.NewTLSServer(r)
	tb.Cleanup(r.Server.Close)
	return r
}

// Spec is the notification target spec of the receiver:
// "webhook:http://127.0.0.1:PORT/hook" or "slack:https://.../hook".
func (r *HTTPReceiver) Spec() string { return r.scheme + ":" + r.Server.URL + "/hook" }

// FailNext makes the receiver answer status to the next n requests,
// before checking them.
func (r *HTTPReceiver) FailNext(n, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range n {
		r.failures = append(r.failures, status)
	}
}

// HoldNext makes the receiver hold the next n requests: read them, then
// never answer, until the sender gives up on the request or goes away
// (it was killed mid-delivery). A held request is recorded as refused.
func (r *HTTPReceiver) HoldNext(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.holds += n
}

// WaitHeld returns once n requests have been held, or an error when ctx
// ends first.
func (r *HTTPReceiver) WaitHeld(ctx context.Context, n int) error {
	for {
		r.mu.Lock()
		changed, held := r.changed, r.held
		r.mu.Unlock()
		if held >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("%d of %d requests held: %w", held, n, ctx.Err())
		}
	}
}

// notify wakes the waiters; r.mu is held.
func (r *HTTPReceiver) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// ServeHTTP receives one delivery.
func (r *HTTPReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	d := Delivery{Header: req.Header.Clone(), Body: body, Status: http.StatusNoContent}
	if r.scheme == "slack" {
		d.Status = http.StatusOK
	}
	r.mu.Lock()
	if r.holds > 0 {
		r.holds--
		r.held++
		r.notify()
		r.mu.Unlock()
		<-req.Context().Done() // the sender went away
		d.Status, d.Err = 0, "held: the sender went away before an answer"
		r.mu.Lock()
		r.deliveries = append(r.deliveries, d)
		r.notify()
		r.mu.Unlock()
		return
	}
	switch {
	case len(r.failures) > 0:
		d.Status, d.Err = r.failures[0], "told to fail"
		r.failures = r.failures[1:]
	case err != nil:
		d.Status, d.Err = http.StatusRequestEntityTooLarge, err.Error()
	case req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json":
		d.Status, d.Err = http.StatusBadRequest, fmt.Sprintf("want a JSON POST, got %s %q", req.Method, req.Header.Get("Content-Type"))
	case r.secret != "":
		if err := notify.Verify(r.secret, req.Header, body, notify.DefaultTolerance); err != nil {
			d.Status, d.Err = http.StatusUnauthorized, err.Error()
		}
	}
	r.deliveries = append(r.deliveries, d)
	r.notify()
	r.mu.Unlock()
	w.WriteHeader(d.Status)
	if d.Status == http.StatusOK {
		io.WriteString(w, "ok")
	} else if d.Err != "" {
		io.WriteString(w, d.Err)
	}
}

// Deliveries returns every request received so far, in order.
func (r *HTTPReceiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.deliveries...)
}

// Accepted returns the requests the receiver accepted, in order.
func (r *HTTPReceiver) Accepted() []Delivery {
	var out []Delivery
	for _, d := range r.Deliveries() {
		if d.Err == "" {
			out = append(out, d)
		}
	}
	return out
}

// Wait returns the accepted deliveries once there are at least n, or an
// error when ctx ends first.
func (r *HTTPReceiver) Wait(ctx context.Context, n int) ([]Delivery, error) {
	for {
		r.mu.Lock()
		changed := r.changed
		r.mu.Unlock()
		if got := r.Accepted(); len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return r.Accepted(), fmt.Errorf("%d of %d deliveries accepted: %w", len(r.Accepted()), n, ctx.Err())
		}
	}
}
