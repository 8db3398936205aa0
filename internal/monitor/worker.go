package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/scan"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// Index is what a worker asks PyPI: a release's files, and a file's
// bytes; *pypi.Client is one.
type Index interface {
	Release(ctx context.Context, name, version string) (*pypi.Release, error)
	Download(ctx context.Context, f pypi.File, w io.Writer) (pypi.Downloaded, error)
}

// Worker runs jobs: it fetches and scans new files and matches what it
// learns against the watched projects.
type Worker struct {
	Store *store.Store
	Index Index
	// Scan is the scan pipeline's configuration (the known-malicious
	// database in Scan.Known).
	Scan scan.Config
	// ScanAll scans every new file; otherwise only files of watched names
	// and of names that imitate one.
	ScanAll bool
	// Engine names the analysis in stored verdicts.
	Engine string
	// ID names the process's workers in job leases; unique per process.
	ID string
	// Workers is how many jobs run at once; one if 0.
	Workers int
	// Lease is how long a job stays with a worker that stopped renewing
	// it before another may take it; renewed every third of it while the
	// job runs. DefaultLease if 0.
	Lease time.Duration
	// Timeout bounds one job: download and scan. DefaultTimeout if 0.
	Timeout time.Duration
	// Idle is the pause when no job is due; 250 ms if 0.
	Idle time.Duration
	// RetryBase is the pause before a failed job's second attempt, doubled
	// for each later one up to 30 minutes; 10 seconds if 0.
	RetryBase time.Duration
	Logger    *slog.Logger
	// OnScan, if set, is told of every scan (metrics).
	OnScan func(verdict string, took time.Duration)
	// Scanning, if set, is told when a scan starts (+1) and ends (-1),
	// however it ends (metrics).
	Scanning func(delta int)
}

// DefaultTimeout bounds one job: the longest download and scan.
const DefaultTimeout = 10 * time.Minute

// maxAttempts is how often a job is tried before it is given up (each
// failure is logged and kept with the job).
const maxAttempts = 8

// Run takes and runs jobs until ctx ends, Workers at once (one if 0),
// from the store's queue (River on PostgreSQL, shared by every process;
// the jobs table on SQLite).
func (w *Worker) Run(ctx context.Context) error {
	o := store.WorkOptions{
		Worker: w.ID, Kinds: []string{JobFile, JobRelease}, Workers: w.Workers,
		Lease: w.Lease, Timeout: w.Timeout, Idle: w.Idle,
		MaxAttempts: maxAttempts, Retry: func(n int) time.Duration { return retryDelay(w.RetryBase, n) },
		Logger: w.logger(),
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return w.Store.Work(ctx, o, w.run)
}

// retryDelay grows with the attempts from base (10 s if 0): 10 s, 20 s,
// 40 s... up to 30 min.
func retryDelay(base time.Duration, attempt int) time.Duration {
	if base <= 0 {
		base = 10 * time.Second
	}
	return min(base<<min(attempt-1, 8), 30*time.Minute)
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

// run runs one job.
func (w *Worker) run(ctx context.Context, j *store.Job) error {
	switch j.Kind {
	case JobFile:
		var p FileJob
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return w.finish(ctx, j, nil, nil) // unreadable payload: nothing to retry
		}
		return w.file(ctx, j, p)
	case JobRelease:
		var p ReleaseJob
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return w.finish(ctx, j, nil, nil)
		}
		m := &matcher{r: w.Store}
		rs, err := m.releaseRaises(ctx, p.Kind, p.Name, p.Version, "")
		if err != nil {
			return err
		}
		return w.finish(ctx, j, nil, rs)
	}
	return fmt.Errorf("unknown job kind %q", j.Kind)
}

// file scans one new file, unless its verdict is known, and matches it.
func (w *Worker) file(ctx context.Context, j *store.Job, p FileJob) error {
	imitated, watched, err := w.interest(ctx, p.Name)
	if err != nil {
		return err
	}
	if !w.ScanAll && !watched && imitated == "" {
		return w.finish(ctx, j, nil, nil)
	}
	rel, err := w.Index.Release(ctx, p.Name, p.Version)
	if errors.Is(err, pypi.ErrNotFound) {
		w.logger().Info("file gone before it was scanned", "name", p.Name, "version", p.Version, "file", p.Filename)
		return w.finish(ctx, j, nil, nil)
	}
	if err != nil {
		return err
	}
	var f *pypi.File
	for i := range rel.Files {
		if rel.Files[i].Filename == p.Filename {
			f = &rel.Files[i]
		}
	}
	if f == nil {
		w.logger().Info("file not in its release any more", "name", p.Name, "version", p.Version, "file", p.Filename)
		return w.finish(ctx, j, nil, nil)
	}
	v, err := w.Store.Verdict(ctx, f.SHA256)
	if errors.Is(err, store.ErrNotFound) {
		v, err = w.scan(ctx, p, *f)
	}
	if err != nil {
		return err
	}
	m := &matcher{r: w.Store}
	rs, err := m.verdictRaises(ctx, p.Name, p.Version, v)
	if err != nil {
		return err
	}
	if imitated != "" && (v.Verdict == KindMalicious || v.Verdict == KindSuspicious) {
		more, err := m.typosquatRaises(ctx, p.Name, p.Version, imitated, v)
		if err != nil {
			return err
		}
		rs = append(rs, more...)
	}
	return w.finish(ctx, j, v, rs)
}

// interest tells whether name is watched, or which watched name it
// imitates.
func (w *Worker) interest(ctx context.Context, name string) (imitated string, watched bool, err error) {
	names, err := w.Store.WatchedNames(ctx)
	if err != nil {
		return "", false, err
	}
	for _, n := range names {
		if n == name {
			return "", true, nil
		}
	}
	if target, ok := typosquat.Imitates(name, names); ok {
		return target, false, nil
	}
	return "", false, nil
}

// scan downloads a file into memory (verified against the JSON API's
// hash, capped by the client's MaxFile) and scans it with the pipeline
// every command uses.
func (w *Worker) scan(ctx context.Context, p FileJob, f pypi.File) (*store.Verdict, error) {
	start := time.Now()
	var buf bytes.Buffer
	if f.Size > 0 {
		buf.Grow(int(min(f.Size, 64<<20))) // the size PyPI states, not trusted beyond a start
	}
	d, err := w.Index.Download(ctx, f, &buf)
	if err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if w.Scanning != nil {
		w.Scanning(1)
		defer w.Scanning(-1)
	}
	res, err := scan.One(ctx, scan.Input{Path: f.Filename, Data: data}, w.Scan)
	if err != nil {
		return nil, err
	}
	findings, _ := json.Marshal(res.Findings)
	v := &store.Verdict{SHA256: d.SHA256, Filename: f.Filename, Project: p.Name, Version: p.Version, Verdict: string(res.Verdict),
		Score: res.Score, Findings: findings, Engine: w.Engine, ScannedAt: time.Now()}
	took := time.Since(start)
	if w.OnScan != nil {
		w.OnScan(v.Verdict, took)
	}
	w.logger().Info("scanned", "file", f.Filename, "verdict", v.Verdict, "score", v.Score, "ms", took.Milliseconds())
	return v, nil
}

// finish records a job's effect — its verdict, the alerts it raises —
// and marks it done, in one transaction.
func (w *Worker) finish(ctx context.Context, j *store.Job, v *store.Verdict, rs []raise) error {
	ctx = context.WithoutCancel(ctx) // the scan is done: record it whatever happens now
	return w.Store.InTx(ctx, func(tx *store.Tx) error {
		if v != nil {
			if err := tx.PutVerdict(ctx, *v); err != nil {
				return err
			}
		}
		for _, r := range rs {
			added, err := tx.AddAlert(ctx, r.alert, r.targets)
			if err != nil {
				return err
			}
			if added {
				w.logger().Warn("alert", "project", r.alert.Project, "dependency", r.alert.Dependency, "version", r.alert.Version, "kind", r.alert.Kind)
			}
		}
		return tx.Complete(ctx, j)
	})
}
