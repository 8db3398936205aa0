package knownbad

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// BuildSnapshotDB reads the repository's data directory (as an fs.FS):
// OSV records under osv/ and name lists (*.json) under known-malicious/,
// each list's source being its file name without extension.
func BuildSnapshotDB(data fs.FS) (*DB, error) {
	db := NewDB()
	if bad, err := db.LoadFS(data, "osv", "osv:ossf/malicious-packages"); err != nil {
		return nil, fmt.Errorf("osv records (%d bad): %w", bad, err)
	}
	lists, err := fs.Glob(data, "known-malicious/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(lists)
	for _, p := range lists {
		b, err := fs.ReadFile(data, p)
		if err != nil {
			return nil, err
		}
		l, err := ParseList(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		db.AddList(l, strings.TrimSuffix(path.Base(p), ".json"))
	}
	return db, nil
}
