package artifact

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadWheel(t *testing.T) {
	data := wheelOf(t, "demo", "1.0",
		file("demo/__init__.py", "print('hi')\n"),
		file("demo-1.0.dist-info/entry_points.txt", "[console_scripts]\ndemo = demo.cli:main [extra]\n"),
		file("demo-1.0.dist-info/top_level.txt", "demo\n"),
	)
	a := mustRead(t, "demo-1.0-py3-none-any.whl", data)
	if a.Kind != KindWheel || a.Format != FormatZip {
		t.Errorf("kind, format = %s, %s; want wheel, zip", a.Kind, a.Format)
	}
	if a.Name() != "demo" || a.Version() != "1.0" || a.Meta.Core.Summary != "test wheel" {
		t.Errorf("metadata = %q %q %q", a.Name(), a.Version(), a.Meta.Core.Summary)
	}
	if len(a.Anomalies) != 0 {
		t.Errorf("clean wheel has anomalies: %v", a.Anomalies)
	}
	if got := a.Meta.EntryPoints; len(got) != 1 || got[0].Module != "demo.cli" || got[0].Attr != "main" || got[0].Extras[0] != "extra" {
		t.Errorf("entry points = %+v", got)
	}
	if diff := cmp.Diff([]string{"demo"}, a.Meta.TopLevel); diff != "" {
		t.Errorf("top_level (-want +got):\n%s", diff)
	}
	if f := a.File("demo/__init__.py"); f == nil || string(f.Bytes()) != "print('hi')\n" {
		t.Errorf("content of demo/__init__.py not readable")
	}
	if !a.Meta.Wheel.RootIsPurelib || a.Meta.Wheel.Tags[0] != "py3-none-any" {
		t.Errorf("WHEEL = %+v", a.Meta.Wheel)
	}
}

func TestWheelRecordVerification(t *testing.T) {
	// Build a valid wheel, then tamper: change a file, add an unlisted
	// one and drop a listed one, as a wheel edited after building would.
	good := mustRead(t, "x-1.0-py3-none-any.whl", wheelOf(t, "x", "1.0", file("x/a.py", "a = 1\n"), file("x/b.py", "b = 2\n")))
	record := string(good.File("x-1.0.dist-info/RECORD").Bytes())
	tampered := zipOf(t,
		file("x/a.py", "import os; os.system('id')\n"),
		file("x/evil.py", "steal()\n"),
		file("x-1.0.dist-info/METADATA", string(good.File("x-1.0.dist-info/METADATA").Bytes())),
		file("x-1.0.dist-info/WHEEL", string(good.File("x-1.0.dist-info/WHEEL").Bytes())),
		file("x-1.0.dist-info/RECORD", record+"x/c.py,md5=AAAA,3\n"),
	)
	a := mustRead(t, "x-1.0-py3-none-any.whl", tampered)
	got := anomalyKinds(a)
	sort.Strings(got)
	want := []string{
		"record-hash-mismatch x/a.py",
		"record-missing-file x/b.py",
		"record-missing-file x/c.py",
		"record-size-mismatch x/a.py",
		"record-unlisted-file x/evil.py",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("anomalies (-want +got):\n%s", diff)
	}
}

func TestReadSdist(t *testing.T) {
	data := gzipOf(t, tarOf(t,
		file("demo-2.0/PKG-INFO", "Metadata-Version: 2.2\nName: demo\nVersion: 2.0\nRequires-Dist: requests>=2\nRequires-Dist: six\nDynamic: Classifier\n\nLong description.\n"),
		file("demo-2.0/pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"backend\"\nbackend-path = [\"_build\"]\n[project]\nname = \"demo\"\ndependencies = [\"requests>=2\"]\n"),
		file("demo-2.0/setup.cfg", "[metadata]\nname = demo\n[options]\ninstall_requires =\n    requests>=2\n    six\n"),
		file("demo-2.0/setup.py", "from setuptools import setup\nsetup()\n"),
		file("demo-2.0/_build/backend.py", "def build_wheel(*a): pass\n"),
	))
	a := mustRead(t, "demo-2.0.tar.gz", data)
	if a.Kind != KindSdist || a.Format != FormatTarGz || a.Root != "demo-2.0" {
		t.Errorf("kind, format, root = %s, %s, %q", a.Kind, a.Format, a.Root)
	}
	m := a.Meta
	if m.Name != "demo" || m.Version != "2.0" || len(m.Core.RequiresDist) != 2 || m.Core.Description != "Long description.\n" {
		t.Errorf("core metadata = %+v", m.Core)
	}
	if diff := cmp.Diff([]string{"_build"}, m.Pyproject.BackendPath); diff != "" {
		t.Errorf("backend-path (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"requests>=2", "six"}, m.SetupCfg.InstallRequires); diff != "" {
		t.Errorf("install_requires (-want +got):\n%s", diff)
	}
	if m.SetupPy != "demo-2.0/setup.py" || a.RootFile("setup.py") == nil {
		t.Errorf("setup.py not found at the root")
	}
	if len(a.Anomalies) != 0 {
		t.Errorf("clean sdist has anomalies: %v", a.Anomalies)
	}
}

func TestCompressionFormats(t *testing.T) {
	inner := tarOf(t, file("p-1/setup.py", "setup()\n"))
	tests := []struct {
		name string
		data []byte
		want Format
	}{
		{"p-1.tar", inner, FormatTar},
		{"p-1.tar.gz", gzipOf(t, inner), FormatTarGz},
		{"p-1.tar.xz", xzOf(t, inner), FormatTarXz},
		{"p-1.zip", zipOf(t, file("p-1/setup.py", "setup()\n")), FormatZip},
		{"p-1.tar.bz2", readFixture(t, "p-1.tar.bz2"), FormatTarBz2},
	}
	for _, tt := range tests {
		a := mustRead(t, tt.name, tt.data)
		if a.Format != tt.want || a.Kind != KindSdist || a.RootFile("setup.py") == nil {
			t.Errorf("%s: format %s kind %s, setup.py found %v", tt.name, a.Format, a.Kind, a.RootFile("setup.py") != nil)
		}
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHostileTar(t *testing.T) {
	data := gzipOf(t, tarOf(t,
		file("p-1/setup.py", "setup()\n"),
		file("../../evil.py", "x"),
		file("/etc/cron.d/evil", "* * * * * root id\n"),
		entry{name: "p-1/passwd", typeflag: tar.TypeSymlink, link: "/etc/passwd"},
		entry{name: "p-1/up", typeflag: tar.TypeSymlink, link: "../../../.ssh/id_rsa"},
		entry{name: "p-1/inside", typeflag: tar.TypeSymlink, link: "setup.py"},
		entry{name: "p-1/hard", typeflag: tar.TypeLink, link: "../outside"},
		entry{name: "p-1/fifo", typeflag: tar.TypeFifo},
		entry{name: "p-1/tty", typeflag: tar.TypeChar},
		file("p-1/dup.py", "first"),
		file("p-1/dup.py", "second"),
		file("p-1/Case.py", "a"),
		file("p-1/case.py", "b"),
		file("p-1/bad\xffname.py", "c"),
		file("p-1/new\nline.py", "d"),
		file(`p-1\..\..\win.py`, "e"),
	))
	a := mustRead(t, "p-1.tar.gz", data)
	want := []string{
		"path-traversal ../../evil.py",
		"absolute-path /etc/cron.d/evil",
		"symlink-outside p-1/passwd",
		"symlink-outside p-1/up",
		"symlink p-1/inside",
		"hardlink-outside p-1/hard",
		"special-file p-1/fifo",
		"special-file p-1/tty",
		"duplicate-entry p-1/dup.py",
		"invalid-utf8-name p-1/bad\xffname.py",
		"control-char-name p-1/new\nline.py",
		`backslash-name p-1\..\..\win.py`,
		`path-traversal p-1\..\..\win.py`,
		"case-collision p-1/case.py",
	}
	if diff := cmp.Diff(want, anomalyKinds(a)); diff != "" {
		t.Errorf("anomalies (-want +got):\n%s", diff)
	}
	if f := a.File("p-1/dup.py"); f == nil || string(f.Bytes()) != "second" {
		t.Errorf("duplicate: want the last entry kept, as pip does")
	}
	if f := a.File("p-1/passwd"); f == nil || f.Type != TypeSymlink || f.LinkTarget != "/etc/passwd" || f.Bytes() != nil {
		t.Errorf("symlink entry = %+v; want a link with no content", f)
	}
	if f := a.File("/etc/cron.d/evil"); f == nil || a.File("etc/cron.d/evil") != nil {
		t.Errorf("absolute entry must keep its leading slash so it cannot shadow a relative one")
	}
	if a.Root != "" {
		t.Errorf("root = %q; entries outside p-1/ mean there is no common root", a.Root)
	}
}

func TestZipDuplicatesLastWins(t *testing.T) {
	data := zipOf(t, file("p-1/setup.py", "print('benign')\n"), file("p-1/setup.py", "import os; os.system('x')\n"))
	a := mustRead(t, "p-1.zip", data)
	if got := string(a.RootFile("setup.py").Bytes()); !strings.Contains(got, "os.system") {
		t.Errorf("setup.py = %q; want the last entry, which pip installs", got)
	}
	if !hasAnomaly(a, DuplicateEntry, "p-1/setup.py") {
		t.Errorf("no duplicate-entry anomaly: %v", a.Anomalies)
	}
	if len(a.Files) != 1 || a.Entries != 2 {
		t.Errorf("files %d entries %d; want 1 and 2", len(a.Files), a.Entries)
	}
}

func TestZipSymlinkNotFollowed(t *testing.T) {
	data := zipOf(t, file("p-1/setup.py", "setup()\n"), entry{name: "p-1/key", body: "/root/.ssh/id_rsa", mode: 0o120777})
	a := mustRead(t, "p-1.zip", data)
	f := a.File("p-1/key")
	if f == nil || f.Type != TypeSymlink || f.LinkTarget != "/root/.ssh/id_rsa" {
		t.Fatalf("zip symlink = %+v", f)
	}
	if !hasAnomaly(a, SymlinkOutside, "p-1/key") {
		t.Errorf("no symlink-outside anomaly: %v", a.Anomalies)
	}
}

func TestZipBomb(t *testing.T) {
	zeros := strings.Repeat("\x00", 64<<20)
	data := zipOf(t, file("p-1/setup.py", "setup()\n"), file("p-1/bomb.py", zeros))
	a, err := readT(t, "p-1.zip", data, Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitRatio || le.Entry != "p-1/bomb.py" {
		t.Fatalf("err = %v; want a max-ratio limit error at p-1/bomb.py", err)
	}
	if a == nil || a.RootFile("setup.py") == nil || a.Err == nil {
		t.Errorf("want the partial artifact (setup.py read before the bomb) with Err set")
	}
	if !strings.Contains(err.Error(), "--max-ratio") {
		t.Errorf("error %q does not say how to raise the limit", err)
	}
}

func TestTarGzBomb(t *testing.T) {
	data := gzipOf(t, tarOf(t, file("p-1/setup.py", "setup()\n"), file("p-1/zeros", strings.Repeat("\x00", 64<<20))))
	_, err := readT(t, "p-1.tar.gz", data, Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitRatio {
		t.Fatalf("err = %v; want max-ratio", err)
	}
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("abcdefghij", 100_000) // 1 MB, compresses well but not a bomb
	tests := []struct {
		name   string
		limits Limits
		want   string
	}{
		{"file", Limits{MaxFileBytes: 500_000}, LimitFileBytes},
		{"total", Limits{MaxTotalBytes: 1_500_000}, LimitTotalBytes},
		{"entries", Limits{MaxEntries: 2}, LimitEntries},
		{"artifact", Limits{MaxArtifactBytes: 100}, LimitArtifactBytes},
	}
	data := tarOf(t, file("p-1/a", big), file("p-1/b", big), file("p-1/c", "x"))
	for _, tt := range tests {
		_, err := readT(t, "p-1.tar", data, tt.limits)
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != tt.want || !errors.Is(err, ErrLimit) {
			t.Errorf("%s: err = %v; want limit %s", tt.name, err, tt.want)
		}
	}
}

func TestHundredThousandEntries(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := range 100_001 {
		tw.WriteHeader(&tar.Header{Name: "p/" + strings.Repeat("x", i%7) + strconv.Itoa(i), Typeflag: tar.TypeReg, Mode: 0o644})
	}
	tw.Close()
	a, err := readT(t, "p-1.tar", buf.Bytes(), Limits{})
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitEntries {
		t.Fatalf("err = %v; want max-entries", err)
	}
	if a.Entries != 100_000 {
		t.Errorf("read %d entries before stopping; want exactly the limit, 100000", a.Entries)
	}
}

func TestTrailingData(t *testing.T) {
	inner := tarOf(t, file("p-1/setup.py", "setup()\n"))
	hidden := tarOf(t, file("p-1/setup.py", "import os; os.system('x')\n"))
	t.Run("appended tar is read as nested", func(t *testing.T) {
		a := mustRead(t, "p-1.tar.gz", append(gzipOf(t, inner), gzipOf(t, hidden)...))
		if !hasAnomaly(a, TrailingData, "") || len(a.Nested) != 1 {
			t.Fatalf("anomalies %v, nested %d; want trailing-data and one nested artifact", a.Anomalies, len(a.Nested))
		}
		if got := string(a.Nested[0].RootFile("setup.py").Bytes()); !strings.Contains(got, "os.system") {
			t.Errorf("hidden setup.py = %q", got)
		}
	})
	t.Run("garbage after gzip", func(t *testing.T) {
		a := mustRead(t, "p-1.tar.gz", append(gzipOf(t, inner), "not gzip at all"...))
		if !hasAnomaly(a, TrailingData, "") {
			t.Errorf("anomalies = %v; want trailing-data", a.Anomalies)
		}
	})
	t.Run("garbage after zip", func(t *testing.T) {
		a := mustRead(t, "p-1.zip", append(zipOf(t, file("p-1/setup.py", "x")), "TRAILER"...))
		if !hasAnomaly(a, TrailingData, "") {
			t.Errorf("anomalies = %v; want trailing-data", a.Anomalies)
		}
	})
	t.Run("data before zip", func(t *testing.T) {
		a := mustRead(t, "p-1.zip", append([]byte("#!/bin/sh\necho hi\n"), zipOf(t, file("p-1/setup.py", "x"))...))
		if !hasAnomaly(a, PrependedData, "") || a.RootFile("setup.py") == nil {
			t.Errorf("anomalies = %v; want prepended-data and the entries still read", a.Anomalies)
		}
	})
	t.Run("zero padding is fine", func(t *testing.T) {
		a := mustRead(t, "p-1.tar", append(inner, make([]byte, 10240)...))
		if len(a.Anomalies) != 0 {
			t.Errorf("anomalies = %v; want none", a.Anomalies)
		}
	})
}

func TestTruncatedTar(t *testing.T) {
	full := tarOf(t, file("p-1/setup.py", "setup()\n"), file("p-1/big.py", strings.Repeat("x = 1\n", 1000)))
	a := mustRead(t, "p-1.tar", full[:1024+512+100])
	if !hasAnomaly(a, SizeMismatch, "p-1/big.py") {
		t.Errorf("anomalies = %v; want size-mismatch on the cut entry", a.Anomalies)
	}
	if a.RootFile("setup.py") == nil {
		t.Errorf("entries before the cut are lost")
	}
}

func TestNested(t *testing.T) {
	innerZip := zipOf(t, file("payload/run.py", "import socket\n"))
	innermost := zipOf(t, file("deep.py", "x"))
	middle := zipOf(t, file("m/inner.zip", string(innermost)))
	data := gzipOf(t, tarOf(t,
		file("p-1/setup.py", "setup()\n"),
		file("p-1/data/logo.png", string(innerZip)), // a zip named like an image
		file("p-1/vendor/middle.zip", string(middle)),
	))
	a := mustRead(t, "p-1.tar.gz", data)
	if len(a.Nested) != 2 {
		t.Fatalf("nested = %d; want 2", len(a.Nested))
	}
	if n := a.Nested[0]; n.Path != "p-1.tar.gz!/p-1/data/logo.png" || n.File("payload/run.py") == nil {
		t.Errorf("nested[0] = %s with %d files", n.Path, len(n.Files))
	}
	if !hasAnomaly(a, ExtensionMismatch, "") && !hasAnomaly(a.Nested[0], ExtensionMismatch, "") {
		t.Errorf("a zip named .png should be an extension mismatch")
	}
	if !hasAnomaly(a.Nested[1], NestedTooDeep, "m/inner.zip") {
		t.Errorf("second-level archive: anomalies %v; want nested-too-deep", a.Nested[1].Anomalies)
	}
	if got, want := a.Nested[1].Anomalies[len(a.Nested[1].Anomalies)-1].Detail,
		`archive "p-1.tar.gz!/p-1/vendor/middle.zip!/m/inner.zip" not opened: deeper than max-depth 1, so its content was not scanned`; got != want {
		t.Errorf("nested-too-deep detail = %q; want %q", got, want)
	}
	a, _ = readT(t, "p-1.tar.gz", data, Limits{MaxDepth: -1})
	if len(a.Nested) != 0 || !hasAnomaly(a, NestedTooDeep, "p-1/data/logo.png") {
		t.Errorf("depth 0: nested %d, anomalies %v", len(a.Nested), a.Anomalies)
	}
}

func TestDetectByContent(t *testing.T) {
	whl := wheelOf(t, "w", "1.0", file("w/__init__.py", ""))
	a := mustRead(t, "w-1.0-py3-none-any.tar.gz", whl)
	if a.Kind != KindWheel || a.Filename == nil || a.Filename.Name != "w" || a.Filename.Version != "1.0" {
		t.Errorf("kind %s filename %+v; want a wheel named w 1.0", a.Kind, a.Filename)
	}
	if !hasAnomaly(a, ExtensionMismatch, "") || hasAnomaly(a, MetadataMismatch, a.Meta.CorePath) {
		t.Errorf("anomalies = %v; want extension-mismatch only", a.Anomalies)
	}
	src := mustRead(t, "tool.py", []byte("import os\nprint(os.getcwd())\n"))
	if src.Kind != KindFile || src.File("tool.py") == nil {
		t.Errorf("single file: kind %s", src.Kind)
	}
	if _, err := Read(t.Context(), "x.bin", []byte{0x7f, 'E', 'L', 'F', 0, 1, 2, 0}, Options{}); !errors.Is(err, ErrUnrecognized) {
		t.Errorf("ELF file: err = %v; want ErrUnrecognized", err)
	}
}

func TestMetadataMismatch(t *testing.T) {
	data := wheelOf(t, "requests", "2.31.0", file("requests/__init__.py", ""))
	a := mustRead(t, "reqeusts-9.9-py3-none-any.whl", data)
	got := anomalyKinds(a)
	want := []string{"metadata-mismatch requests-2.31.0.dist-info/METADATA", "metadata-mismatch requests-2.31.0.dist-info/METADATA"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("anomalies (-want +got):\n%s", diff)
	}
}
