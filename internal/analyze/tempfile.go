package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// runsTempFile reports a process call that starts a temporary file
// (tempfile's NamedTemporaryFile, mkstemp, mktemp): the file is the
// program, or what an interpreter runs. Droppers write their download to
// a temporary name so that no constant name ties the write to the run.
func runsTempFile(f *file, c callFact) bool {
	args := c.Args
	if len(args) == 0 {
		if a, ok := c.Kwargs["args"]; ok {
			args = []int32{a}
		}
	}
	if len(args) == 0 {
		return false
	}
	v := f.mod.Eval(args[0])
	if len(v.Elems) > 0 {
		// An argument list: the program, or an interpreter's script.
		if fromTempfile(v.Elems[0]) {
			return true
		}
		if !isInterpreter(valueText(v.Elems[0])) {
			return false
		}
		for _, e := range v.Elems[1:] {
			if fromTempfile(e) {
				return true
			}
		}
		return false
	}
	if !fromTempfile(v) {
		return false
	}
	// A command line: the temporary name first, or after an interpreter.
	words := shellWords(valueText(v))
	return len(words) == 0 || words[0] == "?" || isInterpreter(words[0])
}

func fromTempfile(v python.Value) bool {
	return v.DerivesFrom(func(s string) bool {
		return strings.HasPrefix(s, "tempfile.") && !strings.HasPrefix(s, "tempfile.gettempdir")
	})
}
