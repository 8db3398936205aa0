package artifact

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/ulikunitz/xz"
)

// decompress returns a reader over the decompressed stream of a gz, bz2 or
// xz file, guarded against bombs, and the name the gzip header stores.
func decompress(format Format, data []byte, b *budget) (*streamGuard, string, error) {
	var r io.Reader
	var name string
	switch format {
	case FormatGz:
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("read gzip header: %w", err)
		}
		r, name = zr, zr.Name
	case FormatBz2:
		r = bzip2.NewReader(bytes.NewReader(data))
	case FormatXz:
		zr, err := xz.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("read xz header: %w", err)
		}
		r = zr
	default:
		return nil, "", fmt.Errorf("not a compressed stream: %s", format)
	}
	return newStreamGuard(r, int64(len(data)), b), name, nil
}

// readCompressed reads a gz/bz2/xz file: a tar inside becomes the tree; any
// other content becomes a one-file tree named after the stream.
func (rd *reader) readCompressed(a *Artifact, data []byte, format Format, base string) error {
	g, storedName, err := decompress(format, data, rd.b)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(g, 64<<10)
	head, err := br.Peek(512)
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	if isTar(head) {
		a.Format = Format("tar." + string(format))
		return rd.readTar(a, br)
	}
	if len(head) == 0 && err != nil {
		return fmt.Errorf("decompress %s: %w", format, err)
	}
	a.Format = format
	a.Kind = KindStream
	name := storedName
	if name == "" {
		name = trimCompressionSuffix(base)
	}
	if err := rd.b.takeEntry(name); err != nil {
		return err
	}
	a.Entries++
	content, err := rd.b.readContent(br, -1, name)
	if errors.As(err, &le) {
		return le
	}
	if err != nil {
		a.as.add(Truncated, name, err.Error())
	}
	p, ok := cleanName(name, &a.as)
	if !ok {
		p = "content"
	}
	a.add(newRegular(p, name, 0o644, content))
	return nil
}

// readTar reads a tar stream into a.
func (rd *reader) readTar(a *Artifact, r io.Reader) error {
	tr := tar.NewReader(r)
	packing := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, tar.ErrInsecurePath) {
			err = nil // names are judged by cleanName
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return le
			}
			if a.Entries == 0 {
				return fmt.Errorf("not a readable tar archive: %w", err)
			}
			a.as.add(Truncated, "", "tar: "+err.Error())
			return nil
		}
		if err := rd.b.takeEntry(hdr.Name); err != nil {
			return err
		}
		a.Entries++
		p, ok := cleanName(hdr.Name, &a.as)
		if !ok {
			continue
		}
		switch hdr.Typeflag {
		case tar.TypeDir, tar.TypeXGlobalHeader:
			continue
		case tar.TypeSymlink:
			a.addLink(p, hdr.Name, hdr.Linkname, false)
			continue
		case tar.TypeLink:
			a.addLink(p, hdr.Name, hdr.Linkname, true)
			continue
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			a.as.add(SpecialFile, hdr.Name, fmt.Sprintf("tar type %q", hdr.Typeflag))
			a.add(&File{Path: p, Type: TypeSpecial, Mode: hdr.FileInfo().Mode()})
			continue
		case tar.TypeReg, tar.TypeGNUSparse, tar.TypeCont:
		default:
			// tarfile extracts unknown types as regular files: so do we.
			a.as.add(UnknownEntryType, hdr.Name, fmt.Sprintf("tar type %q read as a regular file", hdr.Typeflag))
		}
		content, err := rd.b.readContent(tr, hdr.Size, hdr.Name)
		var le *LimitError
		if errors.As(err, &le) {
			return le
		}
		f := newRegular(p, hdr.Name, hdr.FileInfo().Mode()&0o7777, content)
		a.add(f)
		packTar(a, f, &packing)
		if err != nil {
			a.as.add(SizeMismatch, hdr.Name, fmt.Sprintf("header says %d bytes, the archive ends after %d (%v)", hdr.Size, len(content), err))
			return nil
		}
	}
	return rd.trailing(a, r, "tar archive")
}

// trailing reads what follows the end of an archive in its stream and
// reports it unless it is zero padding. When what follows is another tar
// archive (pip's tarfile stops at the first end marker and never sees it),
// it is kept in a.appended to be read as a nested artifact.
func (rd *reader) trailing(a *Artifact, r io.Reader, what string) error {
	// Zero padding (a tar's records: usually kilobytes) is counted in a
	// small buffer; the bytes are kept only from the 512-byte block that
	// holds the first non-zero one.
	lr := io.LimitReader(r, rd.b.bytes+1)
	var buf [4096]byte
	var tail []byte // from the first block holding a non-zero byte
	zeros, total := 0, 0
	var err error
	for {
		var n int
		n, err = lr.Read(buf[:])
		i := 0
		for i < n && buf[i] == 0 {
			i++
		}
		zeros += i
		total += n
		if i < n {
			pad := zeros % 512 // zero bytes of the block before the first non-zero one
			tail = append(make([]byte, pad, pad+n-i+len(buf)), buf[i:n]...)
			read := len(tail)
			tail, err = appendAll(tail, lr)
			total += len(tail) - read
			break
		}
		if err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	var le *LimitError
	if errors.As(err, &le) {
		return le
	}
	if int64(total) > rd.b.bytes {
		return rd.b.limitError(LimitTotalBytes, "")
	}
	if isTar(tail) {
		a.appended = tail
		a.as.add(TrailingData, "", fmt.Sprintf("another tar archive (%d bytes) follows the end of the %s; pip reads only the first, the scan reads both", len(tail), what))
	} else if zeros < total {
		a.as.add(TrailingData, "", fmt.Sprintf("%d bytes (%d after zero padding) follow the end of the %s", total, total-zeros, what))
	}
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) {
			a.as.add(ChecksumMismatch, "", "gzip CRC-32 does not match the content")
		} else {
			a.as.add(TrailingData, "", fmt.Sprintf("bytes after the compressed stream that are not a valid stream (%v)", err))
		}
	}
	return nil
}

func trimCompressionSuffix(name string) string {
	for _, s := range []string{".gz", ".bz2", ".xz", ".tgz", ".Z"} {
		if len(name) > len(s) && name[len(name)-len(s):] == s {
			return name[:len(name)-len(s)]
		}
	}
	return name + ".content"
}
