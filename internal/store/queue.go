package store

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// The job queue has two engines behind one interface: on PostgreSQL,
// River (riverqueue/river), which several processes share; on SQLite, the
// jobs table of one process. Either way a job is enqueued in the
// transaction that records why (Tx.Enqueue), its ID makes the same news
// one job, it is run at least once (Work), and its effect is committed
// together with its completion (Tx.Complete).

// WorkOptions configure Work.
type WorkOptions struct {
	// Worker names this process's claims: the lease holder in the jobs
	// table, River's client ID.
	Worker string
	// Kinds are the kinds of jobs to run; Workers how many run at once.
	Kinds   []string
	Workers int
	// Lease is how soon a job of a process that died is run again; a
	// live process renews the claims on its running jobs every third of
	// it.
	Lease time.Duration
	// Timeout bounds one run of a job.
	Timeout time.Duration
	// MaxAttempts is how often a failing job is run before it is given
	// up; Retry is the pause before attempt n+1 after n failed.
	MaxAttempts int
	Retry       func(n int) time.Duration
	// Idle is the pause when no job is due (jobs table; River polls
	// every Idle too); 250 ms if 0.
	Idle   time.Duration
	Logger *slog.Logger
}

// Handler runs one job. It should complete the job (Tx.Complete) in the
// transaction that records its effect; a job whose handler returns nil
// is completed in any case, and one whose handler fails is retried.
type Handler func(ctx context.Context, j *Job) error

// Work runs jobs with h until ctx ends, then waits for the running ones.
func (s *Store) Work(ctx context.Context, o WorkOptions, h Handler) error {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Idle <= 0 {
		o.Idle = time.Second / 4
	}
	if o.Lease <= 0 || o.Timeout <= 0 || o.MaxAttempts <= 0 || o.Retry == nil {
		return errors.New("store: work: lease, timeout, attempts and retry must be set")
	}
	if s.river != nil {
		return s.workRiver(ctx, o, h)
	}
	return s.workTable(ctx, o, h)
}

// QueueEngine names the queue's engine: "river" or "table".
func (s *Store) QueueEngine() string {
	if s.river != nil {
		return "river"
	}
	return "table"
}
