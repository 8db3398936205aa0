package python

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// execArg returns the value of the first argument of the exec call on the
// given line.
func execArg(t *testing.T, m *Module, line int) Value {
	t.Helper()
	for _, c := range m.Calls {
		if c.Name == "builtins.exec" && c.Line == line && len(c.Args) > 0 {
			return m.Eval(c.Args[0])
		}
	}
	t.Fatalf("no exec call on line %d: %v", line, callNames(m))
	return Value{}
}

// identAt evaluates the last identifier called name on the given line.
func identAt(t *testing.T, m *Module, name string, line int) Value {
	t.Helper()
	tr := m.Tree
	found := int32(-1)
	for i := range tr.Nodes {
		n := int32(i)
		if tr.Nodes[i].Kind == KIdentifier && tr.Line(n) == line && tr.Text(n) == name {
			found = n
		}
	}
	if found < 0 {
		t.Fatalf("no identifier %s on line %d", name, line)
	}
	return m.Eval(found)
}

func derives(v Value, sub string) bool {
	return v.DerivesFrom(func(s string) bool { return strings.Contains(s, sub) })
}

// The cloudpickle shape: what one test function encodes into its `code`
// does not flow into another's.
func TestScopeFunctionLocalsDoNotLeak(t *testing.T) {
	src := `import base64, textwrap
def test_a(mod):
    code = '''
    x = 1
    '''
    exec(textwrap.dedent(code), mod.__dict__)

def test_b(dumped):
    code = """import pickle; pickle.loads(base64.b32decode({!r}))""".format(base64.b32encode(dumped).decode('ascii'))
    return code
`
	m := load(t, src)
	v := execArg(t, m, 6)
	if derives(v, "base64") {
		t.Errorf("test_a's code derives from test_b's base64: %v", v.From)
	}
	if c := identAt(t, m, "code", 6); !c.Known || strings.TrimSpace(c.S) != "x = 1" {
		t.Errorf("test_a's code = %q (known %v), want its own constant", c.S, c.Known)
	}
	if c := identAt(t, m, "code", 10); !derives(c, "base64.b32encode") {
		t.Errorf("test_b's code does not derive from its own encoding: %+v", c)
	}
}

func TestScopeLocalShadowsModuleConstant(t *testing.T) {
	src := `import base64
payload = base64.b64decode("aW1wb3J0IG9z")
def f():
    payload = "print('hello')"
    exec(payload)
exec(payload)
`
	m := load(t, src)
	if v := execArg(t, m, 5); v.S != "print('hello')" || len(v.Decoders) > 0 {
		t.Errorf("inside f: %q %v, want the local constant", v.S, v.Decoders)
	}
	if v := execArg(t, m, 6); v.S != "import os" || len(v.Decoders) == 0 {
		t.Errorf("at module level: %q %v, want the decoded module constant", v.S, v.Decoders)
	}
}

func TestScopeModuleConstantReadInFunction(t *testing.T) {
	src := `import base64
payload = base64.b64decode("aW1wb3J0IG9z")
def f():
    exec(payload)
def g(payload):
    exec(payload)
`
	m := load(t, src)
	if v := execArg(t, m, 4); v.S != "import os" || len(v.Decoders) == 0 {
		t.Errorf("f reads the module's payload: %q %v", v.S, v.Decoders)
	}
	if v := execArg(t, m, 6); v.Known {
		t.Errorf("g's parameter holds the module's constant %q", v.S)
	}
}

func TestScopeClosureReadsEnclosingLocal(t *testing.T) {
	src := `import base64
code = "print(1)"
def outer():
    code = base64.b64decode("aW1wb3J0IG9z")
    def inner():
        exec(code)
    def rebinds():
        nonlocal code
        code = code + b"; os.system('id')"
    return inner
`
	m := load(t, src)
	v := execArg(t, m, 6)
	if !strings.HasPrefix(v.S, "import os") || len(v.Decoders) == 0 {
		t.Errorf("inner reads outer's code: %q %v", v.S, v.Decoders)
	}
}

func TestScopeGlobalDeclaration(t *testing.T) {
	src := `import base64
KEY = None
def setup():
    global KEY
    KEY = base64.b64decode("aW1wb3J0IG9z")
def other():
    KEY = "print(1)"
    return KEY
setup()
exec(KEY)
`
	m := load(t, src)
	if v := execArg(t, m, 10); v.S != "import os" || len(v.Decoders) == 0 {
		t.Errorf("the global set in setup is not seen at module level: %q %v", v.S, v.Decoders)
	}
	if v := identAt(t, m, "KEY", 8); v.S != "print(1)" {
		t.Errorf("other's own KEY = %q", v.S)
	}
}

func TestScopeFlowsOfTupleTargets(t *testing.T) {
	src := `import tempfile, os
def a():
    fd, path = tempfile.mkstemp()
    return path
def b(path):
    os.system(path)
`
	m := load(t, src)
	if v := identAt(t, m, "path", 4); !derives(v, "tempfile.mkstemp") {
		t.Errorf("a's path: %v", v.From)
	}
	if v := identAt(t, m, "path", 6); derives(v, "tempfile") {
		t.Errorf("b's parameter derives from a's call: %v", v.From)
	}
}

func TestScopeCanonicalNamesOfAssignments(t *testing.T) {
	src := `import socket, os
def a():
    s = socket.socket()
    s.connect(("1.2.3.4", 4444))
def b(s):
    s.connect(("1.2.3.4", 4444))
def c():
    run = os.system
    run("id")
`
	m := load(t, src)
	got := callNames(m)
	for _, want := range []string{"socket.socket().connect", "s.connect", "os.system"} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s in %v", want, got)
		}
	}
	if n := strings.Count(strings.Join(got, " "), "socket.socket().connect"); n != 1 {
		t.Errorf("%d calls named socket.socket().connect, want 1: %v", n, got)
	}
}

// Helpers inlined and loops folded inside functions bind the function's
// locals and read them back.
func TestScopeFoldingInsideFunctions(t *testing.T) {
	keyed := pyBytes(xorWith(plain, []byte("k3y")))
	tests := []struct{ name, src string }{
		{"loop in a function", fmt.Sprintf("def run():\n    d = %s\n    k = b'k3y'\n    out = ''\n    for i in range(len(d)):\n        out += chr(d[i] ^ k[i %% len(k)])\n    exec(out)\n", keyed)},
		{"helper called in a function", fmt.Sprintf("def dec(data, key):\n    r = ''\n    for i, c in enumerate(data):\n        r = r + chr(c ^ key[i %% len(key)])\n    return r\ndef main():\n    data = %s\n    exec(dec(data, b'k3y'))\n", keyed)},
		{"helper reading a module constant", fmt.Sprintf("KEY = b'k3y'\ndef dec(data):\n    r = ''\n    for i, c in enumerate(data):\n        r = r + chr(c ^ KEY[i %% len(KEY)])\n    return r\nexec(dec(%s))\n", keyed)},
		{"module loop into a global", fmt.Sprintf("d = %s\nk = b'k3y'\nout = ''\nfor i in range(len(d)):\n    out += chr(d[i] ^ k[i %% len(k)])\ndef run():\n    exec(out)\n", keyed)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, tt.src)
			payloadWith(t, m, "os.system('id')")
			for _, c := range m.Calls {
				if c.Name == "builtins.exec" {
					if v := m.Eval(c.Args[0]); !strings.Contains(v.S, "os.system") || len(v.Decoders) == 0 {
						t.Errorf("exec argument %q %v, want the plaintext with its cipher", v.S, v.Decoders)
					}
				}
			}
		})
	}
}
