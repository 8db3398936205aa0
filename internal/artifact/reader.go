package artifact

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// ErrUnrecognized is returned for content that is not a distribution
// format the reader knows.
var ErrUnrecognized = errors.New("not a Python distribution: unrecognised content")

// Options configure a read.
type Options struct {
	Limits Limits
	// Inspect, when set, is given the content of each Python source
	// (.py, .pyw) that a large zip's workers inflate ahead (zipPrefetch),
	// on those workers; its result is kept in File.Inspection. The
	// caller reads what it needs of every file while the content is in
	// hand, instead of inflating released content again for it.
	Inspect func(content []byte) any
}

// reader carries the shared budget through one top-level artifact and the
// archives nested in it.
type reader struct {
	b       *budget
	depth   int
	inspect func(content []byte) any
}

// Open reads the artifact at path: a file (archive or source file) or a
// project directory. On a limit it returns the partial artifact and a
// *LimitError; on other failures, the partial artifact when there is one.
func Open(ctx context.Context, p string, opts Options) (a *Artifact, err error) {
	defer recoverPanic(p, &err)
	limits := opts.Limits.withDefaults()
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open artifact: %w", err)
	}
	rd := &reader{b: newBudget(ctx, limits), inspect: opts.Inspect}
	if st.IsDir() {
		a = &Artifact{Path: p, Kind: KindProject, Format: FormatDir}
		err := rd.readDir(a, p)
		rd.complete(a, filepath.Base(p))
		if err == nil {
			err = rd.readNested(a)
		}
		return a, setErr(a, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("open artifact %q: not a regular file or directory", p)
	}
	if st.Size() > limits.MaxArtifactBytes {
		return nil, rd.b.limitError(LimitArtifactBytes, "")
	}
	data, err := ReadFileCapped(p, limits.MaxArtifactBytes)
	if err != nil {
		return nil, err
	}
	return read(rd, p, data)
}

// Read reads an artifact held in memory; name (a path or file name) is
// used for the filename and in messages.
func Read(ctx context.Context, name string, data []byte, opts Options) (a *Artifact, err error) {
	defer recoverPanic(name, &err)
	limits := opts.Limits.withDefaults()
	rd := &reader{b: newBudget(ctx, limits), inspect: opts.Inspect}
	if int64(len(data)) > limits.MaxArtifactBytes {
		return nil, rd.b.limitError(LimitArtifactBytes, "")
	}
	return read(rd, name, data)
}

func read(rd *reader, name string, data []byte) (*Artifact, error) {
	sum := sha256.Sum256(data)
	a := &Artifact{Path: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	err := rd.readBytes(a, data, path.Base(filepath.ToSlash(name)))
	if errors.Is(err, ErrUnrecognized) {
		return nil, err
	}
	return a, setErr(a, err)
}

// ErrInternal marks a bug in the reader, caught so that one bad artifact
// cannot stop a scan of many.
var ErrInternal = errors.New("internal error")

func recoverPanic(name string, err *error) {
	if r := recover(); r != nil {
		slog.Error("panic while reading artifact", "path", name, "panic", r, "stack", string(debug.Stack()))
		*err = fmt.Errorf("%w reading %q: %v (please report this)", ErrInternal, name, r)
	}
}

func setErr(a *Artifact, err error) error {
	if err != nil {
		a.Err = err
	}
	return err
}

// readBytes fills a from an archive or source file in memory.
func (rd *reader) readBytes(a *Artifact, data []byte, base string) error {
	a.Format = detect(data)
	var err error
	switch a.Format {
	case FormatZip:
		err = rd.readZip(a, data)
	case FormatTar:
		err = rd.readTar(a, bytes.NewReader(data))
	case FormatGz, FormatBz2, FormatXz:
		err = rd.readCompressed(a, data, a.Format, base)
	case FormatText:
		if HasArchiveSuffix(base) {
			return fmt.Errorf("%w (named like an archive, but the content is text)", ErrUnrecognized)
		}
		a.Kind = KindFile
		if err = rd.b.takeEntry(base); err == nil {
			a.Entries++
			var content []byte
			if content, err = rd.b.readContent(bytes.NewReader(data), int64(len(data)), base); err == nil {
				a.add(newRegular(base, base, 0o644, content))
			}
		}
	default:
		if bytes.HasPrefix(data, magicZstd) {
			return fmt.Errorf("%w (zstd-compressed, which no Python installer accepts)", ErrUnrecognized)
		}
		return fmt.Errorf("%w (starts with %q)", ErrUnrecognized, head(data, 8))
	}
	rd.complete(a, base)
	if err != nil {
		return err
	}
	return rd.readNested(a)
}

// complete derives what needs the whole tree: kind, metadata, anomalies.
func (rd *reader) complete(a *Artifact, base string) {
	if f, err := pkgname.Parse(base); err == nil && a.Kind != KindProject {
		a.Filename = &f
	}
	if a.Kind == "" {
		a.Kind = kindOf(a, base)
	}
	if a.Kind == KindWheel && (a.Filename == nil || a.Filename.Kind != pkgname.KindWheel) {
		// A wheel saved under another extension still has a wheel's name.
		stem := base
		if a.Filename != nil && a.Filename.Extension != "" {
			stem = base[:len(base)-len(a.Filename.Extension)]
		}
		if f, err := pkgname.ParseWheel(stem + ".whl"); err == nil {
			a.Filename = &f
		}
	}
	checkExtension(a, base)
	a.finishTree()
	readMetadata(a)
	a.Anomalies = a.as.result()
}

func kindOf(a *Artifact, base string) Kind {
	lower := strings.ToLower(base)
	if a.Format == FormatZip {
		switch {
		case strings.HasSuffix(lower, ".whl"), len(topDirsWithSuffix(a, ".dist-info", "WHEEL")) > 0:
			return KindWheel
		case strings.HasSuffix(lower, ".egg"), a.File("EGG-INFO/PKG-INFO") != nil:
			return KindEgg
		}
	}
	if hasSourceMarker(a) {
		return KindSdist
	}
	return KindArchive
}

// hasSourceMarker reports an archive with setup.py, pyproject.toml or
// PKG-INFO at its top or one directory down: a source distribution.
func hasSourceMarker(a *Artifact) bool {
	for _, f := range a.Files {
		dir, base := path.Split(f.Path)
		if strings.Count(dir, "/") <= 1 && !strings.HasPrefix(dir, "../") && contains(projectMarkers, base) {
			return true
		}
	}
	return false
}

// checkExtension reports a file whose name promises another format.
func checkExtension(a *Artifact, base string) {
	lower := strings.ToLower(base)
	want := Format("")
	switch {
	case strings.HasSuffix(lower, ".whl"), strings.HasSuffix(lower, ".egg"), strings.HasSuffix(lower, ".zip"):
		want = FormatZip
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		want = FormatTarGz
	case strings.HasSuffix(lower, ".tar.bz2"):
		want = FormatTarBz2
	case strings.HasSuffix(lower, ".tar.xz"):
		want = FormatTarXz
	case strings.HasSuffix(lower, ".tar"):
		want = FormatTar
	}
	if want != "" && a.Format != want {
		a.as.add(ExtensionMismatch, "", fmt.Sprintf("named %s but the content is %s", want, describeFormat(a.Format)))
	}
	if ext := path.Ext(lower); want == "" && a.Format != FormatText && a.Format != FormatDir && nonArchiveExt[ext] {
		a.as.add(ExtensionMismatch, "", fmt.Sprintf("named %s but the content is %s", ext, describeFormat(a.Format)))
	}
}

// nonArchiveExt are extensions whose files are never archives: an archive
// under one of these names is hiding.
var nonArchiveExt = map[string]bool{
	".py": true, ".pyi": true, ".pth": true, ".txt": true, ".md": true, ".rst": true, ".json": true,
	".yaml": true, ".yml": true, ".toml": true, ".cfg": true, ".ini": true, ".html": true, ".css": true,
	".js": true, ".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".bmp": true,
	".svg": true, ".ttf": true, ".woff": true, ".dll": true, ".so": true, ".exe": true, ".dat": true,
}

func describeFormat(f Format) string {
	if f == FormatText {
		return "text"
	}
	return string(f)
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// appendAll appends what r yields until its end to data, as io.ReadAll
// does to an empty slice. Room is doubled up to 256 MiB: append's own
// growth by a quarter copied a tail of tens of MiB about five times over.
func appendAll(data []byte, r io.Reader) ([]byte, error) {
	for {
		if len(data) == cap(data) {
			more := max(cap(data), 4096)
			if cap(data) >= 256<<20 {
				more = cap(data) / 4
			}
			data = slices.Grow(data, more)
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
}

// ReadFileCapped reads the file at p, refusing with a *LimitError one of
// more than max bytes.
func ReadFileCapped(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open artifact: %w", err)
	}
	defer f.Close()
	// Read into a buffer of the file's size (and one byte more, to see
	// the end): growing one from nothing copies and clears it many times.
	size := int64(512)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = min(st.Size(), max) + 1
	}
	data, err := appendAll(make([]byte, 0, size), io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read artifact %q: %w", p, err)
	}
	if int64(len(data)) > max {
		return nil, &LimitError{Limit: LimitArtifactBytes, Max: FormatBytes(max)}
	}
	return data, nil
}
