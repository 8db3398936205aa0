package knownbad

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
)

// The embedded snapshot: gzip-compressed JSON lines, one OSV record
// ({"r": record, "s": source}) or list entry ({"l": name, "v": versions or
// null, "s": source}) a line, sorted. `go generate` writes it from the
// repository's data directory; TestSnapshotUpToDate keeps the two equal.
//
//go:embed snapshot.jsonl.gz
var snapshotData []byte

var (
	snapshotOnce sync.Once
	snapshotDB   *DB
	snapshotErr  error
)

// Snapshot returns the database compiled into the binary.
func Snapshot() (*DB, error) {
	snapshotOnce.Do(func() {
		snapshotDB, snapshotErr = ReadSnapshot(bytes.NewReader(snapshotData))
	})
	return snapshotDB, snapshotErr
}

// SnapshotSize is the size of the embedded snapshot in bytes.
func SnapshotSize() int { return len(snapshotData) }

type snapshotLine struct {
	Record   *Record   `json:"r,omitempty"`
	List     string    `json:"l,omitempty"`
	Versions *[]string `json:"v,omitempty"`
	Source   string    `json:"s"`
}

// ReadSnapshot reads a snapshot written by WriteSnapshot.
func ReadSnapshot(r io.Reader) (*DB, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer zr.Close()
	db := NewDB()
	lists := map[string]map[string][]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), MaxRecordBytes)
	for n := 1; sc.Scan(); n++ {
		var l snapshotLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("read snapshot line %d: %w", n, err)
		}
		switch {
		case l.Record != nil:
			db.Add(l.Record, l.Source)
		case l.List != "":
			if lists[l.Source] == nil {
				lists[l.Source] = map[string][]string{}
			}
			var vs []string
			if l.Versions != nil {
				vs = *l.Versions
			}
			lists[l.Source][l.List] = vs
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	addLists(db, lists)
	return db, nil
}

// WriteSnapshot writes db in the snapshot form, deterministically.
func WriteSnapshot(w io.Writer, db *DB) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	ids := make([]string, 0, len(db.records))
	for id := range db.records {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := enc.Encode(snapshotLine{Record: db.records[id], Source: db.recordSource[id]}); err != nil {
			return err
		}
	}
	var entries []*listEntry
	for _, refs := range db.byName {
		for _, x := range refs {
			if x.list != nil {
				entries = append(entries, x.list)
			}
		}
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].source != entries[j].source {
			return entries[i].source < entries[j].source
		}
		return entries[i].name < entries[j].name
	})
	for _, e := range entries {
		l := snapshotLine{List: e.name, Source: e.source}
		if e.versions != nil {
			vs := e.versions
			l.Versions = &vs
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return zw.Close()
}
