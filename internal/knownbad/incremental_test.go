package knownbad

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestChanged(t *testing.T) {
	csv := "2025-03-01T00:00:00Z,MAL-2025-3\n2025-02-01T00:00:00.5Z,PyPI/MAL-2025-2\n2025-02-01T00:00:00Z,PYSEC-2025-9\n2025-01-01T00:00:00Z,MAL-2025-1\n"
	since, _ := time.Parse(time.RFC3339, "2025-01-15T00:00:00Z")
	ids, err := Changed([]byte(csv), since)
	if err != nil || fmt.Sprint(ids) != "[MAL-2025-3 MAL-2025-2]" {
		t.Errorf("Changed: %v %v", ids, err)
	}
	if _, err := Changed([]byte("yesterday,MAL-1\n"), since); err == nil {
		t.Error("bad timestamp accepted")
	}
	var big strings.Builder
	for i := range maxIncremental + 5 {
		fmt.Fprintf(&big, "2026-01-01T00:00:00Z,MAL-2026-%d\n", i)
	}
	if _, err := Changed([]byte(big.String()), since); err != ErrTooManyChanges {
		t.Errorf("too many changes: %v", err)
	}
}

func TestIncrementalUpdate(t *testing.T) {
	ctx := context.Background()
	newRec := `{"id": "MAL-2099-7", "modified": "2099-01-02T00:00:00Z", "summary": "Malicious code in fresh-evil (PyPI)", "affected": [{"package": {"ecosystem": "PyPI", "name": "fresh-evil"}, "versions": ["0.1"]}]}`
	var fetched atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		switch r.URL.Path {
		case "/PyPI/modified_id.csv":
			// Newest first; the old record is already in the database.
			fmt.Fprint(w, "2099-01-02T00:00:00Z,MAL-2099-7\n2026-05-26T13:04:03Z,MAL-2026-4750\n2024-10-27T13:55:45Z,MAL-2024-10238\n")
		case "/PyPI/MAL-2099-7.json":
			fmt.Fprint(w, newRec)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), DBFile)
	snap, _ := Import(ctx, filepath.Join("..", "..", "data", "osv"), nil)
	if err := WriteSQLite(ctx, path, snap, nil); err != nil {
		t.Fatal(err)
	}
	cur, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	db, n, err := ImportIncremental(ctx, cur, srv.URL+"/PyPI", srv.Client())
	cur.Close()
	if err != nil || n != 1 {
		t.Fatalf("incremental: %d records, %v", n, err)
	}
	if got := fetched.Load(); got != 2 {
		t.Errorf("%d requests, want the csv and one record", got)
	}
	if ms, _ := db.Lookup(ctx, "fresh_evil", "0.1"); len(ms) != 1 {
		t.Errorf("new record not matched: %v", ms)
	}
	if ms, _ := db.Lookup(ctx, "123bla", "0.0.1"); len(ms) != 2 {
		t.Errorf("old contents lost: %v", ms)
	}
}
