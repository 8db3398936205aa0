package report

import (
	"io"

	"github.com/safeguard-dev/safeguard/internal/format"
	"github.com/safeguard-dev/safeguard/internal/scan"
)

// SchemaVersion is bumped when the JSON output changes incompatibly.
const SchemaVersion = 1

// Encoder writes results as they arrive, then a closing summary.
type Encoder interface {
	// Result writes one artifact's result.
	Result(r *scan.Result) error
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
	// Skipped counts the symbolic links found in the directories scanned
	// that were not followed (to a directory, dangling, a loop).
	Skipped int `json:"skipped,omitempty"`
}

// Add counts one result.
func (t *Totals) Add(r *scan.Result) {
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

// Formats lists the --format values of `safeguard scan`, each with its
// encoder.
var Formats = format.Registry[func(w io.Writer) Encoder]{
	"text":  newText,
	"json":  newJSON,
	"jsonl": newJSONL,
	"sarif": newSARIF,
}

// New returns the encoder for a --format value.
func New(name string, w io.Writer) (Encoder, error) {
	f, err := Formats.Get(name)
	if err != nil {
		return nil, err
	}
	return f(w), nil
}
