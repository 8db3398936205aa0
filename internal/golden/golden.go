// Package golden compares what tests produce with files kept in the
// repository — golden outputs and docs generated from code — and, run
// with -update, rewrites those files instead. It is the one -update flag
// of every package's tests; it is for tests only.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and generated docs from what the code produces now")

// Update reports whether the tests run with -update.
func Update() bool { return *update }

// Check compares got with the file at path, failing t with the difference
// (-want +got). With -update it writes got to path instead.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s is not what the code produces now (-want +got); if the change is intended, run the test with -update and review the diff:\n%s", path, d)
	}
}
