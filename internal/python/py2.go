package python

import (
	"bytes"
	"regexp"
)

// py2Exec matches a Python 2 exec statement whose code is an expression
// other than a plain string or name, which the grammar cannot parse.
var py2Exec = regexp.MustCompile(`(?m)^([ \t]*)exec[ \t]+([^(\s'"].*?)(?:[ \t]+in[ \t]+[\w.()\[\], ]+)?[ \t]*$`)

// rewritePy2Exec turns "exec expr in ns" into "exec(expr)" on the same
// line, so that the expression is analysed as exec's argument.
func rewritePy2Exec(src []byte) []byte {
	if !hasExecStatement(src) {
		return src
	}
	return py2Exec.ReplaceAllFunc(src, func(line []byte) []byte {
		sub := py2Exec.FindSubmatch(line)
		expr := bytes.TrimSpace(sub[2])
		if isPlainName(expr) {
			return line // "exec code [in ns]" parses as exec_statement
		}
		out := append(append(append([]byte{}, sub[1]...), "exec("...), expr...)
		return append(out, ')')
	})
}

// hasExecStatement reports whether src holds "exec" followed by a space
// or tab, in one pass.
func hasExecStatement(src []byte) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("exec"))
		if j < 0 {
			return false
		}
		i += j + 4
		if i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			return true
		}
	}
}

func isPlainName(b []byte) bool {
	for _, c := range b {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return len(b) > 0
}
