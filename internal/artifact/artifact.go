package artifact

import (
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Kind is what sort of distribution an artifact is.
type Kind string

// Artifact kinds.
const (
	KindSdist   Kind = "sdist"
	KindWheel   Kind = "wheel"
	KindEgg     Kind = "egg"
	KindProject Kind = "project"    // an unpacked project directory
	KindFile    Kind = "file"       // a single source file
	KindStream  Kind = "compressed" // one compressed file that is not an archive
	KindArchive Kind = "archive"    // an archive with no Python metadata in it
)

// Format is the container format, detected from content.
type Format string

// Container formats.
const (
	FormatZip     Format = "zip"
	FormatTar     Format = "tar"
	FormatTarGz   Format = "tar.gz"
	FormatTarBz2  Format = "tar.bz2"
	FormatTarXz   Format = "tar.xz"
	FormatGz      Format = "gz"
	FormatBz2     Format = "bz2"
	FormatXz      Format = "xz"
	FormatDir     Format = "directory"
	FormatText    Format = "text"
	FormatUnknown Format = ""
)

// Artifact is everything read from one distribution.
type Artifact struct {
	// Path is where the artifact was read from; for a nested archive,
	// the outer path, "!/" and the member name.
	Path   string `json:"path"`
	Kind   Kind   `json:"kind"`
	Format Format `json:"format"`
	// Size is the artifact's own size in bytes (compressed).
	Size int64 `json:"size"`
	// SHA256 is the hex hash of the artifact's bytes; empty for directories.
	SHA256 string `json:"sha256,omitempty"`
	// Filename is what the file name says, when it parses.
	Filename *pkgname.Filename `json:"filename,omitempty"`
	// Root is the directory every entry of an sdist lives under ("foo-1.0").
	Root string `json:"root,omitempty"`
	// Files are the regular files and links, in archive order; for a
	// duplicated name only the last entry (the one pip installs) is kept.
	Files []*File `json:"-"`
	// Entries counts every entry read, directories and duplicates included.
	Entries int `json:"entries"`
	// UncompressedBytes is the content size of all regular files.
	UncompressedBytes int64       `json:"uncompressed_bytes"`
	Meta              Metadata    `json:"metadata"`
	Anomalies         []Anomaly   `json:"anomalies,omitempty"`
	Nested            []*Artifact `json:"nested,omitempty"`
	// Err is set when reading stopped early; the fields above hold what
	// was read before it.
	Err error `json:"-"`

	index map[string]*File
	as    anomalies
	// appended is a tar archive found after the end of this one.
	appended []byte
}

// Name is the best-known project name: metadata, then filename.
func (a *Artifact) Name() string {
	if a.Meta.Name != "" {
		return a.Meta.Name
	}
	if a.Filename != nil {
		return a.Filename.Name
	}
	return ""
}

// Version is the best-known version: metadata, then filename.
func (a *Artifact) Version() string {
	if a.Meta.Version != "" {
		return a.Meta.Version
	}
	if a.Filename != nil {
		return a.Filename.Version
	}
	return ""
}

// File returns the entry at path p (a tree path, see File.Path), or nil.
func (a *Artifact) File(p string) *File { return a.index[p] }

// RootFile returns the entry at p relative to the artifact root, or nil.
func (a *Artifact) RootFile(p string) *File {
	if a.Root == "" {
		return a.index[p]
	}
	return a.index[a.Root+"/"+p]
}

// add puts a file into the tree; a later entry of the same name replaces
// the earlier one, as pip's extraction does.
func (a *Artifact) add(f *File) {
	if a.index == nil {
		a.index = map[string]*File{}
	}
	if old, dup := a.index[f.Path]; dup {
		a.as.add(DuplicateEntry, f.Path, "the later entry is kept, as pip does")
		for i, g := range a.Files {
			if g == old {
				a.Files = append(a.Files[:i], a.Files[i+1:]...)
				break
			}
		}
		if old.Type == TypeRegular {
			a.UncompressedBytes -= old.Size
		}
	}
	a.index[f.Path] = f
	a.Files = append(a.Files, f)
	if f.Type == TypeRegular {
		a.UncompressedBytes += f.Size
	}
}

// addLink records a link entry and its anomaly.
func (a *Artifact) addLink(p, raw, target string, hard bool) {
	typ, kind := TypeSymlink, Symlink
	if hard {
		typ, kind = TypeHardlink, Hardlink
	}
	if linkEscapes(p, target, hard) {
		kind += "-outside"
	}
	a.as.add(kind, raw, "points to "+quote(target))
	f := &File{Path: p, Type: typ, LinkTarget: target}
	if raw != p {
		f.RawName = raw
	}
	a.add(f)
}

// finishTree computes what needs the whole tree: root and case collisions.
func (a *Artifact) finishTree() {
	if a.Kind == KindSdist {
		a.Root = commonRoot(a.Files)
	}
	seen := make(map[string]string, len(a.Files))
	for _, f := range a.Files {
		low := strings.ToLower(f.Path)
		if other, ok := seen[low]; ok && other != f.Path {
			a.as.add(CaseCollision, f.Path, "collides with "+quote(other))
			continue
		}
		seen[low] = f.Path
	}
}

// commonRoot returns the single top-level directory all entries share, as
// in "foo-1.0/setup.py", or "" when there is none.
func commonRoot(files []*File) string {
	root := ""
	for _, f := range files {
		top, rest, ok := strings.Cut(f.Path, "/")
		if !ok || rest == "" || top == ".." || top == "" {
			return ""
		}
		if root == "" {
			root = top
		} else if top != root {
			return ""
		}
	}
	return root
}

func quote(s string) string { return strconv.Quote(s) }
