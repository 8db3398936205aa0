package artifact

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"sync"

	"github.com/klauspost/compress/flate"
)

// inflaters reuses deflate decompressors, whose state is tens of KiB.
var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// readZip reads a zip archive (wheel, egg or zip sdist) held in memory.
func (rd *reader) readZip(a *Artifact, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("not a readable zip archive: %w", err)
	}
	if len(zr.File) > rd.b.entries {
		return rd.b.limitError(LimitEntries, "")
	}
	rd.zipFraming(a, data, zr)
	before := rd.b.bytes
	release := declaredContent(zr) > releaseMin
	pre := rd.newZipPrefetch(data, zr)
	for i, zf := range zr.File {
		if err := rd.b.takeEntry(zf.Name); err != nil {
			return err
		}
		a.Entries++
		content, seen := pre.take(i)
		if err := rd.zipEntry(a, data, zf, release, content, seen); err != nil {
			return err
		}
	}
	// Entries past the ratio are skipped one by one; the archive as a
	// whole must still stay within it.
	if rd.b.overRatio(before-rd.b.bytes, int64(len(data))) {
		return rd.b.limitError(LimitRatio, "")
	}
	return nil
}

// zipEntry reads one entry of the archive data; with release, its content
// is dropped once checked, to be read again from the archive when asked
// for. pre, when not nil, is the entry's content inflated ahead
// (zipPrefetch), and seen what Options.Inspect made of it.
func (rd *reader) zipEntry(a *Artifact, data []byte, zf *zip.File, release bool, pre []byte, seen any) error {
	p, ok := cleanName(zf.Name, &a.as)
	mode := zf.Mode()
	if !ok || mode.IsDir() {
		return nil
	}
	if zf.Flags&0x1 != 0 {
		a.as.add(Encrypted, zf.Name, "")
		return nil
	}
	if mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0 {
		a.as.add(SpecialFile, zf.Name, "mode "+mode.String())
		a.add(&File{Path: p, Type: TypeSpecial, Mode: mode})
		return nil
	}
	declared := int64(zf.UncompressedSize64)
	if zf.UncompressedSize64 > 1<<62 {
		declared = 1 << 62
	}
	if rd.b.overRatio(declared, int64(min(zf.CompressedSize64, 1<<62))) {
		if !denseSkippable(p) {
			return rd.b.limitError(LimitRatio, zf.Name)
		}
		skipDense(a, p, zf, declared, rd.b.limits.MaxRatio, false)
		return nil
	}
	var content []byte
	var err error
	if pre != nil {
		content, err = rd.b.takePrefetched(pre, zf.Name)
	} else {
		content, err = rd.zipContent(data, zf, declared)
	}
	var le *LimitError
	switch {
	case errors.As(err, &le) && le.Limit == LimitRatio && denseSkippable(p):
		// The header understated the size; what was inflated before the
		// guard stopped it stays counted against max-total-bytes.
		skipDense(a, p, zf, declared, rd.b.limits.MaxRatio, true)
		return nil
	case errors.As(err, &le):
		return le
	case err != nil && content == nil:
		a.as.add(UnsupportedMethod, zf.Name, err.Error())
		return nil
	case err != nil:
		a.as.add(Truncated, zf.Name, "corrupt compressed data: "+err.Error())
	}
	if int64(len(content)) != declared {
		a.as.add(SizeMismatch, zf.Name, fmt.Sprintf("central directory says %d bytes, content is %d", declared, len(content)))
	} else if crc32.ChecksumIEEE(content) != zf.CRC32 {
		a.as.add(ChecksumMismatch, zf.Name, fmt.Sprintf("CRC-32 %08x recorded, %08x computed", zf.CRC32, crc32.ChecksumIEEE(content)))
	}
	if mode&fs.ModeSymlink != 0 {
		a.addLink(p, zf.Name, string(content), false)
		return nil
	}
	f := newRegular(p, zf.Name, mode.Perm(), content)
	f.Inspection = seen
	if release && len(content) > 0 && !isArchiveMagic(content) {
		f.release(zipLoader(data, zf, len(content)))
	}
	a.add(f)
	return nil
}

// zipContent decompresses one entry itself rather than through
// zip.File.Open, so that a size the header understates is seen, not cut.
// It returns nil content for a method it does not decode, and partial
// content with the error for a corrupt stream.
func (rd *reader) zipContent(data []byte, zf *zip.File, declared int64) ([]byte, error) {
	raw, err := rawEntry(data, zf)
	if err != nil {
		return nil, fmt.Errorf("open entry: %w", err)
	}
	var r io.Reader
	switch zf.Method {
	case zip.Store:
		r = raw
	case zip.Deflate:
		fr := inflaters.Get().(io.ReadCloser)
		if err := fr.(flate.Resetter).Reset(raw, nil); err != nil {
			return nil, fmt.Errorf("inflate: %w", err)
		}
		defer inflaters.Put(fr)
		r = fr
	case 12: // bzip2, which Python's zipfile and so pip accept
		r = bzip2.NewReader(raw)
	default:
		return nil, fmt.Errorf("compression method %d is not decoded", zf.Method)
	}
	g := newStreamGuard(r, int64(zf.CompressedSize64), rd.b)
	content, err := rd.b.readContent(g, declared, zf.Name)
	var le *LimitError
	if errors.As(err, &le) {
		le.Entry = zf.Name
		return nil, le
	}
	if content == nil {
		content = []byte{}
	}
	return content, err
}

// rawEntry returns a reader over an entry's compressed bytes in data, the
// archive: a bytes.Reader, which the inflater reads byte by byte without
// the buffered reader it puts around other readers (about a fifth of its
// time on large wheels). It falls back on the zip package's reader.
func rawEntry(data []byte, zf *zip.File) (io.Reader, error) {
	if off, err := zf.DataOffset(); err == nil && off >= 0 && zf.CompressedSize64 <= uint64(len(data)) && uint64(off) <= uint64(len(data))-zf.CompressedSize64 {
		return bytes.NewReader(data[off : off+int64(zf.CompressedSize64)]), nil
	}
	return zf.OpenRaw()
}

// zipFraming reports bytes before the first entry or after the end of the
// central directory, and entries that share compressed data.
func (rd *reader) zipFraming(a *Artifact, data []byte, zr *zip.Reader) {
	if len(zr.File) > 0 && !bytes.HasPrefix(data, magicZip) {
		a.as.add(PrependedData, "", "the archive does not start with a zip entry")
	}
	if end := findEOCD(data); end >= 0 {
		commentLen := int(binary.LittleEndian.Uint16(data[end+20:]))
		if tail := len(data) - (end + 22 + commentLen); tail > 0 {
			a.as.add(TrailingData, "", fmt.Sprintf("%d bytes after the end of the zip central directory", tail))
		}
	}
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(zr.File))
	for _, zf := range zr.File {
		off, err := zf.DataOffset()
		if err != nil || zf.CompressedSize64 == 0 {
			continue
		}
		spans = append(spans, span{off, off + int64(zf.CompressedSize64), zf.Name})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			a.as.add(OverlappingEntries, spans[i].name, "shares compressed bytes with "+quote(spans[i-1].name))
		}
	}
}

// findEOCD returns the offset of the zip end-of-central-directory record,
// searching back from the end as zip readers do, or -1.
func findEOCD(data []byte) int {
	const recLen, maxComment = 22, 0xffff
	lo := len(data) - recLen - maxComment
	if lo < 0 {
		lo = 0
	}
	for i := len(data) - recLen; i >= lo; i-- {
		if data[i] == 'P' && bytes.Equal(data[i:i+4], magicZipE) {
			commentLen := int(binary.LittleEndian.Uint16(data[i+20:]))
			if i+recLen+commentLen <= len(data) {
				return i
			}
		}
	}
	return -1
}
