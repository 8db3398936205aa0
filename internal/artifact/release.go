package artifact

import (
	"archive/zip"
	"compress/bzip2"
	"io"

	"github.com/klauspost/compress/flate"
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

// zipLoader reads up to n bytes of zf's content again (n, or less when
// asked for less): the bytes read and checked the first time,
// decompressors being deterministic.
func zipLoader(zf *zip.File, n int) func(limit int) []byte {
	return func(limit int) []byte {
		raw, err := zf.OpenRaw()
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
