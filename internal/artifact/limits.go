package artifact

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits caps what reading one artifact may cost. Zero values mean the
// default; use DefaultLimits as the starting point.
type Limits struct {
	// MaxArtifactBytes caps the size of the artifact file itself.
	MaxArtifactBytes int64
	// MaxTotalBytes caps the uncompressed bytes of all entries, nested
	// archives included.
	MaxTotalBytes int64
	// MaxFileBytes caps the uncompressed size of one entry.
	MaxFileBytes int64
	// MaxEntries caps the number of entries, nested archives included.
	MaxEntries int
	// MaxRatio caps uncompressed/compressed size, checked once more than
	// ratioFloor bytes have been decompressed.
	MaxRatio float64
	// MaxDepth is how many levels of archives inside archives are opened;
	// 1 opens archives found in the artifact but not archives inside
	// those. Zero means the default; a negative value opens none.
	MaxDepth int
}

// ratioFloor is the output size below which the ratio limit is not applied:
// small, highly compressible files are normal.
const ratioFloor = 1 << 20

// DefaultLimits returns limits that admit every real distribution we know
// of short of the largest machine-learning wheels, while bounding memory.
func DefaultLimits() Limits {
	return Limits{
		MaxArtifactBytes: 1 << 30,
		MaxTotalBytes:    2 << 30,
		MaxFileBytes:     512 << 20,
		MaxEntries:       100_000,
		MaxRatio:         200,
		MaxDepth:         1,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxArtifactBytes <= 0 {
		l.MaxArtifactBytes = d.MaxArtifactBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	switch {
	case l.MaxDepth == 0:
		l.MaxDepth = d.MaxDepth
	case l.MaxDepth < 0:
		l.MaxDepth = 0
	}
	return l
}

// Limit names, as the command-line flags that raise them.
const (
	LimitArtifactBytes = "max-artifact-bytes"
	LimitTotalBytes    = "max-total-bytes"
	LimitFileBytes     = "max-file-bytes"
	LimitEntries       = "max-entries"
	LimitRatio         = "max-ratio"
)

// ErrLimit matches every *LimitError with errors.Is.
var ErrLimit = errors.New("limit exceeded")

// LimitError reports that reading stopped because a limit was reached.
type LimitError struct {
	Limit string // one of the Limit* names
	Max   string // the limit's value, for people
	Entry string // the entry being read, if any
}

func (e *LimitError) Error() string {
	at := ""
	if e.Entry != "" {
		at = fmt.Sprintf(" at entry %q", e.Entry)
	}
	return fmt.Sprintf("stopped reading: %s %s exceeded%s (raise it with --%s if this artifact is trusted to be that large)", e.Limit, e.Max, at, e.Limit)
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// budget is what is left of the limits while reading one top-level
// artifact; nested archives draw on the same budget.
type budget struct {
	ctx     context.Context
	limits  Limits
	bytes   int64 // uncompressed bytes left
	entries int   // entries left
}

func newBudget(ctx context.Context, l Limits) *budget {
	return &budget{ctx: ctx, limits: l, bytes: l.MaxTotalBytes, entries: l.MaxEntries}
}

// takeEntry accounts for one more entry; it also stops a cancelled read.
func (b *budget) takeEntry(name string) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if b.entries <= 0 {
		return &LimitError{Limit: LimitEntries, Max: fmt.Sprint(b.limits.MaxEntries), Entry: name}
	}
	b.entries--
	return nil
}

// fileCap is the most bytes one entry may yield, and the limit that sets it.
// overRatio reports out bytes from in compressed ones past the ratio
// limit; below ratioFloor bytes out, no ratio is too high.
func (b *budget) overRatio(out, in int64) bool {
	return out > ratioFloor && float64(out) > float64(in)*b.limits.MaxRatio
}

func (b *budget) fileCap() (int64, string) {
	if b.bytes < b.limits.MaxFileBytes {
		return b.bytes, LimitTotalBytes
	}
	return b.limits.MaxFileBytes, LimitFileBytes
}

func (b *budget) limitError(limit, entry string) *LimitError {
	var max string
	switch limit {
	case LimitTotalBytes:
		max = FormatBytes(b.limits.MaxTotalBytes)
	case LimitFileBytes:
		max = FormatBytes(b.limits.MaxFileBytes)
	case LimitRatio:
		max = fmt.Sprintf("%g:1", b.limits.MaxRatio)
	case LimitArtifactBytes:
		max = FormatBytes(b.limits.MaxArtifactBytes)
	case LimitEntries:
		max = fmt.Sprint(b.limits.MaxEntries)
	}
	return &LimitError{Limit: limit, Max: max, Entry: entry}
}

// FormatBytes renders n in binary units ("1.5 MiB").
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// ParseBytes reads a positive size written as "512MiB", "2GB" or
// "1048576", the inverse of FormatBytes.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("%q is not a positive size such as 512MiB", s)
	}
	return int64(f * float64(mult)), nil
}
