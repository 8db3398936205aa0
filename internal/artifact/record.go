package artifact

import (
	"bytes"
	"crypto/sha512"
	"fmt"
	"hash"
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/metadata"
)

// verifyRecord checks a wheel's RECORD against its files: every listed
// file's hash and size, listed files that are missing, files not listed.
func verifyRecord(a *Artifact) {
	recPath := a.Meta.DistInfo + "/RECORD"
	f := a.File(recPath)
	if f == nil {
		a.as.add(RecordMissing, recPath, "")
		return
	}
	rec := metadata.ParseRecord(f.Bytes())
	a.Meta.Record = rec
	reportProblems(a, recPath, rec.Problems)
	listed := make(map[string]bool, len(rec.Entries))
	for _, e := range rec.Entries {
		p := path.Clean(e.Path)
		listed[p] = true
		target := a.File(p)
		if target == nil {
			if !escapes(p) {
				a.as.add(RecordMissingFile, e.Path, fmt.Sprintf("RECORD line %d", e.Line))
			}
			continue
		}
		if target.Type != TypeRegular || target.Unread {
			continue
		}
		checkRecordEntry(a, e, target, p == recPath)
	}
	for _, g := range a.Files {
		if g.Type == TypeRegular && !listed[g.Path] && !isRecordSignature(g.Path, a.Meta.DistInfo) {
			a.as.add(RecordUnlisted, g.Path, "")
		}
	}
}

func checkRecordEntry(a *Artifact, e metadata.RecordEntry, f *File, isRecord bool) {
	if e.Algorithm == "" {
		if !isRecord && !strings.HasSuffix(f.Path, ".pyc") {
			a.as.add(RecordNoHash, f.Path, fmt.Sprintf("RECORD line %d", e.Line))
		}
		return
	}
	var got []byte
	switch e.Algorithm {
	case "sha256":
		sum := f.SHA256()
		got = sum[:]
	case "sha384", "sha512":
		var h hash.Hash = sha512.New()
		if e.Algorithm == "sha384" {
			h = sha512.New384()
		}
		h.Write(f.Bytes())
		got = h.Sum(nil)
	default:
		a.as.add(RecordWeakHash, f.Path, fmt.Sprintf("RECORD line %d uses %q", e.Line, e.Algorithm))
		return
	}
	if !bytes.Equal(got, e.Digest) {
		a.as.add(RecordHashMismatch, f.Path, fmt.Sprintf("RECORD line %d: %s differs", e.Line, e.Algorithm))
	}
	if e.Size >= 0 && e.Size != f.Size {
		a.as.add(RecordSizeMismatch, f.Path, fmt.Sprintf("RECORD line %d says %d bytes, file has %d", e.Line, e.Size, f.Size))
	}
}

// isRecordSignature reports RECORD's own signature files, which RECORD
// cannot list.
func isRecordSignature(p, distInfo string) bool {
	return p == distInfo+"/RECORD.jws" || p == distInfo+"/RECORD.p7s"
}
