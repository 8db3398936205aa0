package store

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// ErrLeaseLost cancels work whose claim another process took over.
var ErrLeaseLost = errors.New("lease lost: another process took the work over")

// Hold runs fn while renewing its lease every lease/3 with renew, so that
// work outlives its lease as long as its process lives, and a process
// that dies leaves it to others within one lease. When renew reports the
// claim lost, fn's context is cancelled and Hold returns ErrLeaseLost; a
// renewal that fails (the store is unreachable) is logged and tried again
// at the next tick.
func Hold(ctx context.Context, lease time.Duration, log *slog.Logger, what string, renew func(context.Context) (bool, error), fn func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			ok, err := renew(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("renew lease", "work", what, "error", err)
			case err == nil && !ok:
				log.Warn("lease lost", "work", what)
				cancel(ErrLeaseLost)
				return
			}
		}
	}()
	err := fn(ctx)
	close(stop)
	<-done
	if errors.Is(context.Cause(ctx), ErrLeaseLost) {
		return ErrLeaseLost
	}
	return err
}
