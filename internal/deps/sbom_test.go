package deps

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// SBOMs as tools write them: the PyPI packages, with what each records.
func TestSBOM(t *testing.T) {
	tests := []struct {
		file     string
		parse    func(string, []byte) (*Lock, error)
		project  string
		want     []string
		problems []string
	}{
		{"cdxgen/bom.json", ParseCycloneDX, "flaskapp 0.3.0 @37 requires=flask,mylib,pytest", []string{
			"flask 3.0.2 ==3.0.2 main index direct=true @53 hashes=1 files=0 requires=werkzeug",
			"werkzeug 3.0.1 ==3.0.1 main index direct=false @87 hashes=1 files=0 requires=",
			"mylib 0.3.0 ==0.3.0 main vcs git+https://github.com/example/mylib@a1b2c3d direct=true @102 hashes=0 files=0 requires=",
			"pytest 8.0.0 ==8.0.0 optional index direct=true @123 hashes=1 files=0 requires=",
		}, []string{"cdxgen/bom.json:0: 1 component is not a PyPI package and is not read (npm 1)"}},
		// A container: nothing says what is direct.
		{"syft/image.cdx.json", ParseCycloneDX, "", []string{
			"requests 2.31.0 ==2.31.0 main index direct=false @41 hashes=0 files=0 requires=urllib3",
			"urllib3 2.2.1 ==2.2.1 main index direct=false @74 hashes=0 files=0 requires=",
		}, []string{"syft/image.cdx.json:0: 2 components are not PyPI packages and are not read (deb 1, no purl 1)"}},
		// Safeguard's own: groups, directness and specifiers come back.
		{"safeguard/webapp.cdx.json", ParseCycloneDX, "webapp 1.2.0 @22 requires=mylib,pytest,requests,rich", []string{
			"certifi 2024.2.2 ==2024.2.2 main index direct=false @46 hashes=1 files=1 requires=",
			"mylib 0.3.0 ==0.3.0 main vcs git+https://github.com/example/mylib?rev=v0.3.0#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 direct=true @85 hashes=0 files=0 requires=",
			"pytest 8.0.0 ==8.0.0 group:dev index direct=true @127 hashes=1 files=1 requires=",
			"requests 2.31.0 ==2.31.0 main index direct=true @180 hashes=2 files=2 requires=certifi",
			"rich  >=13 main index direct=true @233 hashes=0 files=0 requires=",
		}, nil},
		{"syft/image.spdx.json", ParseSPDX, "", []string{
			"requests 2.31.0 ==2.31.0 main index direct=false @60 hashes=0 files=0 requires=urllib3",
			"urllib3 2.2.1 ==2.2.1 main index direct=false @78 hashes=0 files=0 requires=",
		}, []string{"syft/image.spdx.json:0: 1 component is not a PyPI package and is not read (deb 1)"}},
		// GitHub's export: the repository is the root (not a PyPI
		// package), PACKAGE_MANAGER spelt the SPDX 2.2 way for werkzeug.
		{"github/webapp.spdx.json", ParseSPDX, "", []string{
			"flask 3.0.2 ==3.0.2 main index direct=true @43 hashes=0 files=0 requires=",
			"werkzeug 3.0.1 ==3.0.1 main index direct=true @58 hashes=0 files=0 requires=",
		}, []string{"github/webapp.spdx.json:0: 1 component is not a PyPI package and is not read (githubactions 1)"}},
		// A dependency group is only dev in SPDX; the specifier is lost.
		{"safeguard/webapp.spdx.json", ParseSPDX, "webapp 1.2.0 @28 requires=mylib,pytest,requests,rich", []string{
			"certifi 2024.2.2 ==2024.2.2 main index direct=false @53 hashes=1 files=0 requires=",
			"mylib 0.3.0 ==0.3.0 main vcs git+https://github.com/example/mylib?rev=v0.3.0#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 direct=true @72 hashes=0 files=0 requires=",
			"pytest 8.0.0 ==8.0.0 dev index direct=true @97 hashes=1 files=0 requires=",
			"requests 2.31.0 ==2.31.0 main index direct=true @126 hashes=2 files=0 requires=certifi",
			"rich   main index direct=true @144 hashes=0 files=0 requires=",
		}, nil},
	}
	for _, tt := range tests {
		data, err := os.ReadFile("testdata/sbom/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		l, err := tt.parse(tt.file, data)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		project := ""
		if l.Project != nil {
			project = fmt.Sprintf("%s %s @%d requires=%s", l.Project.Name, l.Project.Version, l.Project.Line, strings.Join(l.Project.Requires, ","))
		}
		var rows []string
		for _, p := range l.Packages {
			rows = append(rows, fmt.Sprintf("%s %s %s %s %s direct=%v @%d hashes=%d files=%d requires=%s", p.Name, p.Version, p.Specifier, p.Scope,
				strings.TrimSpace(p.Source.Kind+" "+p.Source.URL), p.Direct, p.Line, len(p.Hashes), len(p.Files), strings.Join(p.Requires, ",")))
		}
		if d := cmp.Diff(tt.project, project); d != "" {
			t.Errorf("%s: project (-want +got):\n%s", tt.file, d)
		}
		if d := cmp.Diff(tt.want, rows); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, d)
		}
		if d := cmp.Diff(tt.problems, problemStrings(l.Problems)); d != "" {
			t.Errorf("%s: problems (-want +got):\n%s", tt.file, d)
		}
	}
}

// What is refused, and what a hostile SBOM is cut down to.
func TestSBOMHostile(t *testing.T) {
	nested := `{"purl": "pkg:pypi/leaf@1"}`
	for i := 0; i < 20; i++ {
		nested = `{"purl": "pkg:pypi/n` + fmt.Sprint(i) + `@1", "components": [` + nested + `]}`
	}
	many := strings.Repeat(`{"purl": "pkg:pypi/x@1"},`, maxSBOMComponents) + `{"purl": "pkg:pypi/y@1"}`
	tests := []struct {
		name, data string
		parse      func(string, []byte) (*Lock, error)
		packages   int
		err        string
		problems   []string
	}{
		{"old.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.1", "components": []}`, ParseCycloneDX, 0,
			`old.cdx.json: CycloneDX specVersion "1.1"; Safeguard reads 1.2 to 1.7`, nil},
		{"spdx.cdx.json", `{"spdxVersion": "SPDX-2.3", "packages": []}`, ParseCycloneDX, 0,
			`spdx.cdx.json: bomFormat "", not a CycloneDX BOM`, nil},
		{"v3.spdx.json", `{"spdxVersion": "SPDX-3.0"}`, ParseSPDX, 0,
			`v3.spdx.json: spdxVersion "SPDX-3.0"; Safeguard reads SPDX-2.2 and SPDX-2.3 JSON`, nil},
		{"bad.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"purl": 7}]}`, ParseCycloneDX, 0,
			"bad.cdx.json: json: cannot unmarshal number into Go struct field cdxComponent.components.purl of type string", nil},
		{"nested.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [` + nested + `]}`, ParseCycloneDX, maxSBOMDepth, "",
			[]string{"nested.cdx.json:0: components nested more than 16 deep are not read"}},
		{"many.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.7", "components": [` + many + `]}`, ParseCycloneDX, maxSBOMComponents, "",
			[]string{"many.cdx.json:0: more than 100000 components; the rest are not read"}},
		{"bad-purls.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"purl": "pkg:pypi/"}, {"purl": "pypi/x@1"}, {"name": "x"}]}`,
			ParseCycloneDX, 0, "", []string{"bad-purls.cdx.json:0: 3 components are not PyPI packages and are not read (no purl 3)"}},
	}
	for _, tt := range tests {
		l, err := tt.parse(tt.name, []byte(tt.data))
		if !wantError(t, tt.name, err, tt.err) {
			continue
		}
		if len(l.Packages) != tt.packages {
			t.Errorf("%s: %d packages, want %d", tt.name, len(l.Packages), tt.packages)
		}
		if d := cmp.Diff(tt.problems, problemStrings(l.Problems)); d != "" {
			t.Errorf("%s: problems (-want +got):\n%s", tt.name, d)
		}
	}
	for _, f := range []string{"cdxgen/bom.json", "safeguard/webapp.spdx.json"} {
		data, _ := os.ReadFile("testdata/sbom/" + f)
		if _, err := ParseCycloneDX(f, data[:len(data)/2]); err == nil {
			t.Errorf("%s: a truncated file was accepted", f)
		}
		if _, err := ParseSPDX(f, data[:len(data)/2]); err == nil {
			t.Errorf("%s: a truncated file was accepted", f)
		}
	}
}

// A project directory's SBOMs are read under their unambiguous names only;
// a .json file named on the command line is read by what it holds.
func TestCollectSBOM(t *testing.T) {
	cdx, _ := os.ReadFile("testdata/sbom/syft/image.cdx.json")
	spdx, _ := os.ReadFile("testdata/sbom/github/webapp.spdx.json")
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"image.cdx.json":   cdx,
		"sbom.json":        spdx,
		"app.spdx.json":    spdx,
		"package.json":     []byte(`{"name": "frontend"}`),
		"report.json":      []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"purl": "pkg:pypi/six@1.16.0"}]}`),
		"requirements.txt": []byte("attrs==25.1.0\n"),
	} {
		if err := os.WriteFile(dir+"/"+name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		target string
		files  []string
		names  []string
		err    string
	}{
		{dir, []string{"app.spdx.json", "image.cdx.json", "requirements.txt"}, []string{"flask", "werkzeug", "requests", "urllib3", "attrs"}, ""},
		{dir + "/sbom.json", []string{"sbom.json"}, []string{"flask", "werkzeug"}, ""},
		{dir + "/report.json", []string{"report.json"}, []string{"six"}, ""},
		{dir + "/image.cdx.json", []string{"image.cdx.json"}, []string{"requests", "urllib3"}, ""},
		{dir + "/package.json", nil, nil, dir + "/package.json: not a dependency file Safeguard reads"},
	}
	for _, tt := range tests {
		inv, err := Collect(t.Context(), tt.target)
		if !wantError(t, tt.target, err, tt.err) {
			continue
		}
		var names []string
		for _, p := range inv.Packages {
			names = append(names, p.Name)
		}
		if d := cmp.Diff(tt.files, inv.Files); d != "" {
			t.Errorf("%s: files (-want +got):\n%s", tt.target, d)
		}
		if d := cmp.Diff(tt.names, names); d != "" {
			t.Errorf("%s: packages (-want +got):\n%s", tt.target, d)
		}
	}
}

// wantError reports whether a case goes on: no error, none wanted. An
// error that is not the one wanted fails the test.
func wantError(t *testing.T, name string, err error, want string) bool {
	t.Helper()
	switch {
	case want != "" && (err == nil || err.Error() != want):
		t.Errorf("%s: error %v, want %q", name, err, want)
	case want == "" && err != nil:
		t.Errorf("%s: %v", name, err)
	}
	return err == nil && want == ""
}

func problemStrings(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

func TestSBOMHash(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"SHA-256", "ABCD"}:     "sha256:abcd",
		{"SHA256", "abcd"}:      "sha256:abcd",
		{"SHA-512", "ab"}:       "sha512:ab",
		{"SHA3-256", "ab"}:      "sha3_256:ab",
		{"BLAKE2b-512", "ab"}:   "blake2b:ab",
		{"BLAKE2b-256", "ab"}:   "",
		{"BLAKE3", "ab"}:        "",
		{"SHA-256", ""}:         "",
		{"sha_1", "ab"}:         "sha1:ab",
		{"ADLER32", "ab"}:       "",
		{"MD5", "d41d8cd98f00"}: "md5:d41d8cd98f00",
	} {
		got, _ := sbomHash(in[0], in[1])
		if got != want {
			t.Errorf("sbomHash(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

// FuzzSBOMInput: no SBOM makes a reader panic, and every package it
// reads has a name and a line inside the file.
func FuzzSBOMInput(f *testing.F) {
	for _, n := range []string{"cdxgen/bom.json", "syft/image.cdx.json", "syft/image.spdx.json", "github/webapp.spdx.json"} {
		data, _ := os.ReadFile("testdata/sbom/" + n)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, parse := range []func(string, []byte) (*Lock, error){ParseCycloneDX, ParseSPDX} {
			l, err := parse("x.json", data)
			if err != nil {
				continue
			}
			for _, p := range l.Packages {
				if p.Name == "" || p.Line < 0 || p.Line > lines {
					t.Fatalf("package %q at line %d of %d", p.Name, p.Line, lines)
				}
			}
		}
	})
}
