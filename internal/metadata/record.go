package metadata

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxRecordRows bounds the rows kept from one RECORD file.
const maxRecordRows = 1_000_000

// RecordEntry is one row of a wheel's RECORD file (PEP 376, PEP 427).
type RecordEntry struct {
	Line int
	Path string
	// Algorithm is the hash name ("sha256"); empty when the row has no hash.
	Algorithm string
	// Digest is the decoded hash value.
	Digest []byte
	// Size is the file size in bytes, or -1 when the row gives none.
	Size int64
}

// Record is a parsed RECORD file.
type Record struct {
	Entries  []RecordEntry
	Problems []Problem
}

// ParseRecord parses RECORD: CSV rows of path, "algo=urlsafe-b64-digest"
// and size. Rows it cannot read are problems; the rest are kept.
func ParseRecord(data []byte) *Record {
	rec := &Record{}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rec
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			rec.Problems = append(rec.Problems, Problem{Line: line, Message: "unreadable CSV: " + err.Error()})
			if pe == nil || pe.Err != csv.ErrFieldCount {
				return rec
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec.Entries) >= maxRecordRows {
			rec.Problems = append(rec.Problems, Problem{Line: line, Message: "too many rows; rest ignored"})
			return rec
		}
		e, err := parseRecordRow(row)
		if err != nil {
			rec.Problems = append(rec.Problems, Problem{Line: line, Message: err.Error()})
			continue
		}
		e.Line = line
		rec.Entries = append(rec.Entries, e)
	}
}

func parseRecordRow(row []string) (RecordEntry, error) {
	if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
		return RecordEntry{}, errors.New("empty row")
	}
	if len(row) != 3 {
		return RecordEntry{}, fmt.Errorf("row has %d fields, want 3", len(row))
	}
	e := RecordEntry{Path: row[0], Size: -1}
	if e.Path == "" {
		return e, errors.New("row has an empty path")
	}
	if h := row[1]; h != "" {
		algo, digest, ok := strings.Cut(h, "=")
		if !ok || algo == "" {
			return e, fmt.Errorf("hash %q is not algorithm=digest", clip(h))
		}
		d, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(digest, "="))
		if err != nil {
			return e, fmt.Errorf("hash of %q is not urlsafe base64", clip(e.Path))
		}
		e.Algorithm, e.Digest = strings.ToLower(algo), d
	}
	if s := row[2]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return e, fmt.Errorf("size %q of %q is not a byte count", clip(s), clip(e.Path))
		}
		e.Size = n
	}
	return e, nil
}
