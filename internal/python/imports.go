package python

import (
	"bytes"
	"strings"
)

// QuickImports lists a file's import statements from its text alone,
// without parsing: enough to decide which modules a module loads. An
// import indented under anything is reported with Func = 0 (inside a
// block), a top-level one with Func = -1. Parenthesised import lists
// spanning lines are read up to the first line only.
//
// It reads each line as the expression
//
//	^([ \t]*)(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)\n#]*)|import[ \t]+([^\n#;]+))
//
// would, by hand: a regular expression took longer than all the rest of
// the pass over the text.
func QuickImports(src []byte) []Import {
	var out []Import
	eachLine(src, func(line []byte) { out = importLine(line, out) })
	return out
}

// eachLine calls do with each line of src, without its newline.
func eachLine(src []byte, do func(line []byte)) {
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		do(line)
	}
}

// importLine appends the imports of one line.
func importLine(line []byte, out []Import) []Import {
	i := skipBlank(line, 0)
	fn := int32(-1)
	if i > 0 {
		fn = 0
	}
	rest := line[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("import")):
		// import[ \t]+([^\n#;]+)
		j := skipBlank(line, i+6)
		if j == i+6 {
			return out
		}
		end := j
		for end < len(line) && line[end] != '#' && line[end] != ';' {
			end++
		}
		if end == j {
			return out // only blanks follow: nothing to import
		}
		return appendImports(out, line[j:end], fn)
	case bytes.HasPrefix(rest, []byte("from")):
		names, level, mod, ok := fromImport(line, i+4)
		if !ok {
			return out
		}
		return appendFromImports(out, names, level, mod, fn)
	}
	return out
}

// fromImport reads "[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)\n#]*)"
// at line[i:].
func fromImport(line []byte, i int) (names []byte, level int, mod []byte, ok bool) {
	j := skipBlank(line, i)
	if j == i {
		return nil, 0, nil, false
	}
	k := j
	for k < len(line) && line[k] == '.' {
		k++
	}
	m := k
	for m < len(line) && isWordOrDot(line[m]) {
		m++
	}
	if rest, ok := importKeyword(line, m); ok {
		return names4(line, rest), k - j, line[k:m], true
	}
	// The expression backtracks: with two or more blanks after "from",
	// the module may be empty and the blanks before "import" taken from
	// those ("from  import x").
	if j-i >= 2 {
		if rest, ok := importKeyword(line, j-1); ok {
			return names4(line, rest), 0, nil, true
		}
	}
	return nil, 0, nil, false
}

// importKeyword reads "[ \t]+import[ \t]+" at line[i:] and returns where
// the names start.
func importKeyword(line []byte, i int) (int, bool) {
	j := skipBlank(line, i)
	if j == i || !bytes.HasPrefix(line[j:], []byte("import")) {
		return 0, false
	}
	k := skipBlank(line, j+6)
	if k == j+6 {
		return 0, false
	}
	return k, true
}

// names4 reads "\(?([^)\n#]*)" at line[i:].
func names4(line []byte, i int) []byte {
	if i < len(line) && line[i] == '(' {
		i++
	}
	end := i
	for end < len(line) && line[end] != ')' && line[end] != '#' {
		end++
	}
	return line[i:end]
}

func skipBlank(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}

func isWordOrDot(c byte) bool { return c == '.' || isWordByte(c) }

// isWordByte reports an ASCII identifier byte; identStartByte one that
// may start an identifier.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func identStartByte(c byte) bool { return isWordByte(c) && (c < '0' || c > '9') }

// appendImports appends "import a.b as c, d".
func appendImports(out []Import, list []byte, fn int32) []Import {
	for _, part := range strings.Split(string(list), ",") {
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
	return out
}

// appendFromImports appends "from ..m import a as b, c".
func appendFromImports(out []Import, list []byte, level int, mod []byte, fn int32) []Import {
	m := string(mod)
	for _, part := range strings.Split(string(list), ",") {
		name, alias, _ := strings.Cut(strings.TrimSpace(part), " as ")
		name = strings.TrimSpace(name)
		if name != "*" && !isIdentifierPath(name) {
			continue
		}
		if alias == "" {
			alias = name
		}
		out = append(out, Import{Module: m, Name: name, Alias: strings.TrimSpace(alias), Level: level, Func: fn})
	}
	return out
}
