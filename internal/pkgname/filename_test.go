package pkgname

import (
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/fuzzseed"
)

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"Django":            "django",
		"python_dateutil":   "python-dateutil",
		"zope.interface":    "zope-interface",
		"Foo.-_Bar":         "foo-bar",
		"ruamel.yaml.clib":  "ruamel-yaml-clib",
		"backports.tarfile": "backports-tarfile",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Filename
	}{
		{"requests-2.31.0-py3-none-any.whl", Filename{Kind: KindWheel, Name: "requests", Version: "2.31.0", VersionValid: true,
			PythonTags: []string{"py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}}},
		{"six-1.16.0-py2.py3-none-any.whl", Filename{Kind: KindWheel, Name: "six", Version: "1.16.0", VersionValid: true,
			PythonTags: []string{"py2", "py3"}, ABITags: []string{"none"}, PlatformTags: []string{"any"}}},
		{"numpy-1.26.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", Filename{Kind: KindWheel, Name: "numpy", Version: "1.26.0", VersionValid: true, Build: "1",
			PythonTags: []string{"cp311"}, ABITags: []string{"cp311"}, PlatformTags: []string{"manylinux_2_17_x86_64", "manylinux2014_x86_64"}}},
		{"python_dateutil-2.8.2.tar.gz", Filename{Kind: KindSdist, Name: "python_dateutil", Version: "2.8.2", VersionValid: true, Extension: ".tar.gz"}},
		{"python-dateutil-2.8.2.tar.gz", Filename{Kind: KindSdist, Name: "python-dateutil", Version: "2.8.2", VersionValid: true, Extension: ".tar.gz", Legacy: true}},
		{"foo-2fa-1.0.zip", Filename{Kind: KindSdist, Name: "foo-2fa", Version: "1.0", VersionValid: true, Extension: ".zip", Legacy: true}},
		{"pkg-1.0-1.tar.gz", Filename{Kind: KindSdist, Name: "pkg", Version: "1.0-1", VersionValid: true, Extension: ".tar.gz", Legacy: true}},
		{"odd-name-latest.tar.bz2", Filename{Kind: KindSdist, Name: "odd-name", Version: "latest", Extension: ".tar.bz2", Legacy: true}},
		{"Twisted-8.2.0.win32-py2.5.egg", Filename{Kind: KindEgg, Name: "Twisted", Version: "8.2.0.win32", PythonTags: []string{"py2.5"}}},
		{"setuptools-0.6c11-py2.7.egg", Filename{Kind: KindEgg, Name: "setuptools", Version: "0.6c11", VersionValid: true, PythonTags: []string{"py2.7"}}},
		{"my_pkg-1.0-py3.8-linux-x86_64.egg", Filename{Kind: KindEgg, Name: "my-pkg", Version: "1.0", VersionValid: true, PythonTags: []string{"py3.8"}, PlatformTags: []string{"linux-x86_64"}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"README.md", "foo.whl", "a-b-c.whl", "foo-1.0-x-py3-none-any.whl", "-1.0.tar.gz", "noversion.tar.gz",
		"bad name-1.0-py3-none-any.whl", "x-1.0--none-any.whl",
	} {
		if f, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want error", in, f)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"requests-2.31.0-py3-none-any.whl", "python-dateutil-2.8.2.tar.gz", "a-1.egg", "x-1-2-3-4-5-6.whl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			return
		}
		if got.Name == "" || got.Version == "" {
			t.Fatalf("Parse(%q) = %+v: empty name or version without error", s, got)
		}
		if !strings.Contains(s, got.Version) && !strings.Contains(s, strings.ReplaceAll(got.Version, "-", "_")) {
			t.Fatalf("Parse(%q): version %q is not in the input", s, got.Version)
		}
		if n := Normalize(got.Name); Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q", got.Name)
		}
	})
}

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seed corpus to testdata/fuzz")

func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-seeds to regenerate testdata/fuzz/FuzzParse")
	}
	for _, s := range []string{"numpy-1.26.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "foo-2fa-1.0.zip", "Twisted-8.2.0-py2.5-linux-x86_64.egg", "a-1.0-1.tar.gz"} {
		if err := fuzzseed.Write(".", "FuzzParse", s); err != nil {
			t.Fatal(err)
		}
	}
}
