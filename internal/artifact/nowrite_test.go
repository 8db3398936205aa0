package artifact

import (
	"archive/tar"
	"os"
	"path/filepath"
	"testing"
)

// TestReadingWritesNothing reads hostile artifacts with a read-only,
// empty working directory and empty TMPDIR and HOME, and checks that all
// three are still empty afterwards and that no entry's path was created.
// (Tests may run as root, which ignores the read-only bit: the emptiness
// checks are what make this test able to fail.)
func TestReadingWritesNothing(t *testing.T) {
	src := t.TempDir()
	escapeTarget := filepath.Join(t.TempDir(), "pwned")
	artifacts := map[string][]byte{
		"evil-1.tar.gz": gzipOf(t, tarOf(t,
			file("evil-1/setup.py", "setup()\n"),
			file("../../../escaped.py", "x"),
			file(escapeTarget, "x"),
			entry{name: "evil-1/link", typeflag: tar.TypeSymlink, link: escapeTarget},
			file("evil-1/nested.zip", string(zipOf(t, file("../zip-escape.py", "x")))),
		)),
		"evil-1-py3-none-any.whl": wheelOf(t, "evil", "1", file("evil/__init__.py", ""), file("../wheel-escape.py", "x")),
		"tool.py":                 []byte("print(1)\n"),
	}
	var paths []string
	for name, data := range artifacts {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, data, 0o444); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}

	cwd, tmp, home := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Chmod(cwd, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(cwd, 0o755) })
	t.Chdir(cwd)
	t.Setenv("TMPDIR", tmp)
	t.Setenv("HOME", home)

	for _, p := range paths {
		a, err := Open(t.Context(), p, Options{})
		if err != nil {
			t.Fatalf("Open(%s): %v", p, err)
		}
		if len(a.Files) == 0 {
			t.Fatalf("Open(%s) read no files", p)
		}
	}
	for _, dir := range []string{cwd, tmp, home} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("%s is not empty after reading: %v", dir, entries)
		}
	}
	for _, rel := range []string{"../../../escaped.py", "../zip-escape.py", "../wheel-escape.py"} {
		if _, err := os.Lstat(filepath.Join(cwd, rel)); !os.IsNotExist(err) {
			t.Errorf("%s exists beside the working directory", rel)
		}
	}
	if entries, _ := os.ReadDir(src); len(entries) != len(artifacts) {
		t.Errorf("source directory changed: %d entries", len(entries))
	}
	if _, err := os.Lstat(escapeTarget); !os.IsNotExist(err) {
		t.Errorf("%s exists: an entry was written where the archive said", escapeTarget)
	}
}
