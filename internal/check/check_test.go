package check

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

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
	want := []string{"critical known-malicious evil-pkg", "medium dependency-confusion corp-utils", "medium unhashed flask",
		"medium typosquat numpyy", "medium install-time-code oldpkg", "low unpinned flask"}
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

// TestTyposquatSeverity: a name close to a popular project is high only
// when the project is far more popular and the lock corroborates it, and a
// popular project's own versions are never a dependency confusion.
func TestTyposquatSeverity(t *testing.T) {
	wheel := []deps.File{{Kind: "wheel", Name: "x.whl"}}
	sdist := []deps.File{{Kind: "sdist", Name: "x.tar.gz"}}
	index := deps.Source{Kind: "index"}
	tests := []struct {
		pkg  deps.Package
		want []string
	}{
		// rank 7, but nothing else known: medium.
		{deps.Package{Name: "reqeusts", Version: "2.31.0", Files: wheel}, []string{"medium typosquat requests"}},
		// rank 7 and only an sdist: high.
		{deps.Package{Name: "reqeusts", Version: "2.31.0", Files: sdist}, []string{"high typosquat requests", "medium install-time-code"}},
		{deps.Package{Name: "c1ick", Version: "8.1.7", Files: sdist}, []string{"high typosquat click", "medium install-time-code"}},
		// One edit from a rank-10,063 name: similar popularity, low.
		{deps.Package{Name: "emmett", Version: "2.6.1", Files: wheel}, []string{"low typosquat emmet"}},
		// A version digit apart from a popular name: a fork or successor.
		{deps.Package{Name: "tinycss", Version: "0.4", Files: wheel}, []string{"low typosquat tinycss2"}},
		{deps.Package{Name: "requests3", Version: "3.0.0a1", Files: wheel}, []string{"low typosquat requests"}},
		// Popular names, however spelled, are nobody's typosquat; a
		// popular project's three-digit versions are its own.
		{deps.Package{Name: "Jinja2", Version: "3.1.4", Files: wheel}, nil},
		{deps.Package{Name: "typing_extensions", Version: "4.12.2", Files: wheel}, nil},
		{deps.Package{Name: "PyPDF2", Version: "3.0.1", Files: wheel}, nil},
		{deps.Package{Name: "pywin32", Version: "311", Files: wheel}, nil},
		{deps.Package{Name: "pywin32", Version: "312", Files: wheel}, nil},
		{deps.Package{Name: "corp-utils", Version: "999.9.9", Files: wheel}, []string{"medium dependency-confusion"}},
		// Not resolved by name on an index: the name chose nothing.
		{deps.Package{Name: "reqeusts", Version: "2.31.0", Files: wheel, Source: deps.Source{Kind: "url"}}, nil},
	}
	for _, tt := range tests {
		p := tt.pkg
		if p.Source.Kind == "" {
			p.Source = index
		}
		p.File = "uv.lock"
		rep, err := Run(context.Background(), &deps.Inventory{Packages: []deps.Package{p}}, knownbad.NewDB())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			g := f.Severity.String() + " " + f.Kind
			if f.Ref != "" && f.Kind == "typosquat" {
				g += " " + f.Ref
			}
			got = append(got, g)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s==%s (-want +got):\n%s", p.Name, p.Version, diff)
		}
	}
}
