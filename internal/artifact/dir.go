package artifact

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// skipDirs are directories of a project checkout that are not part of the
// distribution: version control, caches, tool environments.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".bzr": true,
	".tox": true, ".nox": true, ".venv": true, "__pycache__": true,
	".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, "node_modules": true,
}

// readDir reads an unpacked project directory. It never follows symbolic
// links and never opens devices or FIFOs (opening a FIFO would block).
func (rd *reader) readDir(a *Artifact, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, relErr := filepath.Rel(root, p)
		if relErr != nil {
			return relErr
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == root {
				return fmt.Errorf("read project directory: %w", err)
			}
			a.as.add(UnreadableFile, rel, err.Error())
			return nil
		}
		if p == root {
			return nil
		}
		if err := rd.b.takeEntry(rel); err != nil {
			return err
		}
		a.Entries++
		if d.IsDir() {
			if skipDirs[d.Name()] || isVirtualenv(p) {
				a.as.add(SkippedDirectory, rel, "")
				return filepath.SkipDir
			}
			return nil
		}
		return rd.dirEntry(a, p, rel, d)
	})
}

func (rd *reader) dirEntry(a *Artifact, p, rel string, d fs.DirEntry) error {
	name, ok := cleanName(rel, &a.as)
	if !ok {
		return nil
	}
	switch t := d.Type(); {
	case t&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			a.as.add(UnreadableFile, rel, err.Error())
			return nil
		}
		a.addLink(name, rel, target, false)
		return nil
	case !t.IsRegular():
		a.as.add(SpecialFile, rel, "mode "+t.String())
		a.add(&File{Path: name, Type: TypeSpecial, Mode: t})
		return nil
	}
	info, err := d.Info()
	if err != nil {
		a.as.add(UnreadableFile, rel, err.Error())
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		a.as.add(UnreadableFile, rel, err.Error())
		return nil
	}
	defer f.Close()
	content, err := rd.b.readContent(f, info.Size(), rel)
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	if err != nil && !errors.Is(err, io.EOF) {
		a.as.add(UnreadableFile, rel, err.Error())
		return nil
	}
	a.add(newRegular(name, rel, info.Mode().Perm(), content))
	return nil
}

// isVirtualenv reports a directory holding a virtual environment.
func isVirtualenv(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
}
