package scan

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/analyze"
)

// Asked for, the findings of a flagged result carry the code around their
// line, read from the artifact's own file; not asked for, they do not.
func TestExcerpts(t *testing.T) {
	data := sdist(t, map[string]string{"PKG-INFO": pkgInfo, "setup.py": theftSetup})
	lines := strings.Split(theftSetup, "\n")
	for _, n := range []int{0, 2} {
		r, err := One(context.Background(), Input{Path: "stealer-1.0.tar.gz", Data: data}, Config{Excerpt: n})
		if err != nil || r.Verdict != analyze.Malicious {
			t.Fatalf("verdict %s (%v)", r.Verdict, err)
		}
		var found bool
		for _, f := range r.Findings {
			if f.File != "stealer-1.0/setup.py" || f.Line < 1 {
				continue
			}
			found = true
			if n == 0 {
				if f.Excerpt != nil {
					t.Errorf("%s: an excerpt nobody asked for", f.Rule)
				}
				continue
			}
			first := max(1, f.Line-n)
			want := &analyze.Excerpt{Start: first, Lines: lines[first-1 : min(len(lines), f.Line+n)]}
			if d := cmp.Diff(want, f.Excerpt); d != "" {
				t.Errorf("%s at line %d: excerpt (-want +got):\n%s", f.Rule, f.Line, d)
			}
		}
		if !found {
			t.Fatal("no finding in setup.py")
		}
	}
}
