package cli

import (
	"os"
	"path/filepath"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// defaultDataDir is where local state lives: $XDG_DATA_HOME/safeguard,
// else ~/.local/share/safeguard.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "safeguard")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "safeguard")
	}
	return ".safeguard"
}

// knownBad opens the known-malicious database: the local one in the data
// directory once `db update` has written it, else the embedded snapshot.
// It says which, and returns a function to close it.
func (g *globals) knownBad() (knownbad.Store, string, func(), error) {
	path := filepath.Join(g.dataDir, knownbad.DBFile)
	if _, err := os.Stat(path); err == nil {
		s, err := knownbad.OpenSQLite(path)
		if err != nil {
			return nil, "", nil, err
		}
		return s, "local database " + path, func() { s.Close() }, nil
	}
	db, err := knownbad.Snapshot()
	if err != nil {
		return nil, "", nil, err
	}
	return db, "embedded snapshot", func() {}, nil
}
