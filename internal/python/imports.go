package python

import (
	"regexp"
	"strings"
)

var (
	reImportLine = regexp.MustCompile(`(?m)^([ \t]*)(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)\n#]*)|import[ \t]+([^\n#;]+))`)
)

// QuickImports lists a file's import statements from its text alone,
// without parsing: enough to decide which modules a module loads. An
// import indented under anything is reported with Func = 0 (inside a
// block), a top-level one with Func = -1. Parenthesised import lists
// spanning lines are read up to the first line only.
func QuickImports(src []byte) []Import {
	var out []Import
	for _, m := range reImportLine.FindAllSubmatch(src, -1) {
		fn := int32(-1)
		if len(m[1]) > 0 {
			fn = 0
		}
		if m[5] != nil { // import a.b as c, d
			for _, part := range strings.Split(string(m[5]), ",") {
				mod, alias, _ := strings.Cut(strings.TrimSpace(part), " as ")
				mod = strings.TrimSpace(mod)
				if !isIdentifierPath(mod) {
					continue
				}
				if alias == "" {
					alias, _, _ = strings.Cut(mod, ".")
				}
				out = append(out, Import{Module: mod, Alias: strings.TrimSpace(alias), Func: fn})
			}
			continue
		}
		level, mod := len(m[2]), string(m[3])
		for _, part := range strings.Split(string(m[4]), ",") {
			name, alias, _ := strings.Cut(strings.TrimSpace(part), " as ")
			name = strings.TrimSpace(name)
			if name != "*" && !isIdentifierPath(name) {
				continue
			}
			if alias == "" {
				alias = name
			}
			out = append(out, Import{Module: mod, Name: name, Alias: strings.TrimSpace(alias), Level: level, Func: fn})
		}
	}
	return out
}
