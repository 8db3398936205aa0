package artifact

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadProjectDirectory(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"setup.py":               "setup()\n",
		"pyproject.toml":         "[project]\nname = \"proj\"\nversion = \"0.1\"\n",
		"proj/__init__.py":       "",
		".git/config":            "[core]\n",
		"venv/pyvenv.cfg":        "home = /usr\n",
		"venv/lib/site.py":       "x",
		"proj/__pycache__/x.pyc": "x",
	})
	if err := os.Symlink("/etc/passwd", filepath.Join(root, "passwd")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Open(t.Context(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != KindProject || a.Name() != "proj" || a.Version() != "0.1" {
		t.Errorf("kind %s name %q version %q", a.Kind, a.Name(), a.Version())
	}
	for _, p := range []string{"setup.py", "pyproject.toml", "proj/__init__.py"} {
		if a.File(p) == nil {
			t.Errorf("%s not read", p)
		}
	}
	for _, p := range []string{".git/config", "venv/lib/site.py", "proj/__pycache__/x.pyc"} {
		if a.File(p) != nil {
			t.Errorf("%s read; VCS, virtualenv and cache directories should be skipped", p)
		}
	}
	if !hasAnomaly(a, SymlinkOutside, "passwd") || !hasAnomaly(a, SpecialFile, "pipe") {
		t.Errorf("anomalies = %v; want symlink-outside passwd and special-file pipe", a.Anomalies)
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"dists/a-1.0.tar.gz":              "x",
		"dists/b-1.0-py3-none-any.whl":    "x",
		"dists/notes.md":                  "x",
		"dists/sub/proj/setup.py":         "x",
		"dists/sub/proj/inner-1.0.zip":    "x",
		"dists/loose.py":                  "x",
		"dists/.git/objects/c-1.0.tar.gz": "x",
	})
	got, err := Discover([]string{filepath.Join(root, "dists")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(root, p)
		rel = append(rel, r)
	}
	want := []string{"dists/a-1.0.tar.gz", "dists/b-1.0-py3-none-any.whl", "dists/loose.py", "dists/sub/proj"}
	if len(rel) != len(want) {
		t.Fatalf("Discover = %v; want %v", rel, want)
	}
	for i := range want {
		if rel[i] != want[i] {
			t.Errorf("Discover = %v; want %v", rel, want)
			break
		}
	}
}

func TestDiscoverLinks(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"store/a-1.0.tar.gz":           "x",
		"store/b-1.0-py3-none-any.whl": "x",
		"store/proj/setup.py":          "x",
		"store/notes.md":               "x",
	})
	links := filepath.Join(root, "links")
	if err := os.Mkdir(links, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"a-1.0.tar.gz":           "../store/a-1.0.tar.gz",
		"b-1.0-py3-none-any.whl": filepath.Join(root, "store/b-1.0-py3-none-any.whl"),
		"notes.md":               "../store/notes.md",
		"proj":                   "../store/proj",
		"gone-1.0.tar.gz":        "../store/gone-1.0.tar.gz",
		"loop-1.0.zip":           "loop2",
		"loop2":                  "loop-1.0.zip",
		"self":                   ".",
	} {
		if err := os.Symlink(target, filepath.Join(links, name)); err != nil {
			t.Fatal(err)
		}
	}
	found, skipped, err := DiscoverAll([]string{links})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range found {
		r, _ := filepath.Rel(root, p)
		got = append(got, r)
	}
	for _, s := range skipped {
		r, _ := filepath.Rel(root, s.Path)
		got = append(got, "skipped "+r+": "+s.Reason)
	}
	want := []string{
		"links/a-1.0.tar.gz",
		"links/b-1.0-py3-none-any.whl",
		`skipped links/gone-1.0.tar.gz: symbolic link to "../store/gone-1.0.tar.gz" cannot be followed: no such file or directory`,
		`skipped links/loop-1.0.zip: symbolic link to "loop2" cannot be followed: too many levels of symbolic links`,
		`skipped links/loop2: symbolic link to "loop-1.0.zip" cannot be followed: too many levels of symbolic links`,
		"skipped links/proj: symbolic link to a directory, not followed (name the directory itself to scan it)",
		"skipped links/self: symbolic link to a directory, not followed (name the directory itself to scan it)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiscoverAll (-want +got):\n%s", diff)
	}

	// A directory named through a link is walked.
	if err := os.Symlink("store", filepath.Join(root, "via")); err != nil {
		t.Fatal(err)
	}
	found, _, err = DiscoverAll([]string{filepath.Join(root, "via")})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 3 {
		t.Errorf("through a linked directory: found %v; want the wheel, the sdist and the project", found)
	}
}
