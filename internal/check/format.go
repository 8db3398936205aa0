package check

import (
	"io"

	"github.com/safeguard-dev/safeguard/internal/format"
)

// Encoder writes a report in one output format.
type Encoder interface {
	Encode(w io.Writer, rep *Report) error
}

// Formats lists the --format values of `safeguard check`.
var Formats = format.Registry[Encoder]{
	"text":  textEncoder{},
	"json":  jsonEncoder{},
	"sarif": sarifEncoder{},
}

var (
	_ Encoder = textEncoder{}
	_ Encoder = jsonEncoder{}
	_ Encoder = sarifEncoder{}
)
