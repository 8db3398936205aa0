package sbom

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/check"
	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/deps/depstest"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// BenchmarkUVLock7MBCycloneDX is the speed target: inventory of a
// generated 7 MB uv.lock (4,500 packages, 18,000 files) and its CycloneDX
// 1.6 JSON, with risk from check against the embedded known-malicious
// snapshot (loaded once, outside the loop, as a long-running process
// would).
func BenchmarkUVLock7MBCycloneDX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "uv.lock")
	data := depstest.BigUVLock(4500)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	db, err := knownbad.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		inv, err := deps.Collect(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := check.Run(ctx, inv, db)
		if err != nil {
			b.Fatal(err)
		}
		d := Build(inv, rep, "bench")
		if len(d.Components) != 4500 {
			b.Fatalf("%d components", len(d.Components))
		}
		if err := WriteCycloneDX(io.Discard, d, Meta{}, "1.6", false); err != nil {
			b.Fatal(err)
		}
	}
}
