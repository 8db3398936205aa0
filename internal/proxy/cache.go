package proxy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// errHashMismatch is a download whose bytes do not match upstream's hash.
var errHashMismatch = errors.New("the file's SHA-256 does not match the index's")

// Cache holds downloaded files by their SHA-256. A file appears under its
// name only after all its bytes were written, synced and verified, so a
// process killed mid-download leaves only a temporary file, which the
// next start removes: no partial file is ever served.
type Cache struct {
	dir string
}

// OpenCache opens (creating) the cache in dir and removes temporary files
// left by a process that was killed.
func OpenCache(dir string) (*Cache, error) {
	for _, d := range []string{filepath.Join(dir, "sha256"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
	}
	tmp := filepath.Join(dir, "tmp")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	for _, e := range entries {
		os.Remove(filepath.Join(tmp, e.Name()))
	}
	return &Cache{dir: dir}, nil
}

// Path is where the file with this SHA-256 lives.
func (c *Cache) Path(sum string) string {
	return filepath.Join(c.dir, "sha256", sum[:2], sum)
}

// Has reports a complete cached file.
func (c *Cache) Has(sum string) bool {
	if !validSHA256(sum) {
		return false
	}
	_, err := os.Stat(c.Path(sum))
	return err == nil
}

// Fill writes r to the cache as the file with SHA-256 want, reading at
// most max bytes. It fails, keeping nothing, when the bytes hash to
// something else or are too many.
func (c *Cache) Fill(want string, r io.Reader, max int64) (int64, error) {
	if !validSHA256(want) {
		return 0, fmt.Errorf("cache: %q is not a SHA-256", want)
	}
	f, err := os.CreateTemp(filepath.Join(c.dir, "tmp"), want[:16]+"-*")
	if err != nil {
		return 0, fmt.Errorf("cache: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if err != nil {
		return n, fmt.Errorf("download: %w", err)
	}
	if n > max {
		return n, fmt.Errorf("download: larger than %d bytes", max)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return n, fmt.Errorf("%w (got %s)", errHashMismatch, got)
	}
	if err := f.Sync(); err != nil {
		return n, fmt.Errorf("cache: %w", err)
	}
	if err := f.Close(); err != nil {
		return n, fmt.Errorf("cache: %w", err)
	}
	dst := c.Path(want)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return n, fmt.Errorf("cache: %w", err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return n, fmt.Errorf("cache: %w", err)
	}
	keep = true
	syncDir(filepath.Dir(dst))
	return n, nil
}

// syncDir makes a rename durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
