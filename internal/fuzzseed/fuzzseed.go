// Package fuzzseed writes seed inputs for Go fuzz tests into
// testdata/fuzz/<FuzzName>/ in the format "go test" reads, so that seeds
// built by code are committed beside the test and run as regression cases
// by a plain "go test". It is for tests only.
package fuzzseed

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Write stores one seed made of values ([]byte, string, bool or int) for
// the fuzz test fuzzName under dir/testdata/fuzz. The file name is the
// hash of its content, so writing the same seed twice is harmless.
func Write(dir, fuzzName string, values ...any) error {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, v := range values {
		switch v := v.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%s)\n", strconv.Quote(string(v)))
		case string:
			fmt.Fprintf(&b, "string(%s)\n", strconv.Quote(v))
		case bool:
			fmt.Fprintf(&b, "bool(%t)\n", v)
		case int:
			fmt.Fprintf(&b, "int(%d)\n", v)
		default:
			return fmt.Errorf("fuzz seed: unsupported type %T", v)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	out := filepath.Join(dir, "testdata", "fuzz", fuzzName)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, hex.EncodeToString(sum[:8])), []byte(b.String()), 0o644)
}
