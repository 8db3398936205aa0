package analyze

import (
	"bytes"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

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

// execHead is how much of a file isExecutableFile reads first.
const execHead = 4096

// isExecutableFile is isExecutable of f's content, reading only its head
// unless a PE header sits past it: the bytes of a large artifact's files
// are inflated again each time they are read.
func isExecutableFile(f *artifact.File) bool {
	if !hasExecMagic(f.Head(64)) {
		return false // no magic number: the kept head of released content answers
	}
	head := f.Head(execHead)
	if len(head) == execHead && int64(len(head)) < f.Size && head[0] == 'M' && head[1] == 'Z' {
		if off := int(head[0x3c]) | int(head[0x3d])<<8 | int(head[0x3e])<<16 | int(head[0x3f])<<24; off > 0 && off+4 > len(head) {
			return isExecutable(f.Bytes())
		}
	}
	return isExecutable(head)
}
