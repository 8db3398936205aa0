package artifact

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// artifactSuffixes are the file names Discover picks up inside a
// directory that is not itself a project.
var artifactSuffixes = []string{".whl", ".egg", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip", ".py"}

// projectMarkers make a directory one project artifact.
var projectMarkers = []string{"setup.py", "pyproject.toml", "PKG-INFO"}

// Discover expands command-line paths into artifact paths. A file is
// itself an artifact. A directory that is a project (it holds setup.py,
// pyproject.toml or PKG-INFO) is one artifact; any other directory is
// searched for artifacts and projects, without following symbolic links.
// The result keeps argument order, each directory's finds sorted.
func Discover(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("scan %q: %w", p, err)
		}
		if !st.IsDir() || IsProject(p) {
			out = append(out, p)
			continue
		}
		found, err := walk(p)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// IsProject reports whether dir is an unpacked project.
func IsProject(dir string) bool {
	for _, m := range projectMarkers {
		if st, err := os.Lstat(filepath.Join(dir, m)); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}

func walk(root string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("scan %q: %w", p, err)
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			if skipDirs[d.Name()] || isVirtualenv(p) {
				return filepath.SkipDir
			}
			if IsProject(p) {
				found = append(found, p)
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && hasArtifactSuffix(d.Name()) {
			found = append(found, p)
		}
		return nil
	})
	sort.Strings(found)
	return found, err
}

// HasArchiveSuffix reports names that promise an archive (a wheel, sdist,
// egg, tar or zip).
func HasArchiveSuffix(name string) bool {
	return hasArtifactSuffix(name) && !strings.HasSuffix(strings.ToLower(name), ".py")
}

func hasArtifactSuffix(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range artifactSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}
