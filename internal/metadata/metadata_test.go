package metadata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCoreLegacy(t *testing.T) {
	c := ParseCore(readTestdata(t, "PKG-INFO-1.1"))
	want := &Core{
		MetadataVersion: "1.1", Name: "legacy", Version: "0.9", Summary: "Old style",
		HomePage: "https://example.org", Author: "A. Person", License: "MIT",
		Description: "First line\nsecond line\n       indented\npipe line",
		Platforms:   []string{"UNKNOWN"},
		Classifiers: []string{"License :: OSI Approved :: MIT License", "Programming Language :: Python :: 2"},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ParseCore (-want +got):\n%s", diff)
	}
	if got := c.LicenseSummary(); got != "MIT" {
		t.Errorf("LicenseSummary = %q", got)
	}
}

func TestParseCoreModern(t *testing.T) {
	c := ParseCore(readTestdata(t, "METADATA-2.4"))
	want := &Core{
		MetadataVersion: "2.4", Name: "modern", Version: "1.0",
		LicenseExpression: "MIT OR Apache-2.0", LicenseFiles: []string{"LICENSE", "NOTICE"},
		Dynamic:        []string{"Requires-Dist"},
		RequiresDist:   []string{`requests>=2; python_version >= "3.8"`, "rich[jupyter]"},
		ProvidesExtra:  []string{"cli"},
		ProjectURLs:    map[string]string{"Source": "https://github.com/x/y"},
		RequiresPython: ">=3.9",
		Description:    "# Modern\n\nBody text.\n",
		Problems: []Problem{
			{Line: 13, Message: "not a header field: not a header"},
			{Message: "Project-URL without a label: bad url without label"},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ParseCore (-want +got):\n%s", diff)
	}
}

func TestParseCoreHostile(t *testing.T) {
	c := ParseCore([]byte("Name: x\xff\xfe\nVersion: 1\n  continued\n"))
	if c.Name != "x\uFFFD" || c.Version != "1\ncontinued" {
		t.Errorf("name %q version %q", c.Name, c.Version)
	}
	if len(c.Problems) == 0 {
		t.Errorf("invalid UTF-8 should be a problem")
	}
	if c := ParseCore(nil); c.Name != "" || len(c.Problems) != 2 {
		t.Errorf("empty input: %+v", c)
	}
}

func TestParseRecord(t *testing.T) {
	rec := ParseRecord([]byte("pkg/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n" +
		"\"pkg/with,comma.py\",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n" +
		"pkg-1.dist-info/RECORD,,\n" +
		"bad-hash.py,sha256,1\n" +
		"bad-size.py,sha256=AAAA,-4\n" +
		"two,fields\n" +
		"\n"))
	want := []RecordEntry{
		{Line: 1, Path: "pkg/__init__.py", Algorithm: "sha256", Size: 0},
		{Line: 2, Path: "pkg/with,comma.py", Algorithm: "sha256", Size: 0},
		{Line: 3, Path: "pkg-1.dist-info/RECORD", Size: -1},
	}
	if diff := cmp.Diff(want, rec.Entries, cmpopts.IgnoreFields(RecordEntry{}, "Digest")); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if len(rec.Entries[0].Digest) != 32 {
		t.Errorf("digest is %d bytes, want 32", len(rec.Entries[0].Digest))
	}
	wantProblems := []int{4, 5, 6}
	var got []int
	for _, p := range rec.Problems {
		got = append(got, p.Line)
	}
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s\n%v", diff, rec.Problems)
	}
}

func TestParseEntryPoints(t *testing.T) {
	eps, problems := ParseEntryPoints([]byte("[console_scripts]\nfoo = foo.cli:main\nbar=bar:run [fast, slow]\n\n; comment\n[gui_scripts]\nbaz = baz\nstray line\n"))
	want := []EntryPoint{
		{Group: "console_scripts", Name: "foo", Value: "foo.cli:main", Module: "foo.cli", Attr: "main", Line: 2},
		{Group: "console_scripts", Name: "bar", Value: "bar:run [fast, slow]", Module: "bar", Attr: "run", Extras: []string{"fast", "slow"}, Line: 3},
		{Group: "gui_scripts", Name: "baz", Value: "baz", Module: "baz", Line: 7},
	}
	if diff := cmp.Diff(want, eps); diff != "" {
		t.Errorf("entry points (-want +got):\n%s", diff)
	}
	if len(problems) != 1 || problems[0].Line != 8 {
		t.Errorf("problems = %v", problems)
	}
}

func TestParseSetupCfg(t *testing.T) {
	c := ParseSetupCfg([]byte("[metadata]\nname = cfgpkg\nversion: 1.2\n\n[options]\ninstall_requires =\n    requests>=2  # http\n    six\npython_requires = >=3.8\n\n[options.entry_points]\nconsole_scripts =\n    cfg = cfgpkg.cli:main\n"))
	if c.Name != "cfgpkg" || c.Version != "1.2" || c.PythonRequires != ">=3.8" {
		t.Errorf("setup.cfg = %+v", c)
	}
	if diff := cmp.Diff([]string{"requests>=2", "six"}, c.InstallRequires); diff != "" {
		t.Errorf("install_requires (-want +got):\n%s", diff)
	}
	if len(c.EntryPoints) != 1 || c.EntryPoints[0].Module != "cfgpkg.cli" {
		t.Errorf("entry points = %+v", c.EntryPoints)
	}
}

func TestParsePyproject(t *testing.T) {
	p, err := ParsePyproject([]byte(`
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
backend-path = ["."]

[project]
name = "pp"
version = "3"
dependencies = ["httpx", 7]
license = {text = "BSD"}
optional-dependencies = {dev = ["pytest"], "odd.name" = ["x"]}
scripts = {pp = "pp:main"}
entry-points = {"pp.plugins" = {b = "pp.b:B", a = "pp.a:A"}}

[tool.hatch.build.hooks.custom]
path = "hatch_build.py"
`))
	if err != nil {
		t.Fatal(err)
	}
	if p.BuildBackend != "hatchling.build" || p.Name != "pp" || p.License != "BSD" {
		t.Errorf("pyproject = %+v", p)
	}
	if diff := cmp.Diff([]string{"httpx"}, p.Dependencies); diff != "" {
		t.Errorf("dependencies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][]string{"dev": {"pytest"}, "odd.name": {"x"}}, p.OptionalDependencies); diff != "" {
		t.Errorf("optional-dependencies (-want +got):\n%s", diff)
	}
	if len(p.EntryPoints) != 2 || p.EntryPoints[0].Name != "a" {
		t.Errorf("entry points not sorted: %+v", p.EntryPoints)
	}
	if len(p.Problems) != 1 {
		t.Errorf("problems = %v; want one for the integer dependency", p.Problems)
	}
	if diff := cmp.Diff([]string{"hatch"}, p.Tools); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	if _, err := ParsePyproject([]byte("[project\nname=")); err == nil {
		t.Error("invalid TOML should be an error")
	}
}

func TestParseWheel(t *testing.T) {
	w := ParseWheel([]byte("Wheel-Version: 2.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\nTag: cp311-abi3-linux_x86_64\n"))
	if w.RootIsPurelib || len(w.Tags) != 2 || len(w.Problems) != 1 {
		t.Errorf("WHEEL = %+v; want two tags and a problem for version 2.0", w)
	}
}
