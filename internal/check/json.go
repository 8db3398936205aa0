package check

import (
	"encoding/json"
	"io"
)

// jsonEncoder writes the report as one indented JSON document.
type jsonEncoder struct{}

func (jsonEncoder) Encode(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
