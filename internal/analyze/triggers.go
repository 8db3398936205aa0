package analyze

import (
	"bytes"
	"sync"
)

// Trigger words several rules share.
var (
	// execWords name the builtins that run code, and marshal, which
	// loads it.
	execWords = []string{"exec", "eval", "compile", "marshal"}
	// processWords name the modules and functions that run programs.
	processWords = []string{"system", "popen", "Popen", "subprocess", "spawn", "startfile"}
	// networkWords name the modules and functions that reach the network.
	networkWords = []string{"socket", "urlopen", "urlretrieve", "requests", "httpx", "aiohttp", "urllib", "http.client", "telebot", "telegram", "dhooks", "webhook", "smtplib", "ftplib", "pycurl", "websocket", "paramiko", "dns.resolver"}
)

// parseTriggers returns the trigger sets built from the rules: a file in
// import or runtime code is parsed when it matches either, one in tests,
// docs or tooling when it matches anyContext. They are built on first use
// because package initialisation does not follow calls through the Rule
// interface to the words the rules' Info methods name.
var parseTriggers = sync.OnceValues(func() (behaviour, anyContext *triggerSet) {
	b, a := triggerWords(Rules)
	return newTriggerSet(b), newTriggerSet(a)
})

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

// match reports whether src contains one of the words.
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
	default:
		return bytes.Contains(src, word)
	}
	method := string(word) != "system"
	for i := 0; ; {
		j := bytes.Index(src[i:], word)
		if j < 0 {
			return false
		}
		at, end := i+j, i+j+len(word)
		i = at + 1
		if string(word) == "exec" && execFamily(src, at, end) {
			return true // execfile, os.execv and its kin
		}
		if at > 0 && isIdentByte(src[at-1]) || end < len(src) && isIdentByte(src[end]) {
			continue
		}
		if at > 0 && src[at-1] == '.' {
			before := src[:at-1]
			if method && !bytes.HasSuffix(before, []byte("builtins")) || !method && bytes.HasSuffix(before, []byte("platform")) {
				continue
			}
		}
		return true
	}
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
