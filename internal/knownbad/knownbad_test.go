package knownbad

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

func rec(id, name string, modified string, affected Affected) *Record {
	t, _ := time.Parse(time.RFC3339, modified)
	affected.Package = Package{Ecosystem: "PyPI", Name: name}
	return &Record{ID: id, Summary: "Malicious code in " + name, Modified: t, Affected: []Affected{affected}}
}

func ev(kind, v string) Event {
	switch kind {
	case "introduced":
		return Event{Introduced: v}
	case "fixed":
		return Event{Fixed: v}
	case "last_affected":
		return Event{LastAffected: v}
	}
	return Event{Limit: v}
}

func TestMatching(t *testing.T) {
	db := NewDB()
	db.Add(rec("MAL-1", "Evil_Pkg", "2024-01-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "0")}}}}), "test")
	db.Add(rec("MAL-2", "fixedpkg", "2024-01-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "1.2"), ev("fixed", "1.7")}}}}), "test")
	db.Add(rec("MAL-3", "lastpkg", "2024-01-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "0"), ev("last_affected", "2.0")}}}}), "test")
	db.Add(rec("MAL-4", "listpkg", "2024-01-01T00:00:00Z", Affected{Versions: []string{"1.0", "2.0.post1"}}), "test")
	db.Add(rec("MAL-5", "twice", "2024-01-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "1.0"), ev("fixed", "1.1"), ev("introduced", "2.0"), ev("fixed", "2.1")}}}}), "test")
	withdrawn := rec("MAL-6", "fastapi", "2024-01-01T00:00:00Z", Affected{Versions: []string{"0.1"}})
	wt := withdrawn.Modified
	withdrawn.Withdrawn = &wt
	db.Add(withdrawn, "test")
	db.AddList(map[string][]string{"Typo.Squat": {"0.0.1"}, "anyver": nil}, "list")
	tests := []struct {
		name, version string
		want          []string // ids, "list" for list entries
	}{
		{"evil-pkg", "", []string{"MAL-1"}},
		{"EVIL.pkg", "99.0", []string{"MAL-1"}},
		{"evil_pkg", "0.0.1.dev0", []string{"MAL-1"}},
		{"fixedpkg", "1.1", nil},
		{"fixedpkg", "1.2", []string{"MAL-2"}},
		{"fixedpkg", "1.6.9", []string{"MAL-2"}},
		{"fixedpkg", "1.7rc1", []string{"MAL-2"}}, // released before the fix
		{"fixedpkg", "1.7", nil},
		{"fixedpkg", "1.7.post1", nil},
		{"fixedpkg", "1.2+local", []string{"MAL-2"}},
		{"lastpkg", "2.0", []string{"MAL-3"}},
		{"lastpkg", "2.0.post1", nil},
		{"lastpkg", "2.0rc1", []string{"MAL-3"}},
		{"listpkg", "1.0", []string{"MAL-4"}},
		{"listpkg", "1.0.0", []string{"MAL-4"}},
		{"listpkg", "1.0+ubuntu1", []string{"MAL-4"}},
		{"listpkg", "1.0.post1", nil},
		{"listpkg", "2.0-1", []string{"MAL-4"}}, // 2.0.post1 spelled otherwise
		{"listpkg", "not a version", nil},
		{"twice", "1.0.5", []string{"MAL-5"}},
		{"twice", "1.5", nil},
		{"twice", "2.0.1", []string{"MAL-5"}},
		{"fastapi", "0.1", nil},
		{"fastapi", "", nil},
		{"typo-squat", "0.0.1", []string{"list"}},
		{"typo-squat", "0.0.2", nil},
		{"typo-squat", "", []string{"list"}},
		{"anyver", "5", []string{"list"}},
		{"unknown", "", nil},
	}
	for _, tt := range tests {
		ms, err := db.Lookup(context.Background(), tt.name, tt.version)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			if m.ID == "" {
				got = append(got, "list")
			} else {
				got = append(got, m.ID)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s==%s: %v, want %v", tt.name, tt.version, got, tt.want)
		}
	}
}

func TestRepositoryData(t *testing.T) {
	db, err := BuildSnapshotDB(os.DirFS("../../data"))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := db.Stats(context.Background())
	if st.Records != 3 || st.Withdrawn != 1 || st.Listed != 10181 {
		t.Errorf("stats %+v, want 3 records (1 withdrawn) and 10,181 listed", st)
	}
	ctx := context.Background()
	if ms, _ := db.Lookup(ctx, "123bla", "0.0.1"); len(ms) != 2 || ms[0].ID != "MAL-2024-10238" {
		t.Errorf("123bla==0.0.1: %+v, want the OSV record and the list entry", ms)
	}
	if ms, _ := db.Lookup(ctx, "fastapi", "0.136.3"); len(ms) != 0 {
		t.Errorf("withdrawn record matched: %+v", ms)
	}
	if r, err := db.Record(ctx, "MAL-2026-4750"); err != nil || !r.IsWithdrawn() {
		t.Errorf("withdrawn record kept for show: %v %v", r, err)
	}
	if ms, _ := db.LookupHash(ctx, "ea0180f65c21d699804d214af7461e2fb07d6178283e2a2767490bca95f5a14e"); len(ms) != 0 {
		t.Errorf("a withdrawn record's evidence hash matched: %+v", ms)
	}
}

// The embedded snapshot is what `go generate` makes of the data directory.
func TestSnapshotUpToDate(t *testing.T) {
	db, err := BuildSnapshotDB(os.DirFS("../../data"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, db); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), snapshotData) {
		t.Fatal("snapshot.jsonl.gz is stale; run: go generate ./internal/knownbad")
	}
	snap, err := Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := db.Stats(context.Background())
	b, _ := snap.Stats(context.Background())
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("snapshot stats %+v, data %+v", b, a)
	}
	if ms, _ := snap.Lookup(context.Background(), "123bla", "0.0.1"); len(ms) == 0 {
		t.Error("123bla==0.0.1 not in the snapshot")
	}
}

// syntheticZip builds an OSV ecosystem zip of n records.
func syntheticZip(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		r := rec(fmt.Sprintf("MAL-2025-%d", i), fmt.Sprintf("pkg-%d", i), "2025-01-02T03:04:05Z",
			Affected{Versions: []string{"1.0", fmt.Sprintf("1.%d", i%50)}})
		if i%10 == 0 {
			r.Affected[0] = Affected{Package: r.Affected[0].Package, Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "0")}}}}
		}
		if i%100 == 1 {
			w := r.Modified
			r.Withdrawn = &w
		}
		b, _ := json.Marshal(r)
		w, err := zw.Create(r.ID + ".json")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func TestLoadZip(t *testing.T) {
	data := syntheticZip(t, 20000)
	db, err := LoadZip(data, "osv")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := db.Stats(context.Background())
	if st.Records != 20000 || st.Withdrawn != 200 || st.Packages != 19800 {
		t.Errorf("stats %+v, want 20,000 records, 200 withdrawn, 19,800 packages", st)
	}
	if ms, _ := db.Lookup(context.Background(), "pkg-10", "7"); len(ms) != 1 {
		t.Errorf("introduced 0: %+v", ms)
	}
	if ms, _ := db.Lookup(context.Background(), "pkg-101", "1.0"); len(ms) != 0 {
		t.Errorf("withdrawn matched: %+v", ms)
	}
	// A truncated or corrupted archive is refused as a whole.
	for name, bad := range map[string][]byte{
		"truncated": data[:len(data)/2],
		"corrupted": append(append([]byte{}, data[:len(data)/3]...), bytes.Repeat([]byte{0xff}, len(data)-len(data)/3)...),
		"empty":     nil,
	} {
		if db, err := LoadZip(bad, "osv"); err == nil {
			st, _ := db.Stats(context.Background())
			t.Errorf("%s zip accepted: %+v", name, st)
		}
	}
}

func BenchmarkLoadZip20k(b *testing.B) {
	data := syntheticZip(b, 20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := LoadZip(data, "osv"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	db, err := Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		db.Lookup(ctx, "Requests", "2.31.0")
		db.Lookup(ctx, "123bla", "0.0.1")
	}
}

func BenchmarkSnapshotLoad(b *testing.B) {
	b.SetBytes(int64(len(snapshotData)))
	for b.Loop() {
		if _, err := ReadSnapshot(bytes.NewReader(snapshotData)); err != nil {
			b.Fatal(err)
		}
	}
}
