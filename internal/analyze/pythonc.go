package analyze

import (
	"regexp"
	"strings"
)

// Code a command line hands to the interpreter, `python -c "<code>"`, is
// analysed as a payload of the file that runs it: the same code written
// inline in a string of shell.

// payloadPythonC is how such code is named among payloads.
const payloadPythonC = "python -c"

// rePythonC finds the interpreter given code on its command line; an
// unknown program ("?", sys.executable) followed by -c counts.
var rePythonC = regexp.MustCompile(`(?i)(?:^|[\s/\\"'&;|(])(?:python[0-9.]*w?(?:\.exe)?|py(?:\.exe)?|\?)["']?\s+(?:-[A-Za-z]+\s+)*-c\s+(.+)`)

// pythonCode returns the code a process call runs with python -c, or "".
func pythonCode(f *file, c callFact) string {
	if len(c.Args) > 0 {
		// A list of arguments: the element after "-c".
		if v := f.mod.Eval(c.Args[0]); v.IsSeq {
			for i := 0; i+1 < len(v.Elems); i++ {
				if e := v.Elems[i]; e.Known && e.S == "-c" && i > 0 && v.Elems[i+1].Known {
					if p := valueText(v.Elems[0]); p == "?" || strings.Contains(strings.ToLower(p), "python") {
						return v.Elems[i+1].S
					}
				}
			}
			return ""
		}
	}
	if !strings.Contains(c.cmd, "-c") {
		return ""
	}
	m := rePythonC.FindStringSubmatch(c.cmd)
	if m == nil {
		return ""
	}
	return unquoteShell(strings.TrimSpace(m[1]))
}

// unquoteShell takes the first shell word of s: a quoted string up to its
// closing quote (\" inside double quotes is a quote), or s.
func unquoteShell(s string) string {
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return s
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == q:
			return b.String()
		case q == '"' && s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0:
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
