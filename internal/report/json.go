package report

import (
	"encoding/json"
	"io"

	"github.com/safeguard-dev/safeguard/internal/scan"
)

// jsonEncoder writes one JSON document holding every result.
type jsonEncoder struct {
	w       io.Writer
	results []*scan.Result
}

func newJSON(w io.Writer) Encoder { return &jsonEncoder{w: w} }

func (e *jsonEncoder) Result(r *scan.Result) error {
	e.results = append(e.results, r)
	return nil
}

func (e *jsonEncoder) Close(t Totals) error {
	if e.results == nil {
		e.results = []*scan.Result{}
	}
	enc := json.NewEncoder(e.w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		SchemaVersion int            `json:"schema_version"`
		Artifacts     []*scan.Result `json:"artifacts"`
		Totals        Totals         `json:"totals"`
	}{SchemaVersion, e.results, t})
}

// jsonlEncoder writes one JSON object per line, per result, as it arrives.
type jsonlEncoder struct{ enc *json.Encoder }

func newJSONL(w io.Writer) Encoder { return &jsonlEncoder{enc: json.NewEncoder(w)} }

func (e *jsonlEncoder) Result(r *scan.Result) error { return e.enc.Encode(r) }

func (e *jsonlEncoder) Close(Totals) error { return nil }

var (
	_ Encoder = (*jsonEncoder)(nil)
	_ Encoder = (*jsonlEncoder)(nil)
)
