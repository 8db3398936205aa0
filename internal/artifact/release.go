package artifact

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"io"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/s2"
)

// A zip archive whose entries hold more than releaseMin bytes is not kept
// inflated: each entry's content is checked as it is read, then dropped,
// and read again from the (compressed) archive each time it is asked
// for. A wheel with 540 MB of Python source then costs the memory of its
// compressed bytes and of the files being analysed, not of all its
// content. Nested archives keep their content: it is read as an archive.
var releaseMin int64 = 256 << 20 // a variable for tests

// declaredContent is the sum of the sizes a zip's central directory
// declares. It only chooses whether to release content: a header that
// lies changes the memory used, not what is read.
func declaredContent(zr *zip.Reader) int64 {
	var n int64
	for _, zf := range zr.File {
		n += int64(min(zf.UncompressedSize64, 1<<40))
	}
	return n
}

// zipLoader reads up to n bytes of zf's content again from data, the
// archive (n, or less when asked for less): the bytes read and checked
// the first time, decompressors being deterministic.
func zipLoader(data []byte, zf *zip.File, n int) func(limit int) []byte {
	return func(limit int) []byte {
		raw, err := rawEntry(data, zf)
		if err != nil {
			return nil
		}
		r := raw
		switch zf.Method {
		case zip.Deflate:
			fr := inflaters.Get().(io.ReadCloser)
			if err := fr.(flate.Resetter).Reset(raw, nil); err != nil {
				return nil
			}
			defer inflaters.Put(fr)
			r = fr
		case 12:
			r = bzip2.NewReader(raw)
		}
		buf := make([]byte, min(n, limit))
		k, _ := io.ReadFull(r, buf)
		return buf[:k]
	}
}

// A tar stream cannot be read again entry by entry, so a tar archive
// whose content passes packMin keeps each file's content packed with S2
// (a few times smaller for source, and unpacked at gigabytes a second)
// from then on, the files read before included.
var packMin int64 = 32 << 20 // a variable for tests

// packTar packs f, the file just added to a, once a holds more than
// packMin bytes of content; the first time, every file before it too.
func packTar(a *Artifact, f *File, packing *bool) {
	if a.UncompressedBytes <= packMin {
		return
	}
	if !*packing {
		*packing = true
		for _, g := range a.Files {
			g.pack()
		}
		return
	}
	f.pack()
}

// pack replaces a regular file's content by its S2 encoding, unless it is
// empty, an archive (read as such later) or already released.
func (f *File) pack() {
	if f.Type != TypeRegular || len(f.data) == 0 || f.load != nil || isArchiveMagic(f.data) {
		return
	}
	// Encode returns a slice of a buffer sized for the worst case: keep
	// only what it used.
	packed := bytes.Clone(s2.Encode(nil, f.data))
	n := len(f.data)
	f.unload(func(limit int) []byte {
		b, err := s2.Decode(make([]byte, 0, n), packed)
		if err != nil {
			return nil
		}
		return b[:min(n, limit)]
	})
}
