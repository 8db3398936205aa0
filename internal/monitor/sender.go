package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Sender works off the outbox: every pending delivery of every alert, to
// its target, retried on the Standard Webhooks schedule until delivered,
// refused for good (410 Gone) or out of retries. Every attempt is
// recorded. A webhook keeps the alert's ID as webhook-id across retries,
// so a receiver can drop a delivery it has seen.
type Sender struct {
	Store  *store.Store
	Notify notify.Config // HTTP client (with the address policy), timeouts; the secret is the project's
	// Idle is the pause when nothing is due; 250 ms if 0.
	Idle time.Duration
	// Lease is how long a delivery stays with a sender that stopped
	// renewing it (it was killed) before it is sent again; DefaultLease
	// if 0.
	Lease  time.Duration
	Logger *slog.Logger
	// OnAttempt, if set, is told of every attempt (metrics).
	OnAttempt func(scheme string, ok bool)
}

// sendConcurrency is how many deliveries a sender has in flight at once:
// a receiver that never answers holds one of them until the attempt's
// timeout, not the others.
const sendConcurrency = 8

// Run delivers until ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	idle := s.Idle
	if idle <= 0 {
		idle = time.Second / 4
	}
	lease := s.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	inFlight := make(chan struct{}, sendConcurrency)
	freed := make(chan struct{}, sendConcurrency)
	for ctx.Err() == nil {
		free := cap(inFlight) - len(inFlight)
		if free == 0 {
			select {
			case <-freed:
			case <-ctx.Done():
			}
			continue
		}
		ds, err := s.Store.ClaimDeliveries(ctx, free, lease)
		if err != nil && ctx.Err() == nil {
			s.logger().Error("outbox", "error", err)
		}
		for _, d := range ds {
			inFlight <- struct{}{}
			wg.Go(func() {
				defer func() {
					<-inFlight
					select {
					case freed <- struct{}{}:
					default:
					}
				}()
				claim := d // the renewals' own copy
				store.Hold(ctx, lease, s.logger(), "delivery of "+d.AlertID, func(ctx context.Context) (bool, error) {
					return s.Store.RenewDelivery(ctx, &claim, lease)
				}, func(ctx context.Context) error {
					s.deliver(ctx, d)
					return nil
				})
			})
		}
		if len(ds) == 0 {
			sleep(ctx, idle)
		}
	}
	return nil
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// deliver makes one attempt at a delivery and records it.
func (s *Sender) deliver(ctx context.Context, d store.Delivery) {
	log := s.logger()
	n := d.Attempts + 1
	fail := func(why string) {
		if err := s.Store.RecordAttempt(context.WithoutCancel(ctx), d, store.Attempt{N: n, At: time.Now(), Error: why}, store.DeliveryFailed, time.Now()); err != nil {
			log.Error("record delivery failure", "alert", d.AlertID, "error", err)
		}
		log.Error("delivery given up", "alert", d.AlertID, "target", d.Target, "why", why)
	}
	a, _, _, err := s.Store.Alert(ctx, d.AlertID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			fail("alert not found")
		}
		return
	}
	p, _, err := s.Store.Project(ctx, a.Project)
	if errors.Is(err, store.ErrNotFound) {
		fail("project no longer watched")
		return
	} else if err != nil {
		return
	}
	var target notify.Target
	for _, spec := range p.Options.Notify {
		if TargetID(spec) == d.Target {
			target, err = notify.Parse(spec)
			break
		}
	}
	if target == nil || err != nil {
		fail("target no longer configured")
		return
	}
	msg, err := Message(*a)
	if err != nil {
		fail("unreadable alert: " + err.Error())
		return
	}
	if d.Resends > 0 {
		// A re-send is a new message: receivers drop a webhook-id they
		// have seen. Its retries keep this id.
		msg.ID = fmt.Sprintf("%s-resend-%d", msg.ID, d.Resends)
	}
	cfg := s.Notify
	cfg.WebhookSecret = p.Options.WebhookSecret
	at := target.Send(ctx, cfg, msg)
	if ctx.Err() != nil && !at.Delivered {
		return // cut short (shutting down, or the lease was lost): sent again when the lease runs out
	}
	state, next := store.DeliveryPending, time.Now()
	switch {
	case at.Delivered:
		state = store.DeliveryDelivered
	case at.Permanent:
		state = store.DeliveryFailed
	default:
		delay, more := notify.NextDelay(n)
		if !more {
			state = store.DeliveryFailed
		}
		if at.RetryAfter > delay {
			delay = at.RetryAfter
		}
		next = next.Add(delay)
	}
	status := ""
	if at.Status != 0 {
		status = strconv.Itoa(at.Status)
	}
	rec := store.Attempt{N: n, At: at.Start, OK: at.Delivered, Status: status, Error: at.Error, Duration: at.Duration}
	switch err := s.Store.RecordAttempt(context.WithoutCancel(ctx), d, rec, state, next); {
	case errors.Is(err, store.ErrClaimLost):
		log.Info("delivery attempt not recorded: re-sent or taken over meanwhile", "alert", d.AlertID, "target", target.String(), "delivered", at.Delivered)
	case err != nil:
		log.Error("record delivery attempt", "alert", d.AlertID, "error", err)
	}
	if s.OnAttempt != nil {
		s.OnAttempt(target.Scheme(), at.Delivered)
	}
	log.Info("delivery", "alert", d.AlertID, "target", target.String(), "attempt", n, "delivered", at.Delivered, "status", at.Status, "state", state)
}

// messageTypes maps alert kinds to notification types.
var messageTypes = map[string]string{
	KindMalicious:      notify.TypeMalicious,
	KindSuspicious:     notify.TypeMalicious,
	KindKnownMalicious: notify.TypeKnownMalicious,
	KindYanked:         notify.TypeYanked,
	KindRemoved:        notify.TypeYanked,
	KindQuarantined:    notify.TypeQuarantined,
	KindTyposquat:      notify.TypeTyposquat,
}

// Message is the notification an alert sends.
func Message(a store.Alert) (notify.Message, error) {
	var b Body
	if err := json.Unmarshal(a.Body, &b); err != nil {
		return notify.Message{}, err
	}
	m := notify.Message{ID: a.ID, Type: messageTypes[a.Kind], Time: b.Time, Project: b.Project, Package: b.Dependency,
		Version: b.Version, Summary: b.Summary, Advice: b.Advice}
	if m.Type == "" {
		m.Type = notify.TypeMalicious
	}
	for _, f := range b.Reason.Findings {
		m.Reasons = append(m.Reasons, notify.Reason{Rule: f.Rule, Severity: f.Severity, File: f.File, Line: f.Line, Snippet: f.Snippet, Message: f.Message})
	}
	if b.Reason.Record != "" {
		m.Reasons = append(m.Reasons, notify.Reason{Advisory: b.Reason.Record, Message: b.Reason.Detail})
	} else if b.Reason.Detail != "" {
		m.Reasons = append(m.Reasons, notify.Reason{Message: b.Reason.Detail})
	}
	for _, l := range b.Declared {
		m.Declared = append(m.Declared, notify.Location{File: l.File, Line: l.Line})
	}
	return m, m.Check()
}
