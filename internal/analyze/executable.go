package analyze

import "bytes"

var (
	magicELF   = []byte("\x7fELF")
	magicMachO = [][]byte{{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, {0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}}
)

// isExecutable reports a compiled program: an ELF, Mach-O or PE file.
func isExecutable(b []byte) bool {
	if bytes.HasPrefix(b, magicELF) {
		return true
	}
	for _, m := range magicMachO {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	if len(b) > 0x40 && b[0] == 'M' && b[1] == 'Z' {
		off := int(b[0x3c]) | int(b[0x3d])<<8 | int(b[0x3e])<<16 | int(b[0x3f])<<24
		return off > 0 && off+4 <= len(b) && bytes.Equal(b[off:off+4], []byte("PE\x00\x00"))
	}
	return false
}
