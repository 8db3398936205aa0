package artifact

import (
	"fmt"
	"io/fs"
	"log/slog"
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

// Skip is a path met while discovering artifacts that was not taken.
type Skip struct {
	Path   string
	Reason string
}

func (s Skip) String() string { return fmt.Sprintf("%q: %s", s.Path, s.Reason) }

// Discover expands command-line paths into artifact paths, as
// DiscoverAll does, and logs each skipped link as a warning.
func Discover(paths []string) ([]string, error) {
	found, skipped, err := DiscoverAll(paths)
	for _, s := range skipped {
		slog.Warn("not scanned", "path", s.Path, "reason", s.Reason)
	}
	return found, err
}

// DiscoverAll expands command-line paths into artifact paths. A file is
// itself an artifact. A directory that is a project (it holds setup.py,
// pyproject.toml or PKG-INFO) is one artifact; any other directory is
// searched for artifacts and projects. Inside it, a symbolic link to a
// regular file named like an artifact is followed; a link to a directory
// is not (so there are no loops), and it, a dangling link and a link
// loop are returned as skipped. The result keeps argument order, each
// directory's finds sorted.
func DiscoverAll(paths []string) (found []string, skipped []Skip, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("scan %q: %w", p, err)
		}
		if !st.IsDir() || IsProject(p) {
			found = append(found, p)
			continue
		}
		f, s, err := walk(p)
		if err != nil {
			return nil, nil, err
		}
		found, skipped = append(found, f...), append(skipped, s...)
	}
	return found, skipped, nil
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

func walk(root string) ([]string, []Skip, error) {
	var found []string
	var skipped []Skip
	start := root
	if st, err := os.Lstat(root); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		// A directory named on the command line through a link: walk
		// what it points to (a trailing separator makes WalkDir follow).
		start = root + string(filepath.Separator)
	}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("scan %q: %w", p, err)
		}
		if d.IsDir() {
			if p == start {
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
		switch t := d.Type(); {
		case t.IsRegular():
			if hasArtifactSuffix(d.Name()) {
				found = append(found, p)
			}
		case t&fs.ModeSymlink != 0:
			if reason := followLink(p, d.Name()); reason != "" {
				skipped = append(skipped, Skip{Path: p, Reason: reason})
			} else if hasArtifactSuffix(d.Name()) {
				found = append(found, p)
			}
		}
		return nil
	})
	sort.Strings(found)
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	return found, skipped, err
}

// followLink says why the symbolic link at p is not followed, or "" when
// it leads to a regular file.
func followLink(p, name string) string {
	st, err := os.Stat(p)
	switch {
	case err != nil:
		target, _ := os.Readlink(p)
		if pe, ok := err.(*fs.PathError); ok {
			err = pe.Err
		}
		return fmt.Sprintf("symbolic link to %q cannot be followed: %v", target, err)
	case st.IsDir():
		return "symbolic link to a directory, not followed (name the directory itself to scan it)"
	case !st.Mode().IsRegular():
		if !hasArtifactSuffix(name) {
			return ""
		}
		return "symbolic link to a " + st.Mode().Type().String() + " file, not a regular file"
	}
	return ""
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
