package deps

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTarGz(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCollectWheel(t *testing.T) {
	dir := t.TempDir()
	whl := filepath.Join(dir, "demo_pkg-1.2.0-py3-none-any.whl")
	writeZip(t, whl, map[string]string{
		"demo_pkg/__init__.py": "",
		"demo_pkg-1.2.0.dist-info/METADATA": "Metadata-Version: 2.4\nName: Demo.Pkg\nVersion: 1.2.0\nLicense-Expression: MIT\n" +
			"Requires-Dist: requests>=2.31\nRequires-Dist: Click (>=8)\nRequires-Dist: pytest; extra == \"Test\"\n",
		"demo_pkg-1.2.0.dist-info/WHEEL":  "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
		"demo_pkg-1.2.0.dist-info/RECORD": "",
	})
	inv, err := Collect(context.Background(), whl)
	if err != nil {
		t.Fatal(err)
	}
	r := inv.Root
	if r == nil || r.Name != "demo-pkg" || r.Version != "1.2.0" || len(r.Files) != 1 || r.Files[0].Kind != "wheel" || len(r.Files[0].Hash) != len("sha256:")+64 {
		t.Fatalf("root = %+v", r)
	}
	if s, _ := r.License.SPDX(); s != "MIT" {
		t.Errorf("licence = %q", s)
	}
	if diff := cmp.Diff([]string{"click", "requests"}, r.Requires); diff != "" {
		t.Errorf("root requires (-want +got):\n%s", diff)
	}
	var got []string
	for _, p := range inv.Packages {
		got = append(got, p.Name+" "+p.Specifier+" "+p.Scope+" "+p.File)
	}
	want := []string{
		"requests >=2.31 main demo_pkg-1.2.0-py3-none-any.whl!/demo_pkg-1.2.0.dist-info/METADATA",
		"click >=8 main demo_pkg-1.2.0-py3-none-any.whl!/demo_pkg-1.2.0.dist-info/METADATA",
		"pytest  optional:test demo_pkg-1.2.0-py3-none-any.whl!/demo_pkg-1.2.0.dist-info/METADATA",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// An old sdist's PKG-INFO has no Requires-Dist: setup.py's literal
// install_requires is read (never run), with its line.
func TestCollectOldSdist(t *testing.T) {
	dir := t.TempDir()
	sdist := filepath.Join(dir, "oldpkg-0.3.tar.gz")
	writeTarGz(t, sdist, map[string]string{
		"oldpkg-0.3/PKG-INFO": "Metadata-Version: 1.1\nName: oldpkg\nVersion: 0.3\nLicense: BSD\nClassifier: License :: OSI Approved :: BSD License\n",
		"oldpkg-0.3/setup.py": "from setuptools import setup\nsetup(\n    name='oldpkg',\n    install_requires=['six>=1.0',\n        'idna'],\n)\n",
	})
	inv, err := Collect(context.Background(), sdist)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Root.Files[0].Kind != "sdist" || inv.Root.License == nil || inv.Root.License.Names[0] != "BSD License" {
		t.Fatalf("root = %+v licence %+v", inv.Root, inv.Root.License)
	}
	var got []string
	for _, p := range inv.Packages {
		got = append(got, p.Name+" "+p.File)
		if p.Line == 0 {
			t.Errorf("%s: no line", p.Name)
		}
	}
	want := []string{"six oldpkg-0.3.tar.gz!/oldpkg-0.3/setup.py", "idna oldpkg-0.3.tar.gz!/oldpkg-0.3/setup.py"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

func TestCollectBrokenArtifact(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "x-1.0-py3-none-any.whl")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	inv, err := Collect(context.Background(), bad)
	if err == nil && len(inv.Problems) == 0 {
		t.Fatalf("a wheel that is not a zip gave no error and no problem: %+v", inv)
	}
}

// A project directory's root is the project its metadata names.
func TestCollectProjectRoot(t *testing.T) {
	inv, err := Collect(context.Background(), "testdata/project")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Root == nil || inv.Root.Name != "demo" || inv.Root.Version != "1.0" || inv.Root.File != "pyproject.toml" || inv.Root.Line != 6 {
		t.Fatalf("root = %+v", inv.Root)
	}
}
