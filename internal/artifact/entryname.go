package artifact

import (
	"path"
	"strings"
	"unicode/utf8"
)

// cleanName turns a stored entry name into a tree path and records the
// anomalies of the name itself. ok is false for names that cannot be kept
// (empty, or the archive root).
func cleanName(raw string, as *anomalies) (p string, ok bool) {
	name := raw
	if !utf8.ValidString(name) {
		as.add(InvalidUTF8Name, raw, "")
		name = strings.ToValidUTF8(name, "\uFFFD")
	}
	if strings.ContainsFunc(name, isControl) {
		as.add(ControlCharName, raw, "")
	}
	slashed := name
	if strings.Contains(name, `\`) {
		as.add(BackslashName, raw, "")
		slashed = strings.ReplaceAll(name, `\`, "/")
	}
	if isAbsolute(slashed) {
		as.add(AbsolutePath, raw, "")
		return path.Clean("/" + strings.TrimLeft(slashed, "/")), true
	}
	p = path.Clean(slashed)
	if p == "." || p == "" {
		if strings.TrimSpace(name) == "" {
			as.add(EmptyName, raw, "")
		}
		return "", false
	}
	if escapes(p) {
		as.add(PathTraversal, raw, "")
	}
	if slashed == name {
		return p, true
	}
	// Keep the stored spelling for the path of a backslash name: a Linux
	// installer writes it as one file name, and the analysis should see
	// what was stored; traversal was judged on the slashed form above.
	return path.Clean(name), true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// isAbsolute reports POSIX absolute paths, Windows drive paths and UNC paths.
func isAbsolute(p string) bool {
	if strings.HasPrefix(p, "/") {
		return true
	}
	return len(p) >= 2 && p[1] == ':' && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z'))
}

// escapes reports whether a cleaned relative path climbs above its root.
func escapes(p string) bool { return p == ".." || strings.HasPrefix(p, "../") }

// linkEscapes reports whether a link stored at entry pointing at target
// resolves outside the archive root.
func linkEscapes(entry, target string, hard bool) bool {
	t := strings.ReplaceAll(target, `\`, "/")
	if isAbsolute(t) {
		return true
	}
	if hard {
		// Hard link targets are archive-relative names.
		return escapes(path.Clean(t))
	}
	return escapes(path.Clean(path.Join(path.Dir(entry), t)))
}
