package monitor

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// KnownUpdater refreshes the known-malicious database periodically and
// alerts the watched projects a new record concerns. Alerts are recorded
// before the new database is kept and put in use, so a process killed in
// between finds the same news again, and raises nothing twice (an alert's
// identity is its project, dependency, version and reason).
type KnownUpdater struct {
	Store *store.Store
	// Known answers every lookup of the server; the new database is
	// swapped into it.
	Known *knownbad.Live
	// Current returns the database in use as a whole, to compare the new
	// one against.
	Current func(ctx context.Context) (*knownbad.DB, error)
	// Fetch builds the new database (the update, not yet kept).
	Fetch func(ctx context.Context) (*knownbad.DB, error)
	// Keep makes the new database the one used from now on (writes it to
	// the data directory) and returns the store to answer from.
	Keep func(ctx context.Context, db *knownbad.DB) (knownbad.Store, error)
	// Every is the pause between updates.
	Every  time.Duration
	Logger *slog.Logger
}

// Run updates every u.Every until ctx ends.
func (u *KnownUpdater) Run(ctx context.Context) error {
	for {
		if n, err := u.Update(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			u.logger().Error("known-malicious update failed; the database in use is unchanged", "error", err)
		} else {
			u.logger().Info("known-malicious database updated", "alerts", n)
		}
		if !sleep(ctx, u.Every) {
			return nil
		}
	}
}

func (u *KnownUpdater) logger() *slog.Logger {
	if u.Logger != nil {
		return u.Logger
	}
	return slog.Default()
}

// Update runs one update and returns how many alerts it raised.
func (u *KnownUpdater) Update(ctx context.Context) (int, error) {
	old, err := u.Current(ctx)
	if err != nil {
		return 0, fmt.Errorf("read the database in use: %w", err)
	}
	db, err := u.Fetch(ctx)
	if err != nil {
		return 0, err
	}
	n, err := u.raise(ctx, db.NewSince(old))
	if err != nil {
		return 0, err
	}
	s, err := u.Keep(ctx, db)
	if err != nil {
		return n, fmt.Errorf("keep the new database: %w", err)
	}
	u.Known.Set(s)
	return n, nil
}

// raise records an alert for each watched project that can install a
// version a new record names.
func (u *KnownUpdater) raise(ctx context.Context, news []knownbad.News) (int, error) {
	added := 0
	err := u.Store.InTx(ctx, func(tx *store.Tx) error {
		added = 0
		m := &matcher{r: tx}
		for _, n := range news {
			match := knownbad.Match{ID: n.Record.ID, Name: n.Name, Summary: n.Record.Summary}
			for _, v := range n.Versions {
				rs, err := m.knownRaises(ctx, n.Name, v, match)
				if err != nil {
					return err
				}
				for _, r := range rs {
					ok, err := tx.AddAlert(ctx, r.alert, r.targets)
					if err != nil {
						return err
					}
					if ok {
						added++
						u.logger().Warn("alert", "project", r.alert.Project, "dependency", n.Name, "version", v, "kind", KindKnownMalicious, "record", n.Record.ID)
					}
				}
			}
		}
		return nil
	})
	return added, err
}
