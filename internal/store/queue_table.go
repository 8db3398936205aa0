package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// workTable runs jobs from the jobs table: each of o.Workers loops claim,
// run under a renewed lease, complete or retry.
func (s *Store) workTable(ctx context.Context, o WorkOptions, h Handler) error {
	var wg sync.WaitGroup
	for i := range o.Workers {
		id := fmt.Sprintf("%s/%d", o.Worker, i)
		wg.Go(func() { s.tableLoop(ctx, id, o, h) })
	}
	wg.Wait()
	return nil
}

func (s *Store) tableLoop(ctx context.Context, worker string, o WorkOptions, h Handler) {
	log := o.Logger
	for ctx.Err() == nil {
		j, err := s.Claim(ctx, worker, o.Kinds, o.Lease)
		if err != nil && ctx.Err() == nil {
			log.Error("claim a job", "error", err)
		}
		if j == nil {
			pause(ctx, o.Idle)
			continue
		}
		if j.Attempts > o.MaxAttempts {
			// Claimed again after its lease ran out more often than it
			// may fail: its runs end with their process (a file that
			// crashes or exhausts it). Given up, not run again.
			err := fmt.Errorf("given up after %d runs that ended with their process (last error: %s)", j.Attempts-1, j.LastError)
			log.Error("job failed for good", "job", j.ID, "error", err)
			if rerr := s.retry(context.WithoutCancel(ctx), j, err, time.Time{}); rerr != nil {
				log.Error("record job failure", "job", j.ID, "error", rerr)
			}
			continue
		}
		jctx, cancel := context.WithTimeout(ctx, o.Timeout)
		err = Hold(jctx, o.Lease, log, j.ID, func(ctx context.Context) (bool, error) {
			return s.Renew(ctx, j.ID, worker, o.Lease)
		}, func(ctx context.Context) error { return h(ctx, j) })
		cancel()
		switch {
		case err == nil:
			done := context.WithoutCancel(ctx)
			if err := s.InTx(done, func(tx *Tx) error { return tx.Complete(done, j) }); err != nil {
				log.Error("complete a job", "job", j.ID, "error", err)
			}
			continue
		case ctx.Err() != nil || errors.Is(err, ErrLeaseLost):
			continue // cut short by shutdown: run again when its lease ends; lost: another process has it
		}
		next := time.Now().Add(o.Retry(j.Attempts))
		if j.Attempts >= o.MaxAttempts {
			next = time.Time{}
			log.Error("job failed for good", "job", j.ID, "attempts", j.Attempts, "error", err)
		} else {
			log.Warn("job failed; will retry", "job", j.ID, "attempt", j.Attempts, "error", err, "at", next.Format(time.RFC3339))
		}
		if rerr := s.retry(context.WithoutCancel(ctx), j, err, next); rerr != nil {
			log.Error("record job failure", "job", j.ID, "error", rerr)
		}
	}
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
