package typosquat

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Imitates returns the name among targets (a project's own dependencies,
// normalised) that name imitates the way Check looks for — separators,
// a py/python affix, look-alike characters, one edit — if any. A name
// that is itself a target, or popular, imitates nothing.
func Imitates(name string, targets []string) (string, bool) {
	once.Do(load)
	n := pkgname.Normalize(name)
	if _, ok := byName[n]; ok || n == "" {
		return "", false
	}
	for _, t := range targets {
		if t == n {
			return "", false
		}
	}
	for _, t := range targets {
		if len(t) < minLen {
			continue
		}
		if imitates(n, t) {
			return t, true
		}
	}
	return "", false
}

// imitates reports whether n is t spelled as a squatter would.
func imitates(n, t string) bool {
	if strings.ReplaceAll(n, "-", "") == strings.ReplaceAll(t, "-", "") || unconfuse(n) == t {
		return true
	}
	for _, a := range affixes {
		if strings.HasPrefix(n, a) && strings.TrimPrefix(n, a) == t || strings.HasSuffix(n, a) && strings.TrimSuffix(n, a) == t {
			return true
		}
	}
	return len(n) >= minEditLen && len(t) >= minEditLen && oneEdit(n, t)
}
