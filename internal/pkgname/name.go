// Package pkgname handles Python distribution names and filenames: PEP 503
// name normalisation, wheel filenames (PEP 427/491), source distribution
// filenames (PEP 625 and the legacy forms still on PyPI) and egg filenames.
//
// It parses names only; it never looks inside a file.
package pkgname

import (
	"regexp"
	"strings"
)

var (
	separators = regexp.MustCompile(`[-_.]+`)
	validName  = regexp.MustCompile(`(?i)^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$`)
)

// Normalize returns the PEP 503 normalised form of a project name: lower
// case, with every run of "-", "_" and "." replaced by one "-".
func Normalize(name string) string {
	return strings.ToLower(separators.ReplaceAllString(name, "-"))
}

// Valid reports whether name is a valid project name under the core
// metadata specification.
func Valid(name string) bool {
	return len(name) <= 256 && validName.MatchString(name)
}

// Equal reports whether two project names are the same project.
func Equal(a, b string) bool { return Normalize(a) == Normalize(b) }
