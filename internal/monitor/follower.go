package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// CursorName is the store's cursor of PyPI's journal.
const CursorName = "pypi"

// Journal is PyPI's journal of changes; *pypi.Client is one.
type Journal interface {
	LastSerial(ctx context.Context) (int64, error)
	ChangelogSince(ctx context.Context, serial int64) ([]pypi.Event, error)
}

// Follower reads PyPI's journal and turns each row that matters into a
// job, advancing its cursor in the transaction that enqueues them: a
// restart, or a kill at any point, neither skips nor repeats a row.
type Follower struct {
	Store   *store.Store
	Journal Journal
	// Poll is the pause between calls once caught up; DefaultPoll if 0.
	Poll time.Duration
	// Since is where a follower without a cursor starts (the serial after
	// which rows are read); negative means from PyPI's newest serial.
	Since  int64
	Logger *slog.Logger
	// OnBatch, if set, is called after each batch is recorded (metrics).
	OnBatch func(rows int, serial int64)
	// OnLag, if set, is told after each read how far behind PyPI the
	// follower is: zero once it has read the newest row, else the age of
	// the last row it read (metrics).
	OnLag func(behind time.Duration)
}

// DefaultPoll is the pause between journal calls once caught up: PyPI
// allows about one call a second from one address.
const DefaultPoll = 2 * time.Second

// maxBackoff caps the pause after repeated errors.
const maxBackoff = time.Minute

// Run follows the journal until ctx ends.
func (f *Follower) Run(ctx context.Context) error {
	log := f.Logger
	if log == nil {
		log = slog.Default()
	}
	poll := f.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	serial, err := f.start(ctx)
	if err != nil {
		return err
	}
	log.Info("following PyPI's journal", "after serial", serial)
	backoff := poll
	for {
		events, err := f.Journal.ChangelogSince(ctx, serial)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			wait := backoff
			if d, ok := pypi.RetryAfter(err); ok && d > wait {
				wait = d
			}
			if errors.Is(err, pypi.ErrRateLimited) {
				log.Warn("journal: rate limited by PyPI; backing off", "wait", wait)
			} else {
				log.Error("journal: read failed; will retry", "error", err, "wait", wait)
			}
			backoff = min(backoff*2, maxBackoff)
			if !sleep(ctx, wait) {
				return nil
			}
			continue
		}
		backoff = poll
		if f.OnLag != nil {
			if len(events) >= pypi.MaxChangelogRows {
				f.OnLag(time.Since(events[len(events)-1].Time))
			} else {
				f.OnLag(0)
			}
		}
		if len(events) > 0 {
			last, err := f.record(ctx, events)
			if err != nil {
				log.Error("journal: recording a batch failed; will read it again", "error", err)
				if !sleep(ctx, poll) {
					return nil
				}
				continue
			}
			serial = last
			if f.OnBatch != nil {
				f.OnBatch(len(events), serial)
			}
			if len(events) >= pypi.MaxChangelogRows {
				continue // catching up: the next page at once
			}
		}
		if !sleep(ctx, poll) {
			return nil
		}
	}
}

// start returns the serial to read after: the stored cursor, else Since,
// else PyPI's newest (recorded, so that a restart starts there too).
func (f *Follower) start(ctx context.Context) (int64, error) {
	serial, ok, err := f.Store.Cursor(ctx, CursorName)
	if err != nil || ok {
		return serial, err
	}
	serial = f.Since
	if serial < 0 {
		if serial, err = f.Journal.LastSerial(ctx); err != nil {
			return 0, fmt.Errorf("first start: PyPI's newest serial: %w", err)
		}
	}
	err = f.Store.InTx(ctx, func(tx *store.Tx) error { return tx.SetCursor(ctx, CursorName, serial) })
	return serial, err
}

// record enqueues the jobs a batch implies and moves the cursor past it,
// in one transaction. It returns the batch's last serial.
func (f *Follower) record(ctx context.Context, events []pypi.Event) (int64, error) {
	last := events[len(events)-1].Serial
	var jobs []store.Job
	for _, e := range events {
		if j, ok := jobFor(e); ok {
			jobs = append(jobs, j)
		}
	}
	err := f.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.Enqueue(ctx, jobs...); err != nil {
			return err
		}
		return tx.SetCursor(ctx, CursorName, last)
	})
	return last, err
}

// Job kinds.
const (
	JobFile    = "file"    // scan a new file and match its verdict
	JobRelease = "release" // a yank, removal or quarantine to match
)

// FileJob is the payload of a file job.
type FileJob struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Filename string `json:"filename"`
	Serial   int64  `json:"serial"`
}

// ReleaseJob is the payload of a release job.
type ReleaseJob struct {
	Kind    string `json:"kind"` // yanked, removed, quarantined
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Serial  int64  `json:"serial"`
}

// jobFor is the job a journal row implies, if any. Job IDs make the same
// news one job: a file by its name (unique on PyPI for ever), a yank or
// removal by its serial.
func jobFor(e pypi.Event) (store.Job, bool) {
	name := pkgname.Normalize(e.Name)
	switch e.Kind {
	case pypi.KindAddFile:
		p, _ := json.Marshal(FileJob{Name: name, Version: e.Version, Filename: e.Filename, Serial: e.Serial})
		return store.Job{ID: "file:" + name + "/" + e.Filename, Kind: JobFile, Payload: string(p)}, true
	case pypi.KindYank:
		return releaseJob(KindYanked, name, e.Version, e.Serial), true
	case pypi.KindRemoveRelease:
		return releaseJob(KindRemoved, name, e.Version, e.Serial), true
	case pypi.KindRemoveProject:
		return releaseJob(KindRemoved, name, "", e.Serial), true
	case pypi.KindQuarantine:
		return releaseJob(KindQuarantined, name, "", e.Serial), true
	}
	return store.Job{}, false
}

func releaseJob(kind, name, version string, serial int64) store.Job {
	p, _ := json.Marshal(ReleaseJob{Kind: kind, Name: name, Version: version, Serial: serial})
	return store.Job{ID: fmt.Sprintf("release:%d:%s", serial, kind), Kind: JobRelease, Payload: string(p)}
}

// sleep waits d or until ctx ends; it reports whether to go on.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
