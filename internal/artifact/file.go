package artifact

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
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
	// SHA256 is the hash of the content of a regular file.
	SHA256 [32]byte `json:"-"`

	data []byte
}

// Bytes returns the content of a regular file. The slice must not be
// modified.
func (f *File) Bytes() []byte { return f.data }

// Open returns a reader over the content.
func (f *File) Open() io.Reader { return bytes.NewReader(f.data) }

// SHA256Hex returns the content hash in hex.
func (f *File) SHA256Hex() string { return hex.EncodeToString(f.SHA256[:]) }

func newRegular(path, raw string, mode fs.FileMode, data []byte) *File {
	f := &File{Path: path, Type: TypeRegular, Mode: mode, Size: int64(len(data)), data: data}
	if raw != path {
		f.RawName = raw
	}
	f.SHA256 = sha256.Sum256(data)
	return f
}
