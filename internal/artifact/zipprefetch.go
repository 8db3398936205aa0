package artifact

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// prefetchMin is the declared content from which a zip archive's
// deflated entries are inflated on every core before they are read in
// order: inflating is a tenth of the time of a large wheel's scan, and
// the rest of reading is cheap.
var prefetchMin int64 = 4 << 20 // a variable for tests

// prefetchWindow bounds the content inflated ahead and not yet taken:
// a large archive is inflated a window at a time, so that one whose
// content is released after reading (release.go) stays in bounded memory.
var prefetchWindow int64 = 32 << 20 // a variable for tests

// zipPrefetch inflates, on every core, the deflated entries of an archive
// whose content rd can hold, each into a buffer of its declared size, a
// window of entries at a time. It keeps only what the entry's reading in
// order would find: a stream that ends cleanly at exactly its declared
// size within the ratio limit. Any other entry (a size the header
// understates or overstates, a corrupt stream, a ratio past the limit)
// gets nil and is read in order as always, where its anomaly or limit is
// reported. The budget is charged when each entry is taken, in order
// (takePrefetched).
type zipPrefetch struct {
	rd   *reader
	data []byte
	zr   *zip.Reader
	out  [][]byte
	seen []any // what rd.inspect made of a Python source inflated ahead
	end  int   // entries before end have been inflated ahead
}

// newZipPrefetch returns the prefetcher for an archive worth it, or nil.
func (rd *reader) newZipPrefetch(data []byte, zr *zip.Reader) *zipPrefetch {
	total := declaredContent(zr)
	if runtime.GOMAXPROCS(0) < 2 || total < prefetchMin || total > rd.b.bytes {
		return nil
	}
	p := &zipPrefetch{rd: rd, data: data, zr: zr, out: make([][]byte, len(zr.File))}
	if rd.inspect != nil {
		p.seen = make([]any, len(zr.File))
	}
	return p
}

// take returns entry i's content inflated ahead (nil if it was not) and
// what Options.Inspect made of it, inflating the window that starts at i
// when i is past the last one.
func (p *zipPrefetch) take(i int) ([]byte, any) {
	if p == nil {
		return nil, nil
	}
	if i >= p.end {
		p.fill(i)
	}
	c := p.out[i]
	p.out[i] = nil
	var seen any
	if p.seen != nil {
		seen, p.seen[i] = p.seen[i], nil
	}
	return c, seen
}

// fill inflates entries from i on, up to prefetchWindow of declared
// content (one entry at least), on every core.
func (p *zipPrefetch) fill(i int) {
	end, size := i, int64(0)
	for end < len(p.zr.File) && (end == i || size+int64(min(p.zr.File[end].UncompressedSize64, 1<<40)) <= prefetchWindow) {
		size += int64(min(p.zr.File[end].UncompressedSize64, 1<<40))
		end++
	}
	p.end = end
	var next atomic.Int64
	next.Store(int64(i))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			fr := inflaters.Get().(io.ReadCloser)
			defer inflaters.Put(fr)
			for {
				k := int(next.Add(1)) - 1
				if k >= end {
					return
				}
				zf := p.zr.File[k]
				p.out[k] = p.rd.inflateExact(p.data, zf, fr)
				if p.seen != nil && p.out[k] != nil && (strings.HasSuffix(zf.Name, ".py") || strings.HasSuffix(zf.Name, ".pyw")) {
					p.seen[k] = p.rd.inspect(p.out[k])
				}
			}
		})
	}
	wg.Wait()
}

// inflateExact returns zf's content when it is a deflated regular entry
// whose stream yields exactly its declared size, else nil.
func (rd *reader) inflateExact(data []byte, zf *zip.File, fr io.ReadCloser) []byte {
	declared := int64(zf.UncompressedSize64)
	mode := zf.Mode()
	if zf.Method != zip.Deflate || zf.Flags&0x1 != 0 || declared <= 0 || zf.UncompressedSize64 > 1<<40 ||
		mode.IsDir() || mode&(fs.ModeSymlink|fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 ||
		declared > rd.b.limits.MaxFileBytes || rd.b.overRatio(declared, int64(min(zf.CompressedSize64, 1<<62))) {
		return nil
	}
	raw, err := rawEntry(data, zf)
	if err != nil {
		return nil
	}
	if err := fr.(flate.Resetter).Reset(raw, nil); err != nil {
		return nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, declared+bytes.MinRead))
	n, err := buf.ReadFrom(io.LimitReader(fr, declared+1))
	if err != nil || n != declared {
		return nil
	}
	return buf.Bytes()
}

// takePrefetched charges the budget for content inflated ahead, as
// readContent does for content read in order.
func (b *budget) takePrefetched(content []byte, entry string) ([]byte, error) {
	capBytes, which := b.fileCap()
	if int64(len(content)) > capBytes {
		return nil, b.limitError(which, entry)
	}
	b.bytes -= int64(len(content))
	return content, nil
}
