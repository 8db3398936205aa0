package artifact

import (
	"bytes"
	"fmt"
	"io"
)

// readContent reads one entry's content within the budget. declared is the
// size the header claims (-1 if none); it is checked against the limits
// before anything is read, and never trusted for allocation beyond 1 MiB.
// An error from r is returned with the bytes read before it.
func (b *budget) readContent(r io.Reader, declared int64, entry string) ([]byte, error) {
	capBytes, which := b.fileCap()
	if declared > capBytes {
		return nil, b.limitError(which, entry)
	}
	var buf bytes.Buffer
	if declared > 0 {
		// ReadFrom wants MinRead bytes of room before each read, the one
		// that finds the end included: without the slack a buffer of
		// exactly the declared size would be doubled to learn it is full.
		buf.Grow(int(min(declared, 1<<20)) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, capBytes+1))
	if n > capBytes {
		return nil, b.limitError(which, entry)
	}
	b.bytes -= n
	return buf.Bytes(), err
}

// streamGuard counts the bytes a decompressor yields and stops it once the
// ratio to the compressed size, or an absolute ceiling, is passed. It
// catches bombs in data the archive reader skips, not only in content.
type streamGuard struct {
	r        io.Reader
	n        int64
	ratioCap int64
	hardCap  int64
	b        *budget
}

func newStreamGuard(r io.Reader, compressed int64, b *budget) *streamGuard {
	ratioCap := int64(float64(compressed) * b.limits.MaxRatio)
	if ratioCap < ratioFloor {
		ratioCap = ratioFloor
	}
	// Headers and padding come on top of content: allow 1 KiB an entry.
	hardCap := b.limits.MaxTotalBytes + int64(b.limits.MaxEntries)*1024 + ratioFloor
	return &streamGuard{r: r, ratioCap: ratioCap, hardCap: hardCap, b: b}
}

func (g *streamGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.ratioCap {
		return n, g.b.limitError(LimitRatio, "")
	}
	if g.n > g.hardCap {
		return n, g.b.limitError(LimitTotalBytes, "")
	}
	return n, err
}

func (g *streamGuard) String() string { return fmt.Sprintf("%d bytes decompressed", g.n) }
