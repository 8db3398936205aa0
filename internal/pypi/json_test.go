package pypi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/safeguard-dev/safeguard/internal/pypi"
)

func sha(data string) string {
	s := sha256.Sum256([]byte(data))
	return hex.EncodeToString(s[:])
}

// TestJSONAPI reads releases and projects: files with their digest, size,
// type, python version and yank state; a name not spelled as published is
// followed to the project; what PyPI does not have is ErrNotFound.
func TestJSONAPI(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	must(t, s.Publish("Demo.Pkg", "1.0", "demo_pkg-1.0.tar.gz", []byte("sdist")))
	must(t, s.Publish("Demo.Pkg", "1.0", "demo_pkg-1.0-py3-none-any.whl", []byte("wheel")))
	must(t, s.Publish("Demo.Pkg", "2.0", "demo_pkg-2.0.tar.gz", []byte("two")))
	must(t, s.Yank("Demo.Pkg", "2.0", "bad build"))
	must(t, s.Publish("gone", "1.0", "gone-1.0.tar.gz", []byte("g")))
	must(t, s.RemoveRelease("gone", "1.0"))
	must(t, s.Publish("held", "1.0", "held-1.0.tar.gz", []byte("h")))
	must(t, s.Quarantine("held"))

	ignore := cmpopts.IgnoreFields(pypi.File{}, "URL")
	sdist := pypi.File{Filename: "demo_pkg-1.0.tar.gz", SHA256: sha("sdist"), Size: 5, PackageType: "sdist", PythonVersion: "source", UploadTime: epoch}
	wheel := pypi.File{Filename: "demo_pkg-1.0-py3-none-any.whl", SHA256: sha("wheel"), Size: 5, PackageType: "bdist_wheel", PythonVersion: "py3", UploadTime: epoch}
	two := pypi.File{Filename: "demo_pkg-2.0.tar.gz", SHA256: sha("two"), Size: 3, PackageType: "sdist", PythonVersion: "source", UploadTime: epoch, Yanked: true, YankedReason: "bad build"}

	for _, name := range []string{"Demo.Pkg", "demo-pkg", "DEMO_pkg"} {
		rel, err := c.Release(ctx, name, "1.0")
		must(t, err)
		want := &pypi.Release{Info: pypi.Info{Name: "Demo.Pkg", Version: "1.0"}, Files: []pypi.File{sdist, wheel}, LastSerial: 8}
		if d := cmp.Diff(want, rel, ignore); d != "" {
			t.Errorf("Release(%q, 1.0) (-want +got):\n%s", name, d)
		}
		for _, f := range rel.Files {
			if !strings.HasPrefix(f.URL, s.URL()+"/packages/") || !strings.HasSuffix(f.URL, "/"+f.Filename) {
				t.Errorf("file URL %q, want %s/packages/.../%s", f.URL, s.URL(), f.Filename)
			}
		}
	}
	rel, err := c.Release(ctx, "demo-pkg", "2.0")
	must(t, err)
	if !rel.Info.Yanked || rel.Info.YankedReason != "bad build" {
		t.Errorf("yanked release info: %+v", rel.Info)
	}

	p, err := c.Project(ctx, "demo_pkg")
	must(t, err)
	want := &pypi.Project{
		Info:       pypi.Info{Name: "Demo.Pkg", Version: "1.0"}, // 2.0 is yanked
		LastSerial: 8,
		Releases:   map[string][]pypi.File{"1.0": {sdist, wheel}, "2.0": {two}},
	}
	if d := cmp.Diff(want, p, ignore); d != "" {
		t.Errorf("Project (-want +got):\n%s", d)
	}

	for _, tt := range []struct{ name, version string }{
		{"nope", ""}, {"demo-pkg", "9.9"}, {"gone", "1.0"}, {"held", ""}, {"held", "1.0"},
	} {
		var err error
		if tt.version == "" {
			_, err = c.Project(ctx, tt.name)
		} else {
			_, err = c.Release(ctx, tt.name, tt.version)
		}
		if !errors.Is(err, pypi.ErrNotFound) {
			t.Errorf("%s %s: %v, want ErrNotFound", tt.name, tt.version, err)
		}
	}
}
