package cli

import (
	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// byteSize is a flag holding a byte count written as "512MiB", "2GB" or
// "1048576".
type byteSize int64

func (b *byteSize) String() string { return artifact.FormatBytes(int64(*b)) }

func (b *byteSize) Type() string { return "size" }

func (b *byteSize) Set(s string) error {
	v, err := artifact.ParseBytes(s)
	if err != nil {
		return err
	}
	*b = byteSize(v)
	return nil
}
