package artifact

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"sync"
)

// FileType is what kind of entry a File is.
type FileType string

// File types.
const (
	TypeRegular  FileType = "file"
	TypeSymlink  FileType = "symlink"
	TypeHardlink FileType = "hardlink"
	TypeSpecial  FileType = "special" // device, FIFO, socket
)

// File is one entry of an artifact's file tree. Only regular files have
// content; links carry their target and are never followed.
type File struct {
	// Path is the entry name, slash-separated and cleaned ("a/./b" is
	// "a/b"). Names that are absolute or escape keep their leading "/" or
	// "../" so they never shadow a regular entry.
	Path string `json:"path"`
	// RawName is the name as stored, when it differs from Path.
	RawName    string      `json:"raw_name,omitempty"`
	Type       FileType    `json:"type"`
	Mode       fs.FileMode `json:"mode"`
	Size       int64       `json:"size"`
	LinkTarget string      `json:"link_target,omitempty"`
	// Unread is true for a regular file whose content was not read (a
	// data file past the compression-ratio limit): it has no bytes, and
	// Size is what its header says.
	Unread bool `json:"unread,omitempty"`

	data    []byte
	sumOnce sync.Once
	sum     [32]byte
	// load reads the first limit bytes of the content again when data was
	// released (see release): a large artifact does not keep every
	// file's content.
	load func(limit int) []byte
	// Inspection is what Options.Inspect made of the content, when it
	// was asked (see there); nil otherwise.
	Inspection any `json:"-"`
	// head keeps the first headKept bytes of released content: rules
	// look at every file's first bytes (magic numbers), and inflating
	// each again for them took a tenth of a 500 MB wheel's CPU.
	head []byte
}

// headKept is how much of a released file's content stays in memory.
const headKept = 64

// Bytes returns the content of a regular file. The slice must not be
// modified. For a file of a large artifact the content is read again from
// the archive at each call: call it once per use.
func (f *File) Bytes() []byte {
	if f.data == nil && f.load != nil {
		return f.load(int(f.Size))
	}
	return f.data
}

// Head returns the first n bytes of the content, or all of it if it is
// shorter, reading no more than that of a released file.
func (f *File) Head(n int) []byte {
	if f.data == nil && f.load != nil {
		if n <= len(f.head) || int64(len(f.head)) == f.Size {
			return f.head[:min(n, len(f.head))]
		}
		return f.load(n)
	}
	return f.data[:min(n, len(f.data))]
}

// Open returns a reader over the content.
func (f *File) Open() io.Reader { return bytes.NewReader(f.Bytes()) }

// SHA256 returns the hash of the content, computed on first use: most
// scans never need most files' hashes.
func (f *File) SHA256() [32]byte {
	f.sumOnce.Do(func() { f.sum = sha256.Sum256(f.Bytes()) })
	return f.sum
}

// release drops the content, which load reads again when it is asked for.
// The hash is taken first: RECORD verification needs every file's.
func (f *File) release(load func(limit int) []byte) {
	f.SHA256()
	f.unload(load)
}

// unload drops the content but its head, for load to read again.
func (f *File) unload(load func(limit int) []byte) {
	f.head = bytes.Clone(f.data[:min(headKept, len(f.data))])
	f.data, f.load = nil, load
}

// SHA256Hex returns the content hash in hex.
func (f *File) SHA256Hex() string {
	s := f.SHA256()
	return hex.EncodeToString(s[:])
}

func newRegular(path, raw string, mode fs.FileMode, data []byte) *File {
	f := &File{Path: path, Type: TypeRegular, Mode: mode, Size: int64(len(data)), data: data}
	if raw != path {
		f.RawName = raw
	}
	return f
}
