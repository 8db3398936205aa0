package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
)

// Job is one unit of work in the durable queue. A job is delivered at
// least once: its effect must be idempotent. Its ID is its key: enqueuing
// an ID that exists already does nothing, so the same upload seen twice
// is one job.
type Job struct {
	ID       string
	Kind     string // what runs it: "scan", "match", ...
	Payload  string // JSON, the kind's own
	Attempts int    // including the one being run
	RunAt    time.Time
	// LastError is the error of the previous attempt, if any.
	LastError string

	river  *river.Job[riverArgs] // the River job being run, on River
	holder string                // the jobs table's lease holder that claimed it
}

// Job states.
const (
	JobAvailable = "available"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed" // gave up after its attempts
)

// jobStates maps the states of both engines to the store's.
var jobStates = map[string]string{
	JobAvailable: JobAvailable, JobRunning: JobRunning, JobDone: JobDone, JobFailed: JobFailed,
	"completed": JobDone, "discarded": JobFailed, "cancelled": JobFailed,
	"retryable": JobAvailable, "scheduled": JobAvailable, "pending": JobAvailable,
}

// Enqueue adds jobs in the transaction, skipping IDs already there.
func (t *Tx) Enqueue(ctx context.Context, jobs ...Job) error {
	if t.s.river != nil {
		return t.s.river.enqueue(ctx, t.tx, jobs)
	}
	now := millis(time.Now())
	for _, j := range jobs {
		runAt := now
		if !j.RunAt.IsZero() {
			runAt = millis(j.RunAt)
		}
		_, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO jobs (id, kind, payload, state, attempts, run_at, locked_until, locked_by, last_error, created_at, done_at)
			VALUES (?, ?, ?, ?, 0, ?, 0, '', '', ?, 0) ON CONFLICT (id) DO NOTHING`),
			j.ID, j.Kind, j.Payload, JobAvailable, runAt, now)
		if err != nil {
			return fmt.Errorf("store: enqueue %s: %w", j.ID, err)
		}
	}
	return nil
}

// Enqueue adds jobs on their own.
func (s *Store) Enqueue(ctx context.Context, jobs ...Job) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, jobs...) })
}

// Claim takes the next job that is due, of one of kinds, for worker, with
// a lease: a job whose worker died is taken again once its lease has run
// out. It returns nil, nil when none is due.
func (s *Store) Claim(ctx context.Context, worker string, kinds []string, lease time.Duration) (*Job, error) {
	if len(kinds) == 0 {
		return nil, errors.New("store: claim of no kinds")
	}
	now := time.Now()
	args := []any{JobAvailable, millis(now), JobRunning, millis(now)}
	in := ""
	for i, k := range kinds {
		if i > 0 {
			in += ", "
		}
		in += "?"
		args = append(args, k)
	}
	pick := `SELECT id FROM jobs WHERE ((state = ? AND run_at <= ?) OR (state = ? AND locked_until < ?)) AND kind IN (` + in + `) ORDER BY run_at, id LIMIT 1`
	if s.postgres {
		pick += ` FOR UPDATE SKIP LOCKED`
	}
	var j Job
	var runAt int64
	err := s.InTx(ctx, func(tx *Tx) error {
		var id string
		if err := tx.tx.QueryRowContext(ctx, s.q(pick), args...).Scan(&id); err != nil {
			return err
		}
		return tx.tx.QueryRowContext(ctx, s.q(`UPDATE jobs SET state = ?, attempts = attempts + 1, locked_until = ?, locked_by = ?
			WHERE id = ? RETURNING id, kind, payload, attempts, run_at, last_error`),
			JobRunning, millis(now.Add(lease)), worker, id).Scan(&j.ID, &j.Kind, &j.Payload, &j.Attempts, &runAt, &j.LastError)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: claim: %w", err)
	}
	j.RunAt = fromMillis(runAt)
	j.holder = worker
	return &j, nil
}

// Renew extends worker's lease on a running job to lease from now. It
// reports false when the job is no longer the worker's: its lease ran out
// and another worker took it, or it is finished.
func (s *Store) Renew(ctx context.Context, id, worker string, lease time.Duration) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET locked_until = ? WHERE id = ? AND state = ? AND locked_by = ?`),
		millis(time.Now().Add(lease)), id, JobRunning, worker)
	if err != nil {
		return false, fmt.Errorf("store: renew %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Complete marks a job done, in the transaction that records its effect.
// A job that is no longer its runner's (another process took it over, as
// when this one stopped renewing it) is left as it is: its effect, which
// is idempotent, is committed all the same, and the run that holds it now
// completes it.
func (t *Tx) Complete(ctx context.Context, j *Job) error {
	if j.river != nil {
		// Only the attempt that holds the job may complete it: River's own
		// check is that the job is running, whichever attempt runs it.
		var id int64
		err := t.tx.QueryRowContext(ctx, `SELECT id FROM river_job WHERE id = $1 AND state = 'running' AND attempt = $2
			AND attempted_by[cardinality(attempted_by)] = $3 FOR UPDATE`, j.river.ID, j.river.Attempt, lastOf(j.river.AttemptedBy)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: complete %s: %w", j.ID, err)
		}
		if _, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, t.tx, j.river); err != nil {
			return fmt.Errorf("store: complete %s: %w", j.ID, err)
		}
		return nil
	}
	_, err := t.tx.ExecContext(ctx, t.s.q(`UPDATE jobs SET state = ?, done_at = ?, locked_until = 0 WHERE id = ? AND (? = '' OR state = ? AND locked_by = ?)`),
		JobDone, millis(time.Now()), j.ID, j.holder, JobRunning, j.holder)
	if err != nil {
		return fmt.Errorf("store: complete %s: %w", j.ID, err)
	}
	return nil
}

func lastOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// Retry puts a job back to run again at runAt after an error; with a zero
// runAt it gives up on the job (state failed).
func (s *Store) Retry(ctx context.Context, id string, cause error, runAt time.Time) error {
	return s.retry(ctx, &Job{ID: id}, cause, runAt)
}

// retry is Retry of a claimed job: nothing happens when the job is no
// longer its claimer's.
func (s *Store) retry(ctx context.Context, j *Job, cause error, runAt time.Time) error {
	state, at, done := JobAvailable, millis(runAt), int64(0)
	if runAt.IsZero() {
		state, at, done = JobFailed, 0, millis(time.Now())
	}
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET state = ?, run_at = ?, locked_until = 0, last_error = ?, done_at = ?
		WHERE id = ? AND (? = '' OR state = ? AND locked_by = ?)`),
		state, at, cause.Error(), done, j.ID, j.holder, JobRunning, j.holder)
	if err != nil {
		return fmt.Errorf("store: retry %s: %w", j.ID, err)
	}
	return nil
}

// JobCounts counts jobs by kind and state, for metrics and the dashboard.
func (s *Store) JobCounts(ctx context.Context) (map[[2]string]int, error) {
	query := `SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state`
	if s.river != nil {
		query = `SELECT kind, state::text, COUNT(*) FROM river_job GROUP BY kind, state`
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	out := map[[2]string]int{}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, err
		}
		out[[2]string{kind, jobStates[state]}] += n
	}
	return out, rows.Err()
}
