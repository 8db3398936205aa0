// Package pep440 parses and compares Python package versions as PEP 440
// defines them.
//
// It wraps github.com/aquasecurity/go-pep440-version so that the rest of
// Safeguard depends on one small API. It is for versions, not for
// requirement specifiers with markers (see the PEP 508 parser for those).
package pep440

import (
	"fmt"

	upstream "github.com/aquasecurity/go-pep440-version"
)

// maxLen bounds the input given to the regular expression; no real version
// is anywhere near this long.
const maxLen = 256

// Version is a parsed PEP 440 version.
type Version struct {
	v upstream.Version
}

// Parse parses s as a PEP 440 version. Leading "v", surrounding whitespace
// and the alternative spellings PEP 440 allows are accepted.
func Parse(s string) (Version, error) {
	if len(s) > maxLen {
		return Version{}, fmt.Errorf("version %.40q...: longer than %d bytes", s, maxLen)
	}
	v, err := upstream.Parse(s)
	if err != nil {
		return Version{}, fmt.Errorf("version %q is not PEP 440", s)
	}
	return Version{v: v}, nil
}

// Valid reports whether s is a PEP 440 version.
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// String returns the normalised form ("1.0-1" becomes "1.0.post1").
func (v Version) String() string { return v.v.String() }

// Compare returns -1, 0 or +1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int { return v.v.Compare(o.v) }

// Equal reports whether v and o are the same version ("1.0" equals "1.0.0").
func (v Version) Equal(o Version) bool { return v.v.Equal(o.v) }

// Normalize returns the normalised form of s, or s unchanged when it is not
// a PEP 440 version.
func Normalize(s string) string {
	v, err := Parse(s)
	if err != nil {
		return s
	}
	return v.String()
}

// Public returns the version without its local label ("1.0+abc" is "1.0").
func (v Version) Public() string { return v.v.Public() }

// BaseVersion returns epoch and release only ("1!2.0rc1.post3" is "1!2.0").
func (v Version) BaseVersion() string { return v.v.BaseVersion() }

// Local returns the local label, or "".
func (v Version) Local() string { return v.v.Local() }

// IsPreRelease reports a pre-release or development release.
func (v Version) IsPreRelease() bool { return v.v.IsPreRelease() }

// IsPostRelease reports a post-release.
func (v Version) IsPostRelease() bool { return v.v.IsPostRelease() }
