package artifact

import (
	"archive/zip"
	"fmt"
	"path"
	"strings"
)

// A zip entry that compresses past max-ratio is a bomb when it is code or
// an archive, and usually test data when it is anything else: scientific
// packages ship arrays and tables that compress 200:1 and more. Such a
// data entry is skipped with a note instead of making the whole artifact
// unreadable. Bombs are still stopped by the total: every byte inflated,
// a skipped entry's included, counts against max-total-bytes, and the
// archive's output as a whole must stay within max-ratio of its size.

// codeExtensions are the names whose content is run or imported, and so
// is never skipped unread.
var codeExtensions = map[string]bool{
	".py": true, ".pyw": true, ".pyi": true, ".pth": true, ".pyc": true, ".pyo": true, ".pyd": true,
	".so": true, ".dll": true, ".dylib": true, ".exe": true, ".sh": true, ".bat": true, ".cmd": true,
	".ps1": true, ".vbs": true, ".js": true, ".jar": true,
}

// denseSkippable reports whether the entry at p may be skipped when it
// compresses past the ratio: a file with an extension that names data,
// not code, an archive, or nothing at all (executables often have none).
func denseSkippable(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext != "" && !codeExtensions[ext] && !HasArchiveSuffix(p)
}

// skipDense records a data entry too dense to read: it stays in the tree,
// sized as its header says, without content.
// A header that understates the size (lied) is said to.
func skipDense(a *Artifact, p string, zf *zip.File, declared int64, maxRatio float64, lied bool) {
	detail := fmt.Sprintf("%s compressed to %s (%.0f:1, past the %g:1 limit); content not scanned",
		FormatBytes(declared), FormatBytes(int64(zf.CompressedSize64)), float64(declared)/float64(max(zf.CompressedSize64, 1)), maxRatio)
	if lied {
		detail = fmt.Sprintf("inflates past the %g:1 limit of its %s compressed, although its header says %s; content not scanned",
			maxRatio, FormatBytes(int64(zf.CompressedSize64)), FormatBytes(declared))
	}
	a.as.add(DenseEntry, zf.Name, detail)
	f := &File{Path: p, Type: TypeRegular, Mode: zf.Mode().Perm(), Size: declared, Unread: true}
	if zf.Name != p {
		f.RawName = zf.Name
	}
	a.add(f)
}
