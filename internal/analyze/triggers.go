package analyze

import (
	"bytes"
	"encoding/hex"
	"sync"
)

// Trigger words several rules share.
var (
	// execWords name the builtins that run code, and marshal, which
	// loads it.
	execWords = []string{"exec", "eval", "compile", "marshal"}
	// processWords name the modules and functions that run programs.
	processWords = []string{"system", "popen", "Popen", "subprocess", "create_subprocess", "spawn", "posix_spawn", "startfile", "ShellExecute", "WinExec", "CreateProcess", "getoutput", "getstatusoutput"}
	// networkWords name the modules and functions that reach the network.
	networkWords = []string{"socket", "urlopen", "urlretrieve", "requests", "httpx", "aiohttp", "urllib", "http.client", "telebot", "telegram", "dhooks", "webhook", "smtplib", "ftplib", "pycurl", "websocket", "paramiko", "dns.resolver", "webbrowser"}
)

// anyContextTriggers is the set of the rules' any-context triggers, for
// a file the skim found a behaviour word in and that is asked about them
// later (skimWords answers both questions in one pass otherwise). It is
// built on first use because package initialisation does not follow
// calls through the Rule interface to the words the rules' Info methods
// name.
var anyContextTriggers = sync.OnceValue(func() *triggerSet {
	_, a := triggerWords(Rules)
	return newTriggerSet(a)
})

func toBytes(words []string) [][]byte {
	out := make([][]byte, len(words))
	for i, w := range words {
		out[i] = []byte(w)
	}
	return out
}

// triggerWords collects the rules' triggers, each word once: anyContext
// holds their AnyContextTriggers, behaviour the rest of their Triggers.
func triggerWords(rules []Rule) (behaviour, anyContext [][]byte) {
	seen := map[string]bool{}
	add := func(list [][]byte, words []string) [][]byte {
		for _, w := range words {
			if !seen[w] {
				seen[w] = true
				list = append(list, []byte(w))
			}
		}
		return list
	}
	for _, r := range rules {
		anyContext = add(anyContext, r.Info().AnyContextTriggers)
	}
	for _, r := range rules {
		behaviour = add(behaviour, r.Info().Triggers)
	}
	return behaviour, anyContext
}

// triggerSet tells whether a source holds any of a list of words (case
// sensitive), in one pass for the ASCII words: a case-folded scan finds
// the candidates, each confirmed with an exact search; the others are
// searched only in sources that are not all ASCII.
type triggerSet struct {
	groups [][][]byte // ASCII words; group i of lits holds groups[i]
	lits   *literalSet
	other  [][]byte // words with bytes outside ASCII
}

// maxGroups is how many groups a literal set tells apart (one bit each);
// past it, words share groups and each is confirmed on its own.
const maxGroups = 64

func newTriggerSet(words [][]byte) *triggerSet {
	ts := &triggerSet{}
	var ascii [][]byte
	for _, w := range words {
		if isASCII(w) {
			ascii = append(ascii, w)
		} else {
			ts.other = append(ts.other, w)
		}
	}
	n := min(len(ascii), maxGroups)
	ts.groups = make([][][]byte, n)
	lits := make([][]string, n)
	for i, w := range ascii {
		ts.groups[i%n] = append(ts.groups[i%n], w)
		lits[i%n] = append(lits[i%n], string(bytes.ToLower(w)))
	}
	ts.lits = newLiteralSet(lits)
	return ts
}

// match reports whether src contains one of the words. (The rules'
// TriggerPairs are matched by skimWords.)
func (ts *triggerSet) match(src []byte) bool {
	found, ascii := ts.lits.scanBytes(src)
	for g := 0; found != 0; g++ {
		if found&1 != 0 {
			for _, w := range ts.groups[g] {
				if containsTrigger(src, w) {
					return true
				}
			}
		}
		found >>= 1
	}
	if ascii {
		return false
	}
	for _, w := range ts.other {
		if bytes.Contains(src, w) {
			return true
		}
	}
	return false
}

// containsTrigger reports whether src holds word as a trigger. The
// builtins that run code and os.system count only as names of their own:
// not inside a longer identifier (execute, evaluate, filesystem), and
// exec, eval and compile not as another object's method (re.compile,
// model.eval(), dialog.exec()) unless it is the builtins module's;
// platform.system() names the operating system; execfile and os.exec*
// count as exec. Every other word counts wherever it appears.
func containsTrigger(src, word []byte) bool {
	switch string(word) {
	case "exec", "eval", "compile", "system":
	case "join(":
		return spelledJoin(src)
	case `\x`:
		return escapedLetters(src)
	case "pickle", "requests", "dhooks", "subprocess", "websocket", "popen", "urlopen", "spawn", "socket", "urllib", "webbrowser":
		return hasModuleName(src, word)
	default:
		return bytes.Contains(src, word)
	}
	method := string(word) != "system"
	return anyOccurrence(src, word, func(at, end int) bool {
		if string(word) == "exec" && execFamily(src, at, end) {
			return true // execfile, os.execv and its kin
		}
		if at > 0 && isIdentByte(src[at-1]) || end < len(src) && isIdentByte(src[end]) {
			return false
		}
		if at > 0 && src[at-1] == '.' {
			before := src[:at-1]
			if method && !bytes.HasSuffix(before, []byte("builtins")) || !method && bytes.HasSuffix(before, []byte("platform")) {
				return false
			}
		}
		return !afterProseWord(src, at)
	})
}

// anyOccurrence reports whether ok holds for one of the places
// src[at:end] where word occurs.
func anyOccurrence(src, word []byte, ok func(at, end int) bool) bool {
	for i := 0; ; {
		j := bytes.Index(src[i:], word)
		if j < 0 {
			return false
		}
		at := i + j
		if ok(at, at+len(word)) {
			return true
		}
		i = at + 1
	}
}

// afterProseWord reports a word at src[at:] that follows another word on
// its line, with only blanks between, when that word is not a keyword:
// prose in a comment or a docstring ("the file system is", "we eval
// lazily"). Python code, and code kept in strings to run, never puts a
// name after a name but after a keyword (import system, return eval,
// lambda: exec, Python 2's print), so such a word cannot be the builtin
// or os.system in use.
func afterProseWord(src []byte, at int) bool {
	i := at
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i == at || i == 0 || !isIdentByte(src[i-1]) {
		return false
	}
	end := i
	for i > 0 && isIdentByte(src[i-1]) {
		i--
	}
	return !pythonKeywords[string(src[i:end])]
}

// pythonKeywords are the words a name may follow in Python code: the
// keywords, the soft keywords, and Python 2's print and exec statements.
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true, "await": true,
	"break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true, "else": true, "except": true,
	"finally": true, "for": true, "from": true, "global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true, "return": true, "try": true,
	"while": true, "with": true, "yield": true, "match": true, "case": true, "type": true, "_": true, "print": true, "exec": true,
}

// hasModuleName reports word used as code uses the module or function it
// names: at the start of a name (pickle.loads, os.popen, from dhooks
// import Webhook; inside a longer name, allow_pickle, greenlet_spawn,
// trace_requests, it names something else, and the APIs that hold one
// inside their name have words of their own: create_subprocess,
// posix_spawn), and not after a word that is not a keyword, which is
// prose ("the number of requests", "a socket is"). urllib counts unless
// it is urllib.parse or urllib.error, which reach nothing.
func hasModuleName(src, word []byte) bool {
	return anyOccurrence(src, word, func(at, end int) bool {
		if at > 0 && isIdentByte(src[at-1]) || afterProseWord(src, at) {
			return false
		}
		return string(word) != "urllib" || !bytes.HasPrefix(src[end:], []byte(".parse")) && !bytes.HasPrefix(src[end:], []byte(".error"))
	})
}

// escapedLetters reports two escapes in a row (hex, or octal from \0 and
// \1) that each spell a printable character: what a string written
// entirely in escapes although it is text holds (escapedCodeStrings: at
// least four escapes and fewer plain characters than half of them, so
// two of its escapes are adjacent). Bytes written as escapes (b'\x00\xff')
// are not text. As the one word of a pair, \x counts wherever it is.
func escapedLetters(src []byte) bool {
	prev := -1 // where the last printable escape ended
	for i := bytes.IndexByte(src, '\\'); i >= 0; {
		v, n := escapeAt(src[i:])
		switch {
		case n == 0:
			n = 2 // not a numeric escape: skip the backslash and what it escapes
		case v >= 0x20 && v <= 0x7e:
			if prev == i {
				return true
			}
			prev = i + n
		}
		if i+n >= len(src) {
			return false
		}
		j := bytes.IndexByte(src[i+n:], '\\')
		if j < 0 {
			return false
		}
		i += n + j
	}
	return false
}

// escapeAt reads a hex (\xHH) or three-digit octal (\0NN, \1NN) escape at
// the start of b, returning its value and length, or length 0.
func escapeAt(b []byte) (int, int) {
	var v [1]byte
	if len(b) >= 4 && b[1] == 'x' {
		if _, err := hex.Decode(v[:], b[2:4]); err == nil {
			return int(v[0]), 4
		}
	}
	if len(b) >= 4 && (b[1] == '0' || b[1] == '1') && b[2] >= '0' && b[2] <= '7' && b[3] >= '0' && b[3] <= '7' {
		return int(b[1]-'0')<<6 | int(b[2]-'0')<<3 | int(b[3]-'0'), 4
	}
	return 0, 0
}

// spelledJoin reports a join( whose parentheses hold more than three
// commas, as isSpelledOut asks of a join: "".join(["s", "y", "s", "t", "e", "m"]).
// A join that cannot spell a name is passed over: another name ending in
// join (visit_join), os.path.join (it puts slashes between), and a join
// on a string holding something no name holds ("\n", ", ").
func spelledJoin(src []byte) bool {
	return anyOccurrence(src, []byte("join("), func(at, end int) bool {
		if at > 0 && isIdentByte(src[at-1]) || bytes.HasSuffix(src[:at], []byte("path.")) || joinsOnText(src[:at]) {
			return false
		}
		depth, commas := 1, 0
		for k := end; k < len(src) && k < end+4096 && depth > 0 && commas <= 3; k++ {
			switch src[k] {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				commas++
			}
		}
		return commas > 3
	})
}

// joinsOnText reports a join called on a short string literal, before
// ends with `'...'.`, that holds a byte no Python name holds.
func joinsOnText(before []byte) bool {
	n := len(before)
	if n < 3 || before[n-1] != '.' || before[n-2] != '\'' && before[n-2] != '"' {
		return false
	}
	q := before[n-2]
	for k := n - 3; k >= 0 && k >= n-18; k-- {
		if before[k] == q {
			return false // the literal holds only name bytes
		}
		if !isIdentByte(before[k]) {
			return true
		}
	}
	return false
}

// execFamily reports the exec at src[at:end] beginning execfile (Python
// 2's exec of a file) or os.exec* (execv, execl, execve...), which run
// code and programs too.
func execFamily(src []byte, at, end int) bool {
	if at > 0 && isIdentByte(src[at-1]) {
		return false
	}
	rest := src[end:]
	return bytes.HasPrefix(rest, []byte("file")) || (bytes.HasPrefix(rest, []byte("v")) || bytes.HasPrefix(rest, []byte("l"))) && at >= 3 && string(src[at-3:at]) == "os."
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}
