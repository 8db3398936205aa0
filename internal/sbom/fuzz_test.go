package sbom

import (
	"bytes"
	"os"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/deps"
)

// Whatever a lockfile says (names, versions, URLs, hashes), the SBOMs
// written from it are valid against the official schemas.
func FuzzSBOM(f *testing.F) {
	data, err := os.ReadFile("testdata/project/uv.lock")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("version = 1\n[[package]]\nname = \"a b\"\nversion = \"1 0\"\nsource = { git = \"<>\\\"\" }\ndependencies = [{ name = \"a b\" }]\n"))
	f.Fuzz(sbomValid)
}

func sbomValid(t *testing.T, data []byte) {
	l, err := deps.ParseUVLock("uv.lock", data)
	if err != nil {
		return
	}
	d := Build(&deps.Inventory{Packages: l.Packages}, nil, "fuzz")
	var buf bytes.Buffer
	if err := WriteCycloneDX(&buf, d, testMeta, "1.6", false); err != nil {
		t.Fatal(err)
	}
	validateJSON(t, "cyclonedx-1.6", buf.Bytes())
	buf.Reset()
	if err := WriteSPDX(&buf, d, testMeta, false); err != nil {
		t.Fatal(err)
	}
	validateJSON(t, "spdx-2.3", buf.Bytes())
}
