package analyze

import (
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/python"
)

// behaviourLeads tells, from the imports read off the text, which of an
// artifact's Python files lead to behaviour: they hold a behaviour
// trigger word, or import a file that leads to behaviour. Running code
// that holds no behaviour word is parsed when it imports such a file, so
// that a chain of plain modules (an entry point's main, a package's
// __init__, an encoder importing its tables in a function) still carries
// reachability to the module at its end.
type behaviourLeads struct {
	a       *artifact.Artifact
	py      []*artifact.File
	idx     moduleIndex
	imports map[string][]python.Import
	skims   []skim
	pos     map[string]int
	targets [][]int // per file, the files it imports, itself left out
	leads   []bool
}

// importsBehaviour reports whether file i imports a file, other than
// itself, that leads to behaviour.
func (l *behaviourLeads) importsBehaviour(i int) bool {
	if l.leads == nil {
		l.build()
	}
	for _, j := range l.targets[i] {
		if l.leads[j] {
			return true
		}
	}
	return false
}

// build resolves every file's imports once and marks, backwards from the
// files holding behaviour words, every file that imports one of them,
// directly or through others.
func (l *behaviourLeads) build() {
	n := len(l.py)
	l.targets = make([][]int, n)
	importers := make([][]int, n)
	for i, f := range l.py {
		for _, imp := range l.imports[f.Path] {
			for _, target := range l.idx.resolve(l.a, f.Path, imp) {
				if j, ok := l.pos[target]; ok && j != i {
					l.targets[i] = append(l.targets[i], j)
					importers[j] = append(importers[j], i)
				}
			}
		}
	}
	l.leads = make([]bool, n)
	var queue []int
	for j, f := range l.py {
		if len(importers[j]) > 0 && l.skims[j].hasBehaviourWord(f) {
			l.leads[j] = true
			queue = append(queue, j)
		}
	}
	for len(queue) > 0 {
		j := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, i := range importers[j] {
			if !l.leads[i] {
				l.leads[i] = true
				queue = append(queue, i)
			}
		}
	}
}
