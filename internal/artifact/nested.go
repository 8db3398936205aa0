package artifact

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
)

// readNested opens the archives found in a's tree, one level at a time up
// to MaxDepth, drawing on the same budget. A nested archive that cannot be
// read is an anomaly of a; only exhausting the shared budget stops a.
func (rd *reader) readNested(a *Artifact) error {
	type member struct {
		name, base string
		data       []byte
	}
	var members []member
	if a.appended != nil {
		members = append(members, member{"(appended tar archive)", "", a.appended})
		a.appended = nil
	}
	for _, f := range a.Files {
		if f.Type == TypeRegular && isArchiveMagic(f.data) {
			members = append(members, member{f.Path, path.Base(f.Path), f.data})
		}
	}
	for _, m := range members {
		if rd.depth >= rd.b.limits.MaxDepth {
			a.Anomalies = append(a.Anomalies, Anomaly{Kind: NestedTooDeep, Severity: kindIndex[NestedTooDeep].Severity,
				Entry: m.name, Detail: fmt.Sprintf("archive %q not opened: deeper than max-depth %d, so its content was not scanned",
					a.Path+"!/"+m.name, rd.b.limits.MaxDepth)})
			continue
		}
		child := &reader{b: rd.b, depth: rd.depth + 1, inspect: rd.inspect}
		sum := sha256.Sum256(m.data)
		n := &Artifact{Path: a.Path + "!/" + m.name, Size: int64(len(m.data)), SHA256: hex.EncodeToString(sum[:])}
		err := child.readBytes(n, m.data, m.base)
		if err == nil {
			a.Nested = append(a.Nested, n)
			continue
		}
		n.Err = err
		if !errors.Is(err, ErrUnrecognized) {
			a.Nested = append(a.Nested, n)
		}
		a.Anomalies = append(a.Anomalies, Anomaly{Kind: NestedError, Severity: kindIndex[NestedError].Severity,
			Entry: m.name, Detail: err.Error()})
		var le *LimitError
		if errors.As(err, &le) && (le.Limit == LimitTotalBytes || le.Limit == LimitEntries) {
			return err
		}
		if rd.b.ctx.Err() != nil {
			return rd.b.ctx.Err()
		}
	}
	return nil
}
