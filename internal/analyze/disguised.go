package analyze

import (
	"bytes"
	"path"
	"strings"
)

// Programs disguised as something else: an executable named like Python
// source, a certificate or an image, or one XOR-encrypted so that no
// magic number gives it away.

// disguiseNames are the extensions of files that are never programs, by
// how bad a program under that name is.
var disguiseNames = map[string]Severity{
	".py": Critical, ".pyw": Critical, ".pem": Critical, ".crt": Critical, ".cer": Critical, ".key": Critical,
	".png": High, ".jpg": High, ".jpeg": High, ".gif": High, ".ico": High, ".svg": High, ".txt": High,
	".json": High, ".cfg": High, ".ini": High, ".md": High, ".csv": High, ".xml": High, ".html": High,
}

// disguise reports how bad a program at p is for its name; Info for a
// name programs may have.
func disguise(p string) Severity {
	sev, ok := disguiseNames[strings.ToLower(path.Ext(p))]
	if !ok {
		return Info
	}
	if isTestPath(p) && sev > Medium {
		sev = Medium // test data of file-type detectors
	}
	return sev
}

func isTestPath(p string) bool {
	p = "/" + strings.ToLower(p)
	return strings.Contains(p, "/test/") || strings.Contains(p, "/tests/") || strings.Contains(p, "/testdata/") || strings.Contains(p, "/test_data/") ||
		strings.Contains(p, "/fixtures/")
}

// dosHeader is the DOS header almost every PE file starts with (the MS
// linker's stub), against which a repeating XOR key shows.
var dosHeader = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00")

// elfIdent is the identification of a 64-bit little-endian ELF file.
var elfIdent = []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// xorKey finds a repeating XOR key (at most maxKey bytes, seen at least
// twice over the known header) that turns head into an executable's
// start, and returns it, or nil. A zero key is no encryption.
func xorKey(head []byte) []byte {
	const maxKey = 16
	for _, plain := range [][]byte{dosHeader, elfIdent} {
		if len(head) < len(plain) {
			continue
		}
		stream := make([]byte, len(plain))
		for i := range plain {
			stream[i] = head[i] ^ plain[i]
		}
		for period := 1; period <= maxKey && 2*period <= len(stream); period++ {
			if !periodic(stream, period) {
				continue
			}
			// The header decrypts under a key repeated at least twice
			// over it: no accident of other data.
			key := stream[:period]
			if bytes.Count(key, []byte{0}) == len(key) {
				return nil
			}
			return key
		}
	}
	return nil
}

func periodic(b []byte, p int) bool {
	for i := p; i < len(b); i++ {
		if b[i] != b[i-p] {
			return false
		}
	}
	return true
}
