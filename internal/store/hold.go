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
// claim lost, or renewals have failed (the store is unreachable) for so
// long that the lease may have run out, fn's context is cancelled and
// Hold returns ErrLeaseLost: another process may be doing the work.
func Hold(ctx context.Context, lease time.Duration, log *slog.Logger, what string, renew func(context.Context) (bool, error), fn func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		every := max(lease/3, time.Millisecond)
		t := time.NewTicker(every)
		defer t.Stop()
		lastOK := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rctx, rcancel := context.WithTimeout(ctx, every)
			ok, err := renew(rctx)
			rcancel()
			switch {
			case ctx.Err() != nil:
				return
			case err == nil && ok:
				lastOK = time.Now()
			case err == nil:
				log.Warn("lease lost", "work", what)
				cancel(ErrLeaseLost)
				return
			case time.Since(lastOK) >= lease-every:
				log.Warn("lease may have run out: the store did not answer", "work", what, "error", err)
				cancel(ErrLeaseLost)
				return
			default:
				log.Warn("renew lease", "work", what, "error", err)
			}
		}
	}()
	err := fn(ctx)
	lost := errors.Is(context.Cause(ctx), ErrLeaseLost)
	cancel(nil)
	<-done
	if lost {
		return ErrLeaseLost
	}
	return err
}
