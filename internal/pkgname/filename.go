package pkgname

import (
	"errors"
	"fmt"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep440"
)

// ErrNotDistribution is returned for filenames that are not a Python
// distribution filename.
var ErrNotDistribution = errors.New("not a Python distribution filename")

// Kind is the kind of distribution a filename names.
type Kind string

// Distribution kinds.
const (
	KindWheel Kind = "wheel"
	KindSdist Kind = "sdist"
	KindEgg   Kind = "egg"
)

// Filename is what a distribution filename says about its contents.
type Filename struct {
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`    // as written, with escaping undone where the format allows
	Version string `json:"version"` // as written
	// VersionValid reports whether Version is a PEP 440 version.
	VersionValid bool `json:"version_valid"`
	// Wheel fields (PEP 427/491).
	Build        string   `json:"build,omitempty"`
	PythonTags   []string `json:"python_tags,omitempty"`
	ABITags      []string `json:"abi_tags,omitempty"`
	PlatformTags []string `json:"platform_tags,omitempty"`
	// Extension is the archive suffix of an sdist (".tar.gz", ".zip"...).
	Extension string `json:"extension,omitempty"`
	// Legacy is true for sdist names that do not follow PEP 625
	// (hyphens in the name, an extension other than .tar.gz, and so on).
	Legacy bool `json:"legacy,omitempty"`
}

// sdistExtensions lists the archive suffixes setuptools and distutils have
// produced, longest first so ".tar.gz" wins over ".gz".
var sdistExtensions = []string{".tar.gz", ".tar.bz2", ".tar.xz", ".tar.Z", ".tar.lz", ".tgz", ".tbz", ".txz", ".tar", ".zip"}

// Parse parses any distribution filename (a base name, not a path).
func Parse(filename string) (Filename, error) {
	lower := strings.ToLower(filename)
	switch {
	case strings.HasSuffix(lower, ".whl"):
		return ParseWheel(filename)
	case strings.HasSuffix(lower, ".egg"):
		return ParseEgg(filename)
	}
	return ParseSdist(filename)
}

// ParseWheel parses "{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl".
func ParseWheel(filename string) (Filename, error) {
	stem, ok := cutSuffixFold(filename, ".whl")
	if !ok {
		return Filename{}, fmt.Errorf("wheel filename %q: %w", filename, ErrNotDistribution)
	}
	parts := strings.Split(stem, "-")
	if len(parts) != 5 && len(parts) != 6 {
		return Filename{}, fmt.Errorf("wheel filename %q: want 5 or 6 dash-separated parts, have %d", filename, len(parts))
	}
	for _, p := range parts {
		if p == "" {
			return Filename{}, fmt.Errorf("wheel filename %q: empty part", filename)
		}
	}
	f := Filename{Kind: KindWheel, Name: parts[0], Version: parts[1]}
	if len(parts) == 6 {
		f.Build = parts[2]
		if f.Build[0] < '0' || f.Build[0] > '9' {
			return Filename{}, fmt.Errorf("wheel filename %q: build tag %q must start with a digit", filename, f.Build)
		}
	}
	tags := parts[len(parts)-3:]
	f.PythonTags = strings.Split(tags[0], ".")
	f.ABITags = strings.Split(tags[1], ".")
	f.PlatformTags = strings.Split(tags[2], ".")
	if !Valid(f.Name) {
		return Filename{}, fmt.Errorf("wheel filename %q: invalid project name %q", filename, f.Name)
	}
	f.VersionValid = pep440.Valid(f.Version)
	return f, nil
}

// ParseSdist parses a source distribution filename: PEP 625
// "{name}-{version}.tar.gz" and the legacy forms, where the name may hold
// hyphens and the archive may be zip, bzip2, xz or plain tar.
//
// A legacy name is split at the leftmost hyphen whose remainder is a PEP 440
// version ("python-dateutil-2.8.2" is python-dateutil 2.8.2); when no split
// gives a valid version, at the last hyphen followed by a digit.
func ParseSdist(filename string) (Filename, error) {
	var stem, ext string
	for _, e := range sdistExtensions {
		if s, ok := cutSuffixFold(filename, e); ok {
			stem, ext = s, filename[len(s):]
			break
		}
	}
	if ext == "" {
		return Filename{}, fmt.Errorf("sdist filename %q: %w", filename, ErrNotDistribution)
	}
	f := Filename{Kind: KindSdist, Extension: ext}
	name, version, ok := splitNameVersion(stem)
	if !ok {
		return Filename{}, fmt.Errorf("sdist filename %q: no name-version separator", filename)
	}
	f.Name, f.Version = name, version
	f.VersionValid = pep440.Valid(version)
	f.Legacy = strings.ToLower(ext) != ".tar.gz" || strings.Contains(name, "-") || strings.Count(stem, "-") != 1
	if !Valid(f.Name) {
		return Filename{}, fmt.Errorf("sdist filename %q: invalid project name %q", filename, f.Name)
	}
	return f, nil
}

// ParseEgg parses "{name}-{version}(-py{X.Y}(-{platform})?)?.egg".
func ParseEgg(filename string) (Filename, error) {
	stem, ok := cutSuffixFold(filename, ".egg")
	if !ok {
		return Filename{}, fmt.Errorf("egg filename %q: %w", filename, ErrNotDistribution)
	}
	parts := strings.SplitN(stem, "-", 4)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return Filename{}, fmt.Errorf("egg filename %q: no name-version separator", filename)
	}
	f := Filename{Kind: KindEgg, Name: strings.ReplaceAll(parts[0], "_", "-"), Version: strings.ReplaceAll(parts[1], "_", "-")}
	if len(parts) >= 3 {
		f.PythonTags = []string{parts[2]}
	}
	if len(parts) == 4 {
		f.PlatformTags = []string{parts[3]}
	}
	if !Valid(f.Name) {
		return Filename{}, fmt.Errorf("egg filename %q: invalid project name %q", filename, f.Name)
	}
	f.VersionValid = pep440.Valid(f.Version)
	return f, nil
}

// splitNameVersion splits "name-version" where the name may hold hyphens.
func splitNameVersion(stem string) (name, version string, ok bool) {
	lastDigit := -1
	for i := 0; i < len(stem); i++ {
		if stem[i] != '-' || i == 0 || i == len(stem)-1 {
			continue
		}
		if pep440.Valid(stem[i+1:]) {
			return stem[:i], stem[i+1:], true
		}
		if c := stem[i+1]; c >= '0' && c <= '9' {
			lastDigit = i
		}
	}
	if lastDigit > 0 {
		return stem[:lastDigit], stem[lastDigit+1:], true
	}
	if i := strings.LastIndexByte(stem, '-'); i > 0 && i < len(stem)-1 {
		return stem[:i], stem[i+1:], true
	}
	return "", "", false
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
