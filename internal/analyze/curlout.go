package analyze

import "strings"

// A file a download command writes (curl -o F, wget -O F) and another
// command runs or opens (cmd /c start F, bash F, F itself): the two halves
// of a download and run split across calls, matched by the file's value.

// downloadOutputs returns, by value, the files download commands in f
// write, each with the call writing it.
func downloadOutputs(f *file) map[string]*callFact {
	var outs map[string]*callFact
	for i := range f.calls {
		c := &f.calls[i]
		if !c.proc || c.sh.download == "" {
			continue
		}
		words := shellWords(c.cmd)
		for j := 0; j+1 < len(words); j++ {
			switch words[j] {
			case "-o", "--output", "-O", "--output-document":
			default:
				continue
			}
			if out := unquote(words[j+1]); meaningfulPath(out) {
				if outs == nil {
					outs = map[string]*callFact{}
				}
				outs[out] = c
			}
		}
	}
	return outs
}

// runsOutput returns the download call whose output file c runs or
// opens, and the file, or nil.
func runsOutput(f *file, c *callFact, outs map[string]*callFact) (*callFact, string) {
	if c.Name == "os.startfile" && len(c.Args) > 0 {
		v := f.mod.Eval(c.Args[0])
		if w := outs[valueText(v)]; w != nil {
			return w, valueText(v)
		}
		return nil, ""
	}
	if !c.proc {
		return nil, ""
	}
	words := shellWords(c.cmd)
	if len(words) == 0 {
		return nil, ""
	}
	if w := outs[unquote(words[0])]; w != nil && w != c {
		return w, unquote(words[0])
	}
	if !isInterpreter(words[0]) && !fileOpeners[programName(words[0])] {
		return nil, ""
	}
	for _, word := range words[1:] {
		if w := outs[unquote(word)]; w != nil && w != c {
			return w, unquote(word)
		}
	}
	return nil, ""
}

// fileOpeners start the file they are given with the program its type
// is associated with.
var fileOpeners = map[string]bool{"start": true, "open": true, "xdg-open": true, "explorer": true, "mshta": true, "rundll32": true, "regsvr32": true}

func unquote(w string) string { return strings.Trim(w, `"'`) }

// meaningfulPath reports a file name known well enough to match: not
// standard output, the null device or a wholly unknown value.
func meaningfulPath(p string) bool {
	if p == "-" || p == "/dev/null" || p == "NUL" || len(p) < 3 {
		return false
	}
	return strings.Trim(p, "?/\\.") != ""
}
