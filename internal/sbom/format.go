package sbom

import (
	"io"

	"github.com/safeguard-dev/safeguard/internal/format"
)

// Encoder writes a document in one SBOM format.
type Encoder interface {
	Encode(w io.Writer, d *Document, meta Meta) error
}

// Formats lists the --format values of `safeguard sbom`.
var Formats = format.Registry[Encoder]{
	"cyclonedx-json": cycloneDXEncoder{},
	"cyclonedx-xml":  cycloneDXEncoder{xml: true},
	"spdx-json":      spdxEncoder{},
	"spdx-tv":        spdxEncoder{tagValue: true},
}

// cycloneDXEncoder writes CycloneDX JSON or XML in Meta.SpecVersion.
type cycloneDXEncoder struct{ xml bool }

func (e cycloneDXEncoder) Encode(w io.Writer, d *Document, meta Meta) error {
	return WriteCycloneDX(w, d, meta, meta.specVersion(), e.xml)
}

// spdxEncoder writes SPDX 2.3 JSON or tag-value.
type spdxEncoder struct{ tagValue bool }

func (e spdxEncoder) Encode(w io.Writer, d *Document, meta Meta) error {
	return WriteSPDX(w, d, meta, e.tagValue)
}

var (
	_ Encoder = cycloneDXEncoder{}
	_ Encoder = spdxEncoder{}
)
