package metadata

import "strings"

// ParseTopLevel parses top_level.txt: one importable top-level name a line.
func ParseTopLevel(data []byte) []string {
	var names []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, l)
		}
	}
	return names
}
