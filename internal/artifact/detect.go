package artifact

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicBzip2 = []byte("BZh")
	magicXz    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicZip   = []byte("PK\x03\x04")
	magicZipE  = []byte("PK\x05\x06") // empty zip: end of central directory only
	magicUstar = []byte("ustar")
)

// detect names the container format of data from its first bytes, or for
// a zip with bytes prepended (no magic at offset 0) from its end record.
func detect(data []byte) Format {
	if f := detectMagic(data); f != FormatUnknown {
		return f
	}
	switch {
	case findEOCD(data) >= 0:
		return FormatZip
	case looksLikeText(data):
		return FormatText
	}
	return FormatUnknown
}

// detectMagic names the format from magic bytes at offset 0 only.
func detectMagic(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, magicGzip):
		return FormatGz
	case bytes.HasPrefix(data, magicBzip2) && len(data) > 3 && data[3] >= '1' && data[3] <= '9':
		return FormatBz2
	case bytes.HasPrefix(data, magicXz):
		return FormatXz
	case bytes.HasPrefix(data, magicZip), bytes.HasPrefix(data, magicZipE):
		return FormatZip
	case isTar(data):
		return FormatTar
	}
	return FormatUnknown
}

// isTar recognises a POSIX/GNU tar header by its magic, or a V7 header by
// its checksum.
func isTar(data []byte) bool {
	if len(data) < 512 {
		return false
	}
	if bytes.Equal(data[257:262], magicUstar) {
		return true
	}
	// V7: the checksum field (148..156) holds the octal sum of the header
	// with the checksum field counted as spaces.
	field := strings.TrimRight(strings.TrimLeft(string(data[148:156]), " "), " \x00")
	if field == "" {
		return false
	}
	var want int64
	for _, c := range field {
		if c < '0' || c > '7' {
			return false
		}
		want = want*8 + int64(c-'0')
	}
	var sum int64
	for i := 0; i < 512; i++ {
		if i >= 148 && i < 156 {
			sum += ' '
		} else {
			sum += int64(data[i])
		}
	}
	return sum == want && data[0] != 0
}

// looksLikeText accepts UTF-8 (or Latin-1-ish) text without NUL bytes in
// its first 8 KiB: source files.
func looksLikeText(data []byte) bool {
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	if utf8.Valid(head) {
		return true
	}
	// Allow a multi-byte rune cut at the 8 KiB boundary and legacy
	// encodings: mostly printable is enough.
	printable := 0
	for _, c := range head {
		if c >= 0x20 || c == '\n' || c == '\r' || c == '\t' {
			printable++
		}
	}
	return printable*100 >= len(head)*95
}

// isArchiveMagic reports whether nested content should be opened as an
// archive or compressed stream.
func isArchiveMagic(data []byte) bool {
	switch detectMagic(data) {
	case FormatGz, FormatBz2, FormatXz, FormatTar:
		return true
	case FormatZip:
		return bytes.HasPrefix(data, magicZip)
	}
	return false
}
