package knownbad

import (
	"context"
	"os"
	"testing"
	"time"
)

// FuzzParseRecord feeds arbitrary JSON to the record parser and matches
// every version it names: nothing may panic.
func FuzzParseRecord(f *testing.F) {
	for _, p := range []string{"../../data/osv/malicious/pypi/123bla/MAL-2024-10238.json", "../../data/osv/withdrawn/pypi/fastapi/MAL-2026-4750.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"id":"MAL-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0rc1"},{"introduced":"2"},{"last_affected":"2.5.post1"},{"limit":"*"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecord(data)
		if err != nil {
			return
		}
		db := NewDB()
		db.Add(r, "fuzz")
		ctx := context.Background()
		for _, a := range r.Affected {
			for _, v := range append([]string{"", "0", "1.0", "9999"}, a.Versions...) {
				db.Lookup(ctx, a.Package.Name, v)
			}
			for _, rg := range a.Ranges {
				for _, e := range rg.Events {
					db.Lookup(ctx, a.Package.Name, e.Introduced+e.Fixed+e.LastAffected)
				}
			}
		}
	})
}

// FuzzLoadZip feeds arbitrary bytes as an OSV archive: an error or a
// database, never a panic.
func FuzzLoadZip(f *testing.F) {
	f.Add(syntheticZip(f, 3))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if db, err := LoadZip(data, "fuzz"); err == nil {
			db.Stats(context.Background())
		}
	})
}

// FuzzChanged feeds arbitrary modified_id.csv text.
func FuzzChanged(f *testing.F) {
	f.Add([]byte("2025-03-01T00:00:00Z,MAL-2025-3\n2025-01-01T00:00:00Z,PyPI/MAL-2025-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Changed(data, time.Time{})
	})
}
