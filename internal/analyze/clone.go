package analyze

import (
	"path"
	"strings"
)

// clonedScriptRun finds a repository cloned (GitPython's clone_from,
// pygit2, dulwich, or a git clone command) and, on a later line, an
// interpreter started on a script: a second stage kept in a repository
// and run from it. Installing what was cloned (python setup.py, pip) and
// building it (make, cmake) are not runs of a script.
func clonedScriptRun(f *file) (clone, run *callFact) {
	for i := range f.calls {
		c := &f.calls[i]
		switch {
		case clone == nil && isCloneCall(c):
			clone = c
			if c.proc && runsScriptAfterClone(c.cmd) {
				return clone, c // git clone URL dir && python dir/run.py
			}
		case clone != nil && c.proc && c.Line >= clone.Line && runsScript(c.cmd):
			return clone, c
		}
	}
	return nil, nil
}

// isCloneCall reports a call that clones a repository.
func isCloneCall(c *callFact) bool {
	n := c.Name
	if strings.HasSuffix(n, ".clone_from") || strings.HasSuffix(n, "clone_repository") || strings.HasSuffix(n, "porcelain.clone") {
		return true
	}
	if !c.proc {
		return false
	}
	return clonesRepo(shellWords(c.cmd))
}

// clonesRepo reports command words holding `git clone`.
func clonesRepo(words []string) bool {
	for i := 0; i+1 < len(words); i++ {
		if path.Base(words[i]) == "git" && words[i+1] == "clone" {
			return true
		}
	}
	return false
}

// runsScript reports a command that starts an interpreter on a script
// file other than an installer's.
func runsScript(cmd string) bool {
	words := shellWords(cmd)
	if len(words) < 2 {
		return false
	}
	if !isInterpreter(words[0]) {
		return false
	}
	for _, w := range words[1:] {
		w = strings.Trim(w, `"'`)
		switch base := strings.ToLower(path.Base(w)); {
		case w == "-m", base == "setup.py", base == "configure":
			return false
		case strings.HasSuffix(base, ".py"), strings.HasSuffix(base, ".pyw"), strings.HasSuffix(base, ".sh"), strings.HasSuffix(base, ".ps1"),
			strings.HasSuffix(base, ".js"), strings.HasSuffix(base, ".vbs"), strings.HasSuffix(base, ".bat"):
			return true
		}
	}
	return false
}

// runsScriptAfterClone reports a command line that clones a repository and
// then, in a later command of the same line (after && ; || or a newline),
// starts a script.
func runsScriptAfterClone(cmd string) bool {
	cloned := false
	for _, part := range strings.FieldsFunc(cmd, func(r rune) bool { return r == '&' || r == ';' || r == '|' || r == '\n' }) {
		switch {
		case !cloned:
			cloned = clonesRepo(shellWords(part))
		case runsScript(part):
			return true
		}
	}
	return false
}
