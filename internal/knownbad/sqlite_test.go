package knownbad

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestUpdateAndSQLite(t *testing.T) {
	good := syntheticZip(t, 2000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/all.zip":
			w.Write(good)
		case "/truncated.zip":
			w.Write(good[:len(good)/2])
		case "/short.zip":
			w.Header().Set("Content-Length", fmt.Sprint(len(good)))
			w.Write(good[:len(good)-100]) // the connection ends early
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", DBFile)

	mem, err := Import(ctx, srv.URL+"/all.zip", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSQLite(ctx, path, mem, map[string]string{"source": srv.URL + "/all.zip"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	// Failed updates leave the installed database as it was.
	for _, bad := range []string{"/truncated.zip", "/short.zip", "/missing.zip"} {
		if _, err := Import(ctx, srv.URL+bad, srv.Client()); err == nil {
			t.Errorf("%s: import succeeded", bad)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the installed database changed after failed updates")
	}

	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The local database answers as the in-memory one it was written from:
	// synthetic records plus the embedded snapshot.
	for _, q := range []struct{ name, version string }{
		{"pkg-10", "7"}, {"pkg-11", "1.0"}, {"pkg-11", "1.11"}, {"pkg-11", "1.12"}, {"pkg-101", "1.0"},
		{"PKG_12", ""}, {"123bla", "0.0.1"}, {"123BLA", "0.0.2"}, {"fastapi", "0.136.3"}, {"requests", ""},
	} {
		want, _ := mem.Lookup(ctx, q.name, q.version)
		got, err := s.Lookup(ctx, q.name, q.version)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s==%s: sqlite %v, memory %v", q.name, q.version, got, want)
		}
	}
	a, _ := mem.Stats(ctx)
	b, _ := s.Stats(ctx)
	if a.Records != b.Records || a.Withdrawn != b.Withdrawn || a.Listed != b.Listed || a.Packages != b.Packages || !a.Newest.Equal(b.Newest) {
		t.Errorf("stats: sqlite %+v, memory %+v", b, a)
	}
	if r, err := s.Record(ctx, "MAL-2025-1"); err != nil || !r.IsWithdrawn() {
		t.Errorf("withdrawn record: %v %v", r, err)
	}
	if _, err := s.Record(ctx, "MAL-0"); err != ErrNotFound {
		t.Errorf("unknown id: %v", err)
	}
	if got := s.Meta(ctx, "source"); got != srv.URL+"/all.zip" {
		t.Errorf("source %q", got)
	}
}

func TestImportLocalSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rec := `{"id": "MAL-2099-1", "modified": "2099-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "Brand_New"}, "versions": ["1.0"]}]}`
	vuln := `{"id": "PYSEC-2099-1", "modified": "2099-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"}, "versions": ["2.0"]}]}`
	os.MkdirAll(filepath.Join(dir, "tree", "osv", "malicious", "pypi", "brand-new"), 0o755)
	os.WriteFile(filepath.Join(dir, "tree", "osv", "malicious", "pypi", "brand-new", "MAL-2099-1.json"), []byte(rec), 0o644)
	os.WriteFile(filepath.Join(dir, "tree", "PYSEC-2099-1.json"), []byte(vuln), 0o644)
	os.WriteFile(filepath.Join(dir, "one.json"), []byte(rec), 0o644)
	os.WriteFile(filepath.Join(dir, "list.json"), []byte(`{"evil-thing": null, "other": ["0.1"]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "junk.json"), []byte(`[1, 2`), 0o644)
	for _, tt := range []struct {
		from, name, version string
		want                bool
	}{
		{"tree", "brand-new", "1.0", true},
		{"tree", "requests", "2.0", false}, // a vulnerability, not malware
		{"one.json", "brand.new", "1.0", true},
		{"list.json", "evil_thing", "9", true},
		{"list.json", "other", "0.2", false},
	} {
		db, err := Import(ctx, filepath.Join(dir, tt.from), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.from, err)
		}
		ms, _ := db.Lookup(ctx, tt.name, tt.version)
		if (len(ms) > 0) != tt.want {
			t.Errorf("%s: %s==%s matched %v, want %v", tt.from, tt.name, tt.version, ms, tt.want)
		}
	}
	if _, err := Import(ctx, filepath.Join(dir, "junk.json"), nil); err == nil {
		t.Error("junk accepted")
	}
}

func BenchmarkSQLiteLookup(b *testing.B) {
	ctx := context.Background()
	db, err := LoadZip(syntheticZip(b, 20000), "osv")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), DBFile)
	if err := WriteSQLite(ctx, path, db, nil); err != nil {
		b.Fatal(err)
	}
	s, err := OpenSQLite(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := 0
	for b.Loop() {
		if _, err := s.Lookup(ctx, fmt.Sprintf("pkg-%d", i%20000), "1.0"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkWriteSQLite20k(b *testing.B) {
	ctx := context.Background()
	db, err := LoadZip(syntheticZip(b, 20000), "osv")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), DBFile)
	for b.Loop() {
		if err := WriteSQLite(ctx, path, db, nil); err != nil {
			b.Fatal(err)
		}
	}
}
