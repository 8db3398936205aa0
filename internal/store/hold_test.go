package store

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// Work outlives its lease while the lease is renewed; it is cancelled, and
// reports ErrLeaseLost, once a renewal says another process has it.
func TestHold(t *testing.T) {
	ctx := context.Background()
	var renewals atomic.Int32
	err := Hold(ctx, 30*time.Millisecond, slog.Default(), "long", func(context.Context) (bool, error) {
		renewals.Add(1)
		return true, nil
	}, func(ctx context.Context) error {
		select {
		case <-time.After(200 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if err != nil || renewals.Load() < 3 {
		t.Errorf("renewed work: %v after %d renewals, want nil after several", err, renewals.Load())
	}

	err = Hold(ctx, 30*time.Millisecond, slog.Default(), "taken", func(context.Context) (bool, error) {
		return false, nil
	}, func(ctx context.Context) error {
		select {
		case <-time.After(5 * time.Second):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if !errors.Is(err, ErrLeaseLost) {
		t.Errorf("work whose lease was taken: %v, want ErrLeaseLost", err)
	}

	// One failed renewal is weathered; renewals failing for a lease mean
	// the lease may be gone: the work stops.
	var calls atomic.Int32
	err = Hold(ctx, 60*time.Millisecond, slog.Default(), "flaky store", func(context.Context) (bool, error) {
		if calls.Add(1) == 1 {
			return false, errors.New("connection refused")
		}
		return true, nil
	}, func(ctx context.Context) error {
		select {
		case <-time.After(200 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if err != nil {
		t.Errorf("work whose renewal failed once: %v, want it to go on", err)
	}
	err = Hold(ctx, 60*time.Millisecond, slog.Default(), "store gone", func(context.Context) (bool, error) {
		return false, errors.New("connection refused")
	}, func(ctx context.Context) error {
		select {
		case <-time.After(5 * time.Second):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if !errors.Is(err, ErrLeaseLost) {
		t.Errorf("work whose renewals failed for a lease: %v, want ErrLeaseLost", err)
	}
}
