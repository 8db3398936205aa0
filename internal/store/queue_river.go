package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// riverQueue is the job queue on PostgreSQL: River, over the store's own
// connection pool (its database/sql driver, which polls instead of
// listening), so that jobs are inserted and completed in the store's
// transactions.
type riverQueue struct {
	db     *sql.DB
	insert *river.Client[*sql.Tx] // inserts only; workers have their own client
}

// riverArgs is a job's arguments as River keeps them; the kind is the
// job's own, so River's tables and metrics show it. Uniqueness is by ID
// alone: the same news is one job.
type riverArgs struct {
	JobKind string `json:"kind"`
	ID      string `json:"id" river:"unique"`
	Payload string `json:"payload"`
}

// Kind is River's job kind: the job's.
func (a riverArgs) Kind() string { return a.JobKind }

// uniqueStates are the states in which a job's ID blocks the same ID
// from being enqueued again: all but those River cleans away, so a job
// that ran is not run again while River keeps its row (see
// CompletedJobRetentionPeriod).
var uniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCompleted, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// completedRetention is how long River keeps completed jobs; within it, the
// same job ID is not enqueued twice.
const completedRetention = 7 * 24 * time.Hour

// openRiver migrates River's tables in the store's schema and makes the
// insert-only client.
func openRiver(ctx context.Context, db *sql.DB) (*riverQueue, error) {
	driver := riverdatabasesql.New(db)
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return nil, fmt.Errorf("store: river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("store: river migrations: %w", err)
	}
	c, err := river.NewClient(driver, &river.Config{Logger: quietLogger(), CompletedJobRetentionPeriod: completedRetention})
	if err != nil {
		return nil, fmt.Errorf("store: river: %w", err)
	}
	return &riverQueue{db: db, insert: c}, nil
}

// quietLogger drops River's informational logs.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelError + 1}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// enqueue inserts jobs in tx, each in the queue named after its kind.
func (q *riverQueue) enqueue(ctx context.Context, tx *sql.Tx, jobs []Job) error {
	if len(jobs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		opts := &river.InsertOpts{Queue: j.Kind, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}}
		if !j.RunAt.IsZero() {
			opts.ScheduledAt = j.RunAt
		}
		params[i] = river.InsertManyParams{Args: riverArgs{JobKind: j.Kind, ID: j.ID, Payload: j.Payload}, InsertOpts: opts}
	}
	if _, err := q.insert.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("store: enqueue: %w", err)
	}
	return nil
}

// riverWorker runs River jobs of one kind with a Handler.
type riverWorker struct {
	river.WorkerDefaults[riverArgs]
	o WorkOptions
	h Handler
}

// Timeout is the options' bound on one run.
func (w *riverWorker) Timeout(*river.Job[riverArgs]) time.Duration { return w.o.Timeout }

// NextRetry is the options' schedule.
func (w *riverWorker) NextRetry(j *river.Job[riverArgs]) time.Time {
	return time.Now().Add(w.o.Retry(j.Attempt))
}

// Work runs the handler on the job.
func (w *riverWorker) Work(ctx context.Context, rj *river.Job[riverArgs]) error {
	j := &Job{ID: rj.Args.ID, Kind: rj.Args.JobKind, Payload: rj.Args.Payload, Attempts: rj.Attempt, RunAt: rj.ScheduledAt, river: rj}
	if n := len(rj.Errors); n > 0 {
		j.LastError = rj.Errors[n-1].Error
	}
	err := w.h(ctx, j)
	if err != nil && rj.Attempt < rj.MaxAttempts {
		w.o.Logger.Warn("job failed; will retry", "job", j.ID, "attempt", rj.Attempt, "error", err)
	} else if err != nil {
		w.o.Logger.Error("job failed for good", "job", j.ID, "attempts", rj.Attempt, "error", err)
	}
	return err
}

// workRiver runs a River client with one queue per kind, o.Workers
// workers each, until ctx ends.
//
// River's own rescuer takes a running job back only once its timeout has
// passed since its attempt started: a scan's timeout is minutes, too long
// to leave the job of a killed process waiting. So this process renews
// the attempt time of its running jobs every third of o.Lease, and one
// process of those sharing the store (Lead "rescuer") makes the running
// jobs whose attempt time is older than two leases available again: their
// process stopped renewing them (rescueLoop). River's rescuer stays as the
// backstop.
func (s *Store) workRiver(ctx context.Context, o WorkOptions, h Handler) error {
	workers := river.NewWorkers()
	queues := map[string]river.QueueConfig{}
	for _, kind := range o.Kinds {
		river.AddWorkerArgs(workers, riverArgs{JobKind: kind}, &riverWorker{o: o, h: h})
		queues[kind] = river.QueueConfig{MaxWorkers: o.Workers}
	}
	poll := max(o.Idle, 50*time.Millisecond)
	client, err := river.NewClient(riverdatabasesql.New(s.db), &river.Config{
		ID:                          o.Worker,
		Queues:                      queues,
		Workers:                     workers,
		JobTimeout:                  o.Timeout,
		RescueStuckJobsAfter:        o.Timeout + time.Minute,
		MaxAttempts:                 o.MaxAttempts,
		FetchPollInterval:           poll,
		FetchCooldown:               2 * time.Millisecond, // a freed worker fetches its next job at once (River's default waits 100 ms)
		CompletedJobRetentionPeriod: completedRetention,
		Logger:                      quietLogger(),
	})
	if err != nil {
		return fmt.Errorf("store: river: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("store: river: %w", err)
	}
	var bg sync.WaitGroup
	bg.Go(func() {
		s.Lead(ctx, "rescuer", o.Logger, nil, func(ctx context.Context) error { return s.rescueLoop(ctx, o) })
	})
	// The heartbeat goes on until the client has stopped, so that jobs
	// winding down are not taken for those of a dead process.
	beating, stopBeat := context.WithCancel(context.WithoutCancel(ctx))
	bg.Go(func() {
		beat := time.NewTicker(o.Lease / 3)
		defer beat.Stop()
		for {
			select {
			case <-beating.Done():
				return
			case <-beat.C:
			}
			if _, err := s.db.ExecContext(beating, `UPDATE river_job SET attempted_at = now()
				WHERE state = 'running' AND attempted_by[cardinality(attempted_by)] = $1`, o.Worker); err != nil && beating.Err() == nil {
				o.Logger.Warn("renew running jobs", "error", err)
			}
		}
	})
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = client.StopAndCancel(stop)
	stopBeat()
	bg.Wait()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("store: river stop: %w", err)
	}
	return nil
}

// rescueLoop makes the running jobs of processes that stopped renewing
// them for two leases available again (or discards them after their last
// attempt: a job whose runs end with their process), every third of the
// lease, recording why in the job's errors as River's rescuer does. A
// rescued job keeps its place in the queue: it runs next, not behind a
// backlog that came after it. Should a process that was only stalled come
// back, its run cannot complete the job (Tx.Complete checks the attempt)
// and its effect, which is idempotent, does no harm. Every process sharing
// a store must use the same lease.
func (s *Store) rescueLoop(ctx context.Context, o WorkOptions) error {
	t := time.NewTicker(o.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		res, err := s.db.ExecContext(ctx, `UPDATE river_job SET
				state = CASE WHEN attempt >= max_attempts THEN 'discarded'::river_job_state ELSE 'available'::river_job_state END,
				finalized_at = CASE WHEN attempt >= max_attempts THEN now() END,
				errors = array_append(errors, jsonb_build_object('at', now(), 'attempt', attempt,
					'error', 'rescued: the process running it stopped renewing it (it died?)', 'trace', ''))
			WHERE state = 'running' AND attempted_at < now() - make_interval(secs => $1)`,
			2*o.Lease.Seconds())
		if err != nil {
			if ctx.Err() == nil {
				o.Logger.Warn("rescue jobs", "error", err)
			}
			continue
		}
		if n, _ := res.RowsAffected(); n > 0 {
			o.Logger.Warn("rescued jobs of a process that stopped renewing them", "jobs", n)
		}
	}
}
