package deps

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestRequirements(t *testing.T) {
	env := func(k string) (string, bool) {
		if k == "TOKEN_LIB_VERSION" {
			return "1.4.0", true
		}
		return "", false
	}
	r, err := ParseRequirements(os.DirFS("testdata/reqs"), "requirements.txt", env)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name, Version, Spec, Scope, Kind, Where string
		Hashes                                  int
		Marker                                  string
		Extras                                  string
		Editable                                bool
	}
	var got []row
	for _, p := range r.Packages {
		got = append(got, row{p.Name, p.Version, p.Specifier, p.Scope, p.Source.Kind, p.File + ":" + itoa(p.Line), len(p.Hashes), p.Marker, strings.Join(p.Extras, ","), p.Source.Editable})
	}
	want := []row{
		{"certifi", "2024.2.2", "==2024.2.2", "main", "index", "base.txt:1", 1, "", "", false},
		{"idna", "", "<4", "constraint", "index", "constraints.txt:1", 0, "", "", false},
		{"requests", "2.31.0", "==2.31.0", "main", "index", "requirements.txt:8", 2, "", "security,socks", false},
		{"urllib3", "", "<3,>=1.21.1", "main", "index", "requirements.txt:11", 0, "", "", false},
		{"pywin32", "306", "==306", "main", "index", "requirements.txt:12", 0, `sys_platform == "win32"`, "", false},
		{"mylib", "", "", "main", "url", "requirements.txt:13", 0, "", "", false},
		{"tool", "", "", "main", "vcs", "requirements.txt:14", 0, "", "", true},
		{"localpkg", "", "", "main", "path", "requirements.txt:15", 0, "", "", false},
		{"token-lib", "1.4.0", "==1.4.0", "main", "index", "requirements.txt:16", 0, "", "", false},
		{"django", "", "", "main", "index", "requirements.txt:17", 0, "", "", false},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	wantOpts := Options{IndexURL: "https://pypi.example.invalid/simple", ExtraIndexURLs: []string{"https://mirror.example.invalid/simple"}, RequireHashes: true}
	if d := cmp.Diff(wantOpts, r.Options); d != "" {
		t.Errorf("options (-want +got):\n%s", d)
	}
	// The include cycle (base.txt includes requirements.txt) and the bad line
	// are reported with file and line; nothing else is lost.
	var problems []string
	for _, p := range r.Problems {
		problems = append(problems, p.File+":"+itoa(p.Line))
	}
	if d := cmp.Diff([]string{"base.txt:2", "requirements.txt:18"}, problems); d != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", d, r.Problems)
	}
	if !strings.Contains(r.Problems[0].Message, "cycle") {
		t.Errorf("cycle not named: %v", r.Problems[0])
	}
}

func TestRequirementsHostile(t *testing.T) {
	fsys := fstest.MapFS{
		"big.txt":  {Data: []byte(strings.Repeat("x==1\n", 2<<20))},
		"deep.txt": {Data: []byte("-r deep.txt\n")},
		"ok.txt":   {Data: []byte("-r big.txt\n-r missing.txt\nfoo==1\n")},
	}
	if _, err := ParseRequirements(fsys, "big.txt", nil); err == nil {
		t.Error("an oversized file was read")
	}
	r, err := ParseRequirements(fsys, "ok.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Packages) != 1 || len(r.Problems) != 2 {
		t.Errorf("packages %+v problems %+v", r.Packages, r.Problems)
	}
	r, err = ParseRequirements(fsys, "deep.txt", nil)
	if err != nil || len(r.Problems) != 1 {
		t.Errorf("self-include: %v %+v", err, r)
	}
}

func FuzzRequirements(f *testing.F) {
	for _, name := range []string{"requirements.txt", "base.txt", "constraints.txt"} {
		b, _ := os.ReadFile("testdata/reqs/" + name)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRequirements(fstest.MapFS{"r.txt": {Data: data}}, "r.txt", nil)
		if err != nil {
			return
		}
		for _, p := range r.Problems {
			if p.Line < 1 {
				t.Errorf("problem without a line: %+v", p)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
