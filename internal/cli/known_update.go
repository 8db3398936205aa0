package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// knownInUse returns the known-malicious database in use as a whole: the
// local one once `db update` wrote it, else the embedded snapshot.
func (g *globals) knownInUse(ctx context.Context) (*knownbad.DB, error) {
	path := filepath.Join(g.dataDir, knownbad.DBFile)
	if _, err := os.Stat(path); err != nil {
		return knownbad.Snapshot()
	}
	s, err := knownbad.OpenSQLite(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.LoadAll(ctx)
}

// knownUpdater is the monitor's periodic update from `from`, kept in the
// data directory like `db update` keeps it.
func (g *globals) knownUpdater(st *store.Store, live *knownbad.Live, from string, every time.Duration) *monitor.KnownUpdater {
	path := filepath.Join(g.dataDir, knownbad.DBFile)
	client := &http.Client{Timeout: 10 * time.Minute}
	return &monitor.KnownUpdater{Store: st, Known: live, Every: every,
		Current: g.knownInUse,
		Fetch: func(ctx context.Context) (*knownbad.DB, error) {
			db, _, err := importDB(ctx, path, from, false, client)
			return db, err
		},
		Keep: func(ctx context.Context, db *knownbad.DB) (knownbad.Store, error) {
			if err := knownbad.WriteSQLite(ctx, path, db, map[string]string{"source": from}); err != nil {
				return nil, err
			}
			return db, nil
		},
	}
}
