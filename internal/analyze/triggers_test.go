package analyze

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// containsAny is the search word by word triggerSet must agree with.
func containsAny(src []byte, words [][]byte) bool {
	for _, w := range words {
		if containsTrigger(src, w) {
			return true
		}
	}
	return false
}

func TestTriggerSetMatchesPlainSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"x = 1\n", "EXEC", "Exec", "exe", "popen", "POPEN", "Popen", "login data", "Login Data", "mp", "MP", "Mp",
		"\u200b", "\u200a", "é", "\xd0", "\\x", "\\X", "\\x41", "\\x6c", "keyboar", "pip", "PIP", "-e", " -e ", "subprocess", "\xff"}
	behaviourWords, anyContextWords := triggerWords(Rules)
	behaviour, anyContext := newTriggerSet(behaviourWords), anyContextTriggers()
	for _, set := range []struct {
		name  string
		words [][]byte
		ts    *triggerSet
	}{{"behaviour", behaviourWords, behaviour}, {"any context", anyContextWords, anyContext}} {
		hits := 0
		for range 5000 {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			src := []byte(b.String())
			want := containsAny(src, set.words)
			if want {
				hits++
			}
			if got := set.ts.match(src); got != want {
				t.Fatalf("%s: match(%q) = %v, want %v", set.name, src, got, want)
			}
		}
		if hits < 500 || hits > 4500 {
			t.Errorf("%s: %d of 5000 sources matched; the test should see both outcomes often", set.name, hits)
		}
	}
}

// triggerSource is a module that holds no trigger: what most files in
// tests and docs look like.
func triggerSource() []byte {
	return []byte(strings.Repeat("def test_value(self):\n    result = compute(self.data, key='alpha')\n    assert result == expected, message\n", 2000))
}

func BenchmarkTriggerSet(b *testing.B) {
	src := triggerSource()
	b.SetBytes(int64(len(src)))
	bw, _ := triggerWords(Rules)
	behaviour, anyContext := newTriggerSet(bw), anyContextTriggers()
	for b.Loop() {
		anyContext.match(src)
		behaviour.match(src)
	}
}

func BenchmarkTriggerPlainSearch(b *testing.B) {
	src := triggerSource()
	b.SetBytes(int64(len(src)))
	behaviour, anyContext := triggerWords(Rules)
	for b.Loop() {
		containsAny(src, anyContext)
		containsAny(src, behaviour)
	}
}

// The code-running builtins and os.system trigger a parse as names of
// their own, not inside longer identifiers or as other objects' methods.
func TestContainsTrigger(t *testing.T) {
	cases := []struct {
		src, word string
		want      bool
	}{
		{"exec(code)", "exec", true},
		{"e = exec\n", "exec", true},
		{"builtins.exec(code)", "exec", true},
		{"getattr(builtins, 'exec')", "exec", true},
		{"cursor.execute(sql)", "exec", false},
		{"dialog.exec()", "exec", false},
		{"self.executor = None", "exec", false},
		{"model.eval()", "eval", false},
		{"ast.literal_eval(s)", "eval", false},
		{"eval(s)", "eval", true},
		{"re.compile(p)", "compile", false},
		{"compile(src, 'x', 'exec')", "compile", true},
		{"os.system('id')", "system", true},
		{"from os import system", "system", true},
		{"platform.system()", "system", false},
		{"filesystem = 1", "system", false},
		{"x = os.path.exists(p) # system", "system", true},
		{"import subprocess", "subprocess", true},
		{"execfile('x.py')", "exec", true},
		{"os.execv('/bin/sh', args)", "exec", true},
		{"os.execlp('sh', 'sh')", "exec", true},
		{"self.execlog = []", "exec", false},
		// Prose in comments and docstrings: a name after a name.
		{"# the file system is full\n", "system", false},
		{"\"\"\"Solves a linear system of equations.\"\"\"", "system", false},
		{"    we eval lazily\n", "eval", false},
		{"x = 1  # we compile the regex once\n", "compile", false},
		{"x = 1  # compile the regex once\n", "compile", true},
		// After a keyword, a name is code.
		{"from os import system as run\n", "system", true},
		{"return eval\n", "eval", true},
		{"f = lambda: exec\n", "exec", true},
		{"print eval(x)\n", "eval", true},
		{"exec code in ns\n", "exec", true},
		{"e = exec; e(code)\n", "exec", true},
		{"if not eval(s):\n", "eval", true},
		{"x = y if z else exec\n", "exec", true},
		// A join spelling a name needs more than three commas inside it.
		{"getattr(os, ''.join(['s', 'y', 's', 't', 'e', 'm']))", "join(", true},
		{"''.join(\n  map(chr, (101, 120, 101, 99)))", "join(", true},
		{"', '.join(names)", "join(", false},
		{"os.path.join(a, b, c)", "join(", false},
		// Module names start a name.
		{"np.load(f, allow_pickle=True)", "pickle", false},
		{"import pickle as pk", "pickle", true},
		{"data = cPickle.loads(s) if x else _pickle.loads(s)", "pickle", false},
		{"await greenlet_spawn(fn)", "spawn", false},
		{"os.posix_spawn(path, argv, env)", "posix_spawn", true},
		{"asyncio.create_subprocess_shell(cmd)", "create_subprocess", true},
		{"p = os.popen(cmd)", "popen", true},
		{"with mock_popen():", "popen", false},
		{"from urllib.parse import urljoin, urlparse", "urllib", false},
		{"import urllib.parse\nx = urllib.error.HTTPError", "urllib", false},
		{"from urllib.request import urlopen", "urllib", true},
		{"import urllib\nurllib.urlopen(u)", "urllib", true},
		{"    :param int retries: the number of requests to retry\n", "requests", false},
		{"return requests.get(u)", "requests", true},
		{"s = requests.Session()", "requests", true},
		{"a socket is opened", "socket", false},
		{"import socket", "socket", true},
		// Escapes: text spelled in them, not bytes.
		{`_a = eval("\x65\166\x61\154")`, `\x`, true},
		{`MAGIC = b'\x00\x01\xff\xfe'`, `\x`, false},
		{`SEP = '\x1f'; A = "\x41"`, `\x`, false},
		{`p = '\\x41\\x42'`, `\x`, false},
		{`s = '\101\102\103'`, `\x`, true},
		{"os.path.join(root, 'a', 'b', 'c', 'd')", "join(", false},
		{"'\\n'.join([head, a, b, c, tail])", "join(", false},
		{"', '.join([head, a, b, c, tail])", "join(", false},
		{"def visit_join(self, join, a=1, b=2, **kw):", "join(", false},
		{"sep.join(['s', 'y', 's', 't', 'e', 'm'])", "join(", true},
		{"'_'.join(['', '', 'import', '', ''])", "join(", true},
	}
	for _, c := range cases {
		if got := containsTrigger([]byte(c.src), []byte(c.word)); got != c.want {
			t.Errorf("containsTrigger(%q, %q) = %v, want %v", c.src, c.word, got, c.want)
		}
	}
}

// getattr alone, everywhere in library code, gets no file parsed; with
// a name spelled out beside it, it does, and the hidden lookup is found.
func TestTriggerPairs(t *testing.T) {
	plain := "def pick(obj, name):\n    return getattr(obj, name, None)\n"
	r := sdist(t, map[string]string{"p/util.py": plain})
	if r.ParsedBytes != 0 {
		t.Errorf("getattr alone: %d bytes parsed, want 0", r.ParsedBytes)
	}
	spelled := "import os\ndef run(c):\n    return getattr(os, ''.join(['s', 'y', 's', 't', 'e', 'm']))(c)\n"
	spelledB, _ := skimTriggers().match([]byte(spelled))
	plainB, _ := skimTriggers().match([]byte(plain))
	if !spelledB || plainB {
		t.Fatalf("pair: spelled %v, plain %v", spelledB, plainB)
	}
	r = sdist(t, map[string]string{"p/util.py": spelled})
	if r.ParsedBytes == 0 || !hasRule(r, "obfuscated-code", Medium) {
		t.Errorf("spelled-out lookup: %d bytes parsed, findings %+v", r.ParsedBytes, r.Findings)
	}
}

// ctypes alone is any binding to a C library: what gets a ctypes file
// parsed is the API a rule needs by name.
func TestTriggersNameTheAPIs(t *testing.T) {
	binding := "import ctypes\nlib = ctypes.CDLL('libm.so.6')\nlib.cos.restype = ctypes.c_double\n"
	if r := sdist(t, map[string]string{"p/mathlib.py": binding}); r.ParsedBytes != 0 {
		t.Errorf("a C binding: %d bytes parsed, want 0", r.ParsedBytes)
	}
	loader := "import ctypes\nk = ctypes.windll.kernel32\nbuf = ctypes.create_string_buffer(bytes(64))\nold = ctypes.c_ulong(0)\n" +
		"k.VirtualProtect(buf, 64, 0x40, ctypes.byref(old))\nk.CreateThread(0, 0, buf, 0, 0, 0)\n"
	if r := sdist(t, map[string]string{"p/__init__.py": loader}); !hasRule(r, "shellcode-loader", Critical) {
		t.Errorf("VirtualProtect loader: %+v", r.Findings)
	}
	runas := "import ctypes\ndef elevate():\n    ctypes.windll.shell32.ShellExecuteW(None, 'runas', 'cmd.exe', '/c net user', None, 0)\n"
	if r := sdist(t, map[string]string{"p/admin.py": runas}); r.ParsedBytes == 0 {
		t.Errorf("ShellExecuteW: not parsed")
	}
}

// pairMatch is the pair search skimWords must agree with: both sides of
// one of the rules' TriggerPairs, \x in a pair counting as written.
func pairMatch(src []byte) bool {
	side := func(words []string) bool {
		for _, w := range words {
			if w == `\x` && bytes.Contains(src, []byte(w)) || containsTrigger(src, []byte(w)) {
				return true
			}
		}
		return false
	}
	for _, r := range Rules {
		for _, p := range r.Info().TriggerPairs {
			if side(p.Words) && side(p.With) {
				return true
			}
		}
	}
	return false
}

// The one-pass skim answers as the word-by-word search does.
func TestSkimWordsMatchesSets(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"x = 1\n", "exec(", "EXEC", "getattr(o, n)", "''.join(['a', 'b', 'c', 'd', 'e'])", "[::-1]", "\\x41\\x42", "\\x", "\u200b",
		"\xd0\xb0", "import socket", "allow_pickle", "pickle.loads", "VirtualAlloc", " -e ", "# the file system\n", "os.system(c)", "globals()",
		"dup2", "stratum+tcp", "é", "chr,", "importlib"}
	bw, aw := triggerWords(Rules)
	words := skimTriggers()
	seen := map[[2]bool]int{}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(b.String())
		wantB := containsAny(src, bw) || pairMatch(src)
		wantA := !wantB && containsAny(src, aw)
		gotB, gotA := words.match(src)
		if gotB != wantB || gotA != wantA {
			t.Fatalf("match(%q) = %v, %v; the sets say %v, %v", src, gotB, gotA, wantB, wantA)
		}
		seen[[2]bool{gotB, gotA}]++
	}
	if len(seen) < 3 {
		t.Errorf("outcomes seen: %v; the test should see behaviour, any-context and neither", seen)
	}
}

func BenchmarkSkimWords(b *testing.B) {
	src := triggerSource()
	b.SetBytes(int64(len(src)))
	words := skimTriggers()
	for b.Loop() {
		words.match(src)
	}
}
