package monitor

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// DefaultLease is how long a claimed job or delivery stays with a process
// that stopped renewing it (it was killed) before another takes it. A
// live process renews its claims every third of it, however long the work
// takes, so it bounds recovery after a crash, not the work.
const DefaultLease = 30 * time.Second

// errLeaseLost cancels work whose claim another process took over.
var errLeaseLost = errors.New("lease lost: another process took the work over")

// holding runs fn while renewing its lease every lease/3 with renew. When
// renew reports the claim lost, fn's context is cancelled with
// errLeaseLost (as its cause); a renewal that fails (the store is
// unreachable) is logged and tried again at the next tick.
func holding(ctx context.Context, lease time.Duration, log *slog.Logger, what string, renew func(context.Context) (bool, error), fn func(context.Context) error) error {
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
				cancel(errLeaseLost)
				return
			}
		}
	}()
	err := fn(ctx)
	close(stop)
	<-done
	if c := context.Cause(ctx); errors.Is(c, errLeaseLost) {
		return errLeaseLost
	}
	return err
}
