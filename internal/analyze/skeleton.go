package analyze

import (
	"bytes"
	"strings"
)

// The import skeleton of a file: its source with the bodies of functions
// that nothing in the file runs on import blanked, and its docstrings.
//
// A file that holds no word any rule needs (no behaviour and no
// any-context trigger) can make no finding of its own; it is parsed only
// to learn what its running code calls in other modules, for
// reachability. That code is the module's top level and class bodies,
// decorators, default values and annotations, and the bodies of the
// functions they name. A body nothing names is blanked (its lines keep
// their newlines, so line numbers hold) and the skeleton is parsed
// instead: an SDK's models, thousands of modules of classes whose methods
// only run when called, shrink to their class statements.
//
// What counts as naming a function is read off the text, generously: any
// identifier outside string literals (an f-string's braces count) in the
// kept code names every function of that name, and every method of the
// class of that name. Class hooks, a metaclass's and a module's dunders, functions
// registered with atexit by a decorator and functions defined inside kept
// bodies are kept; an instance's dunders go with their class.
// When anything is in doubt (tab indentation, an unterminated bracket or
// string at the end), the whole source is parsed.

// skelLine is one logical line: [start, end) of the source, from the
// beginning of its first physical line to past its last newline.
type skelLine struct {
	start, end int
	indent     int  // columns of leading spaces
	first      int  // offset of the first token
	blankable  bool // a string alone: a docstring
	opens      bool // ends with ':' at bracket depth 0: a block follows
	words      []string
	kind       byte // 'd' def, 'c' class, '@' decorator, 0 other
	name       string
}

// maxSkeletonWords bounds the identifiers of one logical line: a file
// with a longer one is parsed whole.
const maxSkeletonWords = 4096

// importSkeleton returns src with the bodies of functions nothing in the
// file names blanked, and how many bytes it blanked; or nil when nothing
// can be blanked or the source is not plain enough to be sure of its
// structure.
//
// r is how other files reach the file: the functions they call keep
// their bodies, and a class they call keeps its methods'; a class they
// only name runs nothing but its hooks, which are always kept.
func importSkeleton(src []byte, r *reach) (skel []byte, blankedBytes int) {
	lines, ok := logicalLines(src)
	if !ok || len(lines) == 0 {
		return nil, 0
	}
	type def struct {
		line     int // index in lines
		bodyEnd  int // index of the first line after the body
		class    int // index of the class line whose method it is, or -1
		keep     bool
		isMethod bool
	}
	var defs []def
	// bodyEnd of a block opened by line i: the first later line indented
	// no deeper than line i.
	blockEnd := func(i int) int {
		j := i + 1
		for j < len(lines) && lines[j].indent > lines[i].indent {
			j++
		}
		return j
	}
	var open []int // the lines whose blocks enclose the current line
	for i, l := range lines {
		for len(open) > 0 && l.indent <= lines[open[len(open)-1]].indent {
			open = open[:len(open)-1]
		}
		parent := -1
		if len(open) > 0 {
			parent = open[len(open)-1]
		}
		if l.opens {
			open = append(open, i)
		}
		if l.kind != 'd' {
			continue
		}
		if !l.opens || i+1 >= len(lines) || lines[i+1].indent <= l.indent {
			continue // a one-line def: nothing to blank
		}
		d := def{line: i, bodyEnd: blockEnd(i), class: -1}
		if parent >= 0 && lines[parent].kind == 'c' {
			d.class, d.isMethod = parent, true // in a class's own body
		}
		// A decorator is called with the function, as the engine
		// reads it, only to register it with atexit (runsAtExit).
		decorated := false
		for k := i - 1; k >= 0 && lines[k].kind == '@' && lines[k].indent == l.indent; k-- {
			decorated = decorated || bytes.Contains(src[lines[k].start:lines[k].end], []byte("atexit"))
		}
		dunder := isDunder(l.name)
		// Hooks run when a class is defined, subclassed or
		// subscripted, a metaclass's methods when a class names it,
		// and a module's __getattr__ on access from elsewhere; an
		// instance's dunders need the class called, as its other
		// methods do.
		hook := l.name == "__init_subclass__" || l.name == "__class_getitem__" || l.name == "__set_name__"
		d.keep = decorated || dunder && (!d.isMethod || hook || isMetaclassLine(lines[d.class]))
		defs = append(defs, d)
	}
	if len(defs) == 0 {
		return nil, 0
	}
	// A def inside another def's body stays with it: only the outermost
	// candidate bodies are blanked, and theirs are the words to ignore.
	inside := make([]int, len(lines)) // for each line, 1 + the def whose blanked body holds it; 0 for none
	outer := make([]bool, len(defs))
	for k, d := range defs {
		if inside[d.line] != 0 || d.keep {
			continue
		}
		outer[k] = true
		for j := d.line + 1; j < d.bodyEnd; j++ {
			inside[j] = k + 1
		}
	}
	words := map[string]bool{}
	calledFuncs, calledClasses := map[string]bool{}, map[string]bool{}
	if r != nil {
		for key := range r.entries {
			if strings.HasSuffix(key, dundersRun) {
				continue // class hooks: dunders, kept
			}
			name, called := strings.CutSuffix(key, "()")
			name = strings.TrimPrefix(name, ".")
			if class, method, ok := strings.Cut(name, "."); ok {
				calledClasses[class], calledFuncs[class] = true, true // Class.method: the class is in use
				name = method
			}
			calledFuncs[name] = true
			if called {
				calledClasses[name] = true
			}
		}
	}
	addWords := func(from, to int) {
		for j := from; j < to; j++ {
			if inside[j] != 0 {
				continue
			}
			for _, w := range lines[j].words {
				words[w] = true
			}
		}
	}
	addWords(0, len(lines))
	for changed := true; changed; {
		changed = false
		for k := range defs {
			d := &defs[k]
			if !outer[k] || d.keep {
				continue
			}
			name := lines[d.line].name
			named := words[name] || calledFuncs[name]
			if d.isMethod {
				// A method runs, as the engine reads it, when its class
				// is called (named anywhere here, generously) or another
				// file calls it; its name alone (get.metadata = {...},
				// super().__init__) runs nothing.
				class := lines[d.class].name
				named = words[class] || calledClasses[class] || calledFuncs[name] && !isDunder(name)
			}
			if !named {
				continue
			}
			d.keep, changed = true, true
			for j := d.line + 1; j < d.bodyEnd; j++ {
				if inside[j] == k+1 {
					inside[j] = 0
				}
			}
			addWords(d.line+1, d.bodyEnd)
		}
	}
	out := bytes.Clone(src)
	// blank replaces lines [from, to) with spaces, newlines kept, and
	// writes a pass at column col of the first of them long enough to
	// hold it (blank lines before a statement are nothing to Python); it
	// declines when none is.
	blank := func(from, to, col int) bool {
		at := -1
		for ls := from; ls < to; {
			nl := bytes.IndexByte(src[ls:to], '\n')
			end := to
			if nl >= 0 {
				end = ls + nl
			}
			if end-ls >= col+4 {
				at = ls + col
				break
			}
			if nl < 0 {
				break
			}
			ls = end + 1
		}
		if at < 0 {
			return false
		}
		for j := from; j < to; j++ {
			if out[j] != '\n' {
				out[j] = ' '
			}
		}
		copy(out[at:], "pass")
		blankedBytes += to - from - 4
		return true
	}
	blanked := false
	for k, d := range defs {
		if !outer[k] || d.keep {
			continue
		}
		first := lines[d.line+1]
		blanked = blank(first.start, lines[d.bodyEnd-1].end, first.indent) || blanked
	}
	for j, l := range lines {
		// A docstring of kept code: a string alone on its line does
		// nothing.
		if l.blankable && inside[j] == 0 && l.end-l.start > 8 {
			blanked = blank(l.start, l.end, l.indent) || blanked
		}
	}
	if !blanked {
		return nil, 0
	}
	return out, blankedBytes
}

// isDunder reports a name like __init__.
func isDunder(name string) bool {
	return len(name) > 4 && strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__")
}

// isMetaclassLine reports a class statement that may define a metaclass:
// one of its bases is type or named like a metaclass, or it names one.
func isMetaclassLine(l skelLine) bool {
	for _, w := range l.words {
		if w == "type" || w == "metaclass" || strings.HasSuffix(w, "Meta") || strings.HasSuffix(w, "Type") || strings.HasSuffix(w, "Metaclass") {
			return true
		}
	}
	return false
}

// logicalLines splits src into logical lines, reading strings, comments,
// brackets and continuations as Python's tokenizer does. It reports
// false for source it will not vouch for: tab indentation, or a bracket
// or string still open at the end.
func logicalLines(src []byte) ([]skelLine, bool) {
	var lines []skelLine
	pos := 0
	for pos < len(src) {
		start := pos
		i := pos
		for i < len(src) && (src[i] == ' ' || src[i] == '\f') {
			i++
		}
		if i < len(src) && src[i] == '\t' {
			return nil, false
		}
		if i >= len(src) {
			break
		}
		if c := src[i]; c == '\n' || c == '\r' || c == '#' {
			for i < len(src) && src[i] != '\n' {
				i++
			}
			pos = i + 1
			continue // blank or comment line: no logical line
		}
		l := skelLine{start: start, indent: i - start, first: i, blankable: true}
		depth := 0
		var last byte // the last significant byte at depth 0
		tokens := 0
		j := i
	line:
		for j < len(src) {
			c := src[j]
			switch {
			case c == '#':
				for j < len(src) && src[j] != '\n' {
					j++
				}
			case c == '\\' && j+1 < len(src) && (src[j+1] == '\n' || src[j+1] == '\r'):
				j += 2
				if src[j-1] == '\r' && j < len(src) && src[j] == '\n' {
					j++
				}
			case c == '\n':
				j++
				if depth == 0 {
					break line
				}
			case c == ' ' || c == '\t' || c == '\r' || c == '\f':
				j++
			case c == '"' || c == '\'':
				end, ok := stringEnd(src, j)
				if !ok {
					return nil, false
				}
				j = end
				tokens++
				if depth == 0 {
					last = c
				}
			case c == '(' || c == '[' || c == '{':
				depth++
				j++
				l.blankable = false
				tokens++
			case c == ')' || c == ']' || c == '}':
				if depth > 0 {
					depth--
				}
				j++
				l.blankable = false
				if depth == 0 {
					last = c
				}
			case identStart(c):
				k := j
				for k < len(src) && isIdentByte(src[k]) {
					k++
				}
				w := string(src[j:k])
				if k < len(src) && (src[k] == '"' || src[k] == '\'') && isStringPrefix(w) {
					end, ok := stringEnd(src, k)
					if !ok {
						return nil, false
					}
					if bytes.ContainsAny([]byte(w), "fF") {
						// An f-string's braces hold code: its words count,
						// and it is no docstring.
						l.words = appendWords(l.words, src[k:end])
						l.blankable = false
					}
					j = end
					tokens++
					if depth == 0 {
						last = '"'
					}
					continue
				}
				if tokens == 0 {
					switch w {
					case "def":
						l.kind = 'd'
					case "class":
						l.kind = 'c'
					}
				} else if tokens == 1 && w == "def" && bytes.HasPrefix(src[i:], []byte("async")) {
					l.kind = 'd'
				} else if (l.kind == 'd' || l.kind == 'c') && l.name == "" && (tokens == 1 || tokens == 2 && bytes.HasPrefix(src[i:], []byte("async"))) {
					l.name = w
					w = "" // a def or class line does not name itself
				}
				if w != "" {
					l.words = append(l.words, w)
				}
				j = k
				tokens++
				l.blankable = false
				if depth == 0 {
					last = 'w'
				}
			default:
				if c == '@' && tokens == 0 {
					l.kind = '@'
				}
				j++
				l.blankable = false
				tokens++
				if depth == 0 {
					last = c
				}
			}
		}
		if depth > 0 || len(l.words) > maxSkeletonWords {
			return nil, false // open at the end, or a table too large to read names off
		}
		l.end = j
		l.opens = last == ':'
		lines = append(lines, l)
		pos = j
	}
	return lines, true
}

// stringEnd returns the offset past the string literal whose quote is at
// src[q], or false when it does not end.
func stringEnd(src []byte, q int) (int, bool) {
	quote := src[q]
	if q+2 < len(src) && src[q+1] == quote && src[q+2] == quote {
		for j := q + 3; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case quote:
				if j+2 < len(src) && src[j+1] == quote && src[j+2] == quote {
					return j + 3, true
				}
			}
		}
		return 0, false
	}
	for j := q + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case quote:
			return j + 1, true
		case '\n':
			return j, true // unterminated: the tokenizer's error, the line ends
		}
	}
	return len(src), true
}

// isStringPrefix reports the letters that may prefix a string literal.
func isStringPrefix(w string) bool {
	if len(w) > 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'r', 'R', 'b', 'B', 'u', 'U', 'f', 'F':
		default:
			return false
		}
	}
	return true
}

// appendWords adds the identifiers in text to words.
func appendWords(words []string, text []byte) []string {
	for i := 0; i < len(text) && len(words) <= maxSkeletonWords; {
		if !identStart(text[i]) {
			i++
			continue
		}
		k := i
		for k < len(text) && isIdentByte(text[k]) {
			k++
		}
		words = append(words, string(text[i:k]))
		i = k
	}
	return words
}

// identStart tells the bytes that start an identifier: those of one
// (isIdentByte) but digits.
func identStart(c byte) bool { return isIdentByte(c) && (c < '0' || c > '9') }
