package knownbad

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Limits for imports: an OSV ecosystem zip is a few hundred MiB at most.
const (
	maxZipEntries = 1 << 20
	maxZipBytes   = 4 << 30
)

// LoadFS adds every OSV record (*.json) under root in fsys. Records under
// a "withdrawn" directory are kept as withdrawn even when their withdrawn
// field is missing, as the malicious-packages repository lays them out.
// It returns the number of files that could not be parsed, with the first
// such error.
func (db *DB) LoadFS(fsys fs.FS, root, source string) (bad int, firstErr error) {
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > MaxRecordBytes {
			bad++
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: too large or unreadable", p)
			}
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err == nil {
			err = db.addJSON(data, source, underWithdrawn(p))
		}
		if err != nil {
			bad++
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", p, err)
			}
		}
		return nil
	})
	if err != nil {
		return bad, err
	}
	return bad, firstErr
}

func underWithdrawn(p string) bool {
	for _, part := range strings.Split(path.Dir(p), "/") {
		if part == "withdrawn" {
			return true
		}
	}
	return false
}

func (db *DB) addJSON(data []byte, source string, withdrawn bool) error {
	r, err := ParseRecord(data)
	if err != nil {
		return err
	}
	if withdrawn && !r.IsWithdrawn() {
		t := r.Modified
		if t.IsZero() {
			t = time.Unix(0, 0).UTC()
		}
		r.Withdrawn = &t
	}
	db.Add(r, source)
	return nil
}

// LoadZip reads an OSV ecosystem archive (all.zip: one record per .json
// entry) into a new database. A damaged or truncated archive is an error,
// and the caller keeps whatever database it had.
func LoadZip(data []byte, source string) (*DB, error) {
	db := NewDB()
	if err := db.AddZip(data, source); err != nil {
		return nil, err
	}
	return db, nil
}

// AddZip adds the records of an OSV ecosystem archive. On error, db holds
// part of the archive and must be dropped.
func (db *DB) AddZip(data []byte, source string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("read osv zip: %w", err)
	}
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("osv zip has %d entries, more than %d", len(zr.File), maxZipEntries)
	}
	var total uint64
	buf := make([]byte, 0, 16<<10)
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") || f.FileInfo().IsDir() {
			continue
		}
		if f.UncompressedSize64 > MaxRecordBytes {
			return fmt.Errorf("osv zip entry %q: %d bytes, larger than %d", f.Name, f.UncompressedSize64, MaxRecordBytes)
		}
		if total += f.UncompressedSize64; total > maxZipBytes {
			return fmt.Errorf("osv zip holds more than %d bytes", int64(maxZipBytes))
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("osv zip entry %q: %w", f.Name, err)
		}
		buf, err = readAllLimit(rc, buf[:0], MaxRecordBytes)
		rc.Close()
		if err != nil {
			return fmt.Errorf("osv zip entry %q: %w", f.Name, err)
		}
		if err := db.addJSON(buf, source, underWithdrawn(f.Name)); err != nil {
			return fmt.Errorf("osv zip entry %q: %w", f.Name, err)
		}
	}
	return nil
}

// readAllLimit reads r into buf, failing past limit bytes (the header
// size is not trusted).
func readAllLimit(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	b := bytes.NewBuffer(buf)
	n, err := b.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b.Bytes(), nil
}
