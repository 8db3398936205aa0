package report

import (
	"fmt"
	"io"
)

// Encoder writes results as they arrive, then a closing summary.
type Encoder interface {
	// Result writes one artifact's result.
	Result(r *Result) error
	// Close writes what comes after the last result.
	Close(t Totals) error
}

// Totals sums a whole scan.
type Totals struct {
	Artifacts         int   `json:"artifacts"`
	Failed            int   `json:"failed"`
	WithAnomalies     int   `json:"with_anomalies"`
	Malicious         int   `json:"malicious"`
	Suspicious        int   `json:"suspicious"`
	Files             int   `json:"files"`
	Bytes             int64 `json:"bytes"`
	UncompressedBytes int64 `json:"uncompressed_bytes"`
}

// Add counts one result.
func (t *Totals) Add(r *Result) {
	t.Artifacts++
	if r.Failed() {
		t.Failed++
	}
	if _, any := r.MaxSeverity(); any {
		t.WithAnomalies++
	}
	switch r.Verdict {
	case "malicious":
		t.Malicious++
	case "suspicious":
		t.Suspicious++
	}
	t.Files += r.Files
	t.Bytes += r.Size
	t.UncompressedBytes += r.UncompressedBytes
}

// Formats lists the --format values, each with its encoder.
var Formats = map[string]func(w io.Writer) Encoder{
	"text":  newText,
	"json":  newJSON,
	"jsonl": newJSONL,
	"sarif": newSARIF,
}

// New returns the encoder for a --format value.
func New(format string, w io.Writer) (Encoder, error) {
	f, ok := Formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want text, json, jsonl or sarif)", format)
	}
	return f(w), nil
}
