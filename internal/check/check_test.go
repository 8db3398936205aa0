package check

import (
	"context"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/severity"
)

func TestRun(t *testing.T) {
	db := knownbad.NewDB()
	db.AddList(map[string][]string{"evil-pkg": {"1.0"}}, "test")
	wheel := []deps.File{{Kind: "wheel", Name: "x.whl"}}
	inv := &deps.Inventory{Options: deps.Options{RequireHashes: true}, Packages: []deps.Package{
		{Name: "evil-pkg", Version: "1.0", File: "requirements.txt", Line: 1, Source: deps.Source{Kind: "index"}, Hashes: []string{"sha256:00"}},
		{Name: "numpyy", Version: "1.26.0", File: "requirements.txt", Line: 2, Source: deps.Source{Kind: "index"}, Hashes: []string{"sha256:00"}},
		{Name: "corp-utils", Version: "999.9.9", File: "uv.lock", Line: 3, Source: deps.Source{Kind: "index"}, Files: wheel},
		{Name: "certifi", Version: "2024.2.2", File: "uv.lock", Line: 4, Source: deps.Source{Kind: "index"}, Files: wheel},
		{Name: "oldpkg", Version: "0.1", File: "uv.lock", Line: 5, Source: deps.Source{Kind: "index"}, Files: []deps.File{{Kind: "sdist"}}},
		{Name: "flask", File: "requirements.txt", Line: 6, Source: deps.Source{Kind: "index"}},
		{Name: "idna", Specifier: "<4", File: "constraints.txt", Line: 1, Scope: "constraint", Source: deps.Source{Kind: "index"}},
	}}
	rep, err := Run(context.Background(), inv, db)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Severity.String()+" "+f.Kind+" "+f.Package)
	}
	want := []string{"critical known-malicious evil-pkg", "high typosquat numpyy", "medium dependency-confusion corp-utils",
		"medium unhashed flask", "medium install-time-code oldpkg", "low unpinned flask"}
	if len(got) != len(want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d: %q, want %q", i, got[i], want[i])
		}
	}
	if rep.Worst() != severity.Critical || rep.Packages != 7 {
		t.Errorf("worst %s, packages %d", rep.Worst(), rep.Packages)
	}
}
