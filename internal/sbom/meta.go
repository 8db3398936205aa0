package sbom

import (
	"time"

	"github.com/google/uuid"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
)

// Meta is what a document says about its own making.
type Meta struct {
	// Timestamp is written when set; by default documents carry none, so
	// the same input gives the same bytes.
	Timestamp time.Time
	// RandomSerial makes the serial number (CycloneDX) and namespace
	// (SPDX) random instead of derived from the content.
	RandomSerial bool
	// ToolVersion is Safeguard's version; buildinfo's when empty.
	ToolVersion string
	// SpecVersion is the CycloneDX version written, "1.4" to "1.7";
	// DefaultSpecVersion when empty. SPDX is always 2.3.
	SpecVersion string
}

// DefaultSpecVersion is the CycloneDX version written unless asked.
const DefaultSpecVersion = "1.6"

func (m Meta) specVersion() string {
	if m.SpecVersion != "" {
		return m.SpecVersion
	}
	return DefaultSpecVersion
}

// serialSpace is the UUID namespace content-derived serials live in.
var serialSpace = uuid.MustParse("6b1d2c0e-5a4f-4e3b-9a51-2f0c7d8e9b10")

// serial is the document's UUID: a name-based UUID (version 5) of its
// content, or a random one.
func (m Meta) serial(d *Document) string {
	if m.RandomSerial {
		return uuid.NewString()
	}
	return uuid.NewSHA1(serialSpace, d.digest()).String()
}

func (m Meta) toolVersion() string {
	if m.ToolVersion != "" {
		return m.ToolVersion
	}
	return buildinfo.Version
}
