package check

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/severity"
)

// TestPopularProjects checks the dependency files of well-known open-source
// projects, written into testdata/projects from their public repositories
// (abridged): none of them may give a finding above low unless it is
// true. Every finding is listed, so a change in what is flagged shows here.
func TestPopularProjects(t *testing.T) {
	want := map[string][]string{
		// True: these two publish only an sdist, so installing them runs
		// their setup code (not a typosquat, not a failure: medium).
		"litestar": {"medium install-time-code editorconfig", "medium install-time-code sphinx-paramlinks"},
	}
	// trueAbove are the findings above low that are true.
	trueAbove := map[string]bool{
		"medium install-time-code editorconfig":      true,
		"medium install-time-code sphinx-paramlinks": true,
	}
	dirs, err := os.ReadDir("testdata/projects")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("%d projects, want at least 10", len(dirs))
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			inv, err := deps.Collect(context.Background(), filepath.Join("testdata/projects", d.Name()))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Run(context.Background(), inv, knownbad.NewDB())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Packages < 10 || len(rep.Problems) > 0 {
				t.Errorf("%d packages read, problems %q", rep.Packages, rep.Problems)
			}
			// check exits 0 at the default --fail-on high.
			if w := rep.Worst(); w >= severity.High {
				t.Errorf("worst finding %s: check would fail the build", w)
			}
			var got []string
			for _, f := range rep.Findings {
				g := f.Severity.String() + " " + f.Kind + " " + f.Package
				if f.Severity > severity.Low && !trueAbove[g] {
					t.Errorf("false [%s] %s %s==%s (%s:%d): %s", f.Severity, f.Kind, f.Package, f.Version, f.File, f.Line, f.Message)
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(want[d.Name()], got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
