package analyze

import (
	"bytes"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/python"
)

// The import skeleton keeps what runs on import and what it names, blanks
// the rest, and stays valid Python with every line where it was.
func TestImportSkeleton(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		r          *reach
		keep, drop []string // text that must stay, and must go
	}{
		{"a function called at the top level keeps its body; an idle one loses it",
			"import net\ndef setup():\n    net.send('a')\ndef idle():\n    net.send('b')\nsetup()\n",
			nil, []string{"net.send('a')"}, []string{"net.send('b')"}},
		{"a chain of functions from the top level",
			"import net\ndef a():\n    b()\ndef b():\n    net.send('b')\na()\n",
			nil, []string{"net.send('b')"}, nil},
		{"a class named on import keeps its methods; one no code names keeps only its hooks",
			"import net\nclass Used:\n    def __init__(self):\n        net.send('used')\nclass Base:\n    def __init__(self):\n        net.send('init')\n    def __init_subclass__(cls):\n        net.send('hook')\nUsed()\n",
			nil, []string{"net.send('used')", "net.send('hook')"}, []string{"net.send('init')"}},
		{"a metaclass's constructor runs when a class names it",
			"import net\nclass Meta(type):\n    def __new__(mcs, name, bases, ns):\n        net.send('meta')\n        return super().__new__(mcs, name, bases, ns)\n",
			nil, []string{"net.send('meta')"}, nil},
		{"functions registered with atexit, and a module's __getattr__",
			"import atexit, net\n@atexit.register\ndef bye():\n    net.send('bye')\ndef __getattr__(name):\n    net.send('attr')\n",
			nil, []string{"net.send('bye')", "net.send('attr')"}, nil},
		{"a function named in an f-string or a default value",
			"import net\ndef f():\n    net.send('f')\ndef g():\n    net.send('g')\ndef h(x=g()):\n    net.send('h')\nprint(f'{f()}')\n",
			nil, []string{"net.send('f')", "net.send('g')"}, []string{"net.send('h')"}},
		{"a function named only in a string runs nothing",
			"import net\ndef f():\n    net.send('f')\n__all__ = ['f']\n",
			nil, nil, []string{"net.send('f')"}},
		{"a method's name alone does not run it",
			"import net\nclass Ops:\n    def get(self):\n        net.send('get')\n    get.metadata = {'url': '/x'}\n",
			nil, nil, []string{"net.send('get')"}},
		{"functions and classes other files call",
			"import net\ndef main():\n    net.send('main')\nclass Client:\n    def connect(self):\n        net.send('connect')\ndef other():\n    net.send('other')\n",
			&reach{entries: map[string]Context{"main()": Entry, "Client()": Import}}, []string{"net.send('main')", "net.send('connect')"}, []string{"net.send('other')"}},
		{"a class another file only names keeps its instance methods out",
			"import net\nclass Model:\n    def __init__(self):\n        net.send('init')\n",
			&reach{entries: map[string]Context{"Model": Import}}, nil, []string{"net.send('init')"}},
		{"docstrings go, multi-line ones too",
			"class A:\n    \"\"\"\n    Long documentation.\n    \"\"\"\n    x = 1\n    def f(self):\n        '''Doc.'''\n        return 1\n",
			nil, []string{"x = 1"}, []string{"Long documentation", "Doc."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			skel, _ := importSkeleton(src, tt.r)
			if skel == nil {
				if len(tt.drop) > 0 {
					t.Fatalf("no skeleton; want %q gone", tt.drop)
				}
				skel = src
			}
			checkSkeletonShape(t, src, skel)
			for _, k := range tt.keep {
				if !bytes.Contains(skel, []byte(k)) {
					t.Errorf("%q was blanked:\n%s", k, skel)
				}
			}
			for _, d := range tt.drop {
				if bytes.Contains(skel, []byte(d)) {
					t.Errorf("%q was kept:\n%s", d, skel)
				}
			}
		})
	}
}

// checkSkeletonShape asserts what every skeleton is: the source's length,
// its newlines where they were, and Python that parses without error.
func checkSkeletonShape(t *testing.T, src, skel []byte) {
	t.Helper()
	if len(skel) != len(src) {
		t.Fatalf("skeleton of %d bytes for %d", len(skel), len(src))
	}
	for i := range src {
		if (src[i] == '\n') != (skel[i] == '\n') {
			t.Fatalf("newline moved at %d:\n%s", i, skel)
		}
	}
	m, err := python.Load(skel)
	if err != nil || m == nil || m.Tree.HasError {
		t.Fatalf("skeleton does not parse (%v):\n%s", err, skel)
	}
}

// Sources whose structure the lexer will not vouch for are parsed whole.
func TestImportSkeletonDeclines(t *testing.T) {
	for _, src := range []string{
		"def f():\n\treturn 1\n",          // tabs
		"def f():\n    return (1,\n",      // a bracket left open
		"def f():\n    return '''never\n", // a string left open
		"x = 1\ny = 2\n",                  // nothing to blank
		"def f(): return 1\nf()\n",        // one-line defs only
	} {
		if skel, _ := importSkeleton([]byte(src), nil); skel != nil {
			t.Errorf("skeleton made of %q:\n%s", src, skel)
		}
	}
}

// A skeleton, whatever the input, keeps the input's length and newlines.
func FuzzImportSkeleton(f *testing.F) {
	for _, s := range []string{
		"def f():\n    '''doc'''\n    return g()\ndef g():\n    pass\nf()\n",
		"class A(B, metaclass=M):\n    x: int = 1\n    def m(self, y=f'{z()}'):\n        return \\\n            y\n",
		"@d\nasync def f():\n    await x\nif True:\n    def g():\n        pass\n",
		"s = r'\\'' + b\"\\\"\" + '''\n'''\ndef f(a=(1,\n  2)):\n  pass\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		skel, blanked := importSkeleton(src, nil)
		if skel == nil {
			return
		}
		if len(skel) != len(src) || blanked < 0 {
			t.Fatalf("skeleton of %d bytes for %d, %d blanked", len(skel), len(src), blanked)
		}
		for i := range src {
			if (src[i] == '\n') != (skel[i] == '\n') {
				t.Fatalf("newline moved at %d", i)
			}
		}
		if strings.Count(string(skel), "pass") < strings.Count(string(src), "pass") {
			t.Fatalf("a statement was lost without a pass in its place")
		}
	})
}

// A function defined and called inside a kept hook keeps its body: it is
// no method of the class, whatever its indentation.
func TestImportSkeletonNestedInHook(t *testing.T) {
	src := []byte("import net\nclass A:\n    def __init_subclass__(cls):\n        def helper():\n            net.send('nested')\n        helper()\n    def other(self):\n        net.send('other')\n")
	skel, _ := importSkeleton(src, nil)
	if skel == nil {
		t.Fatal("no skeleton")
	}
	checkSkeletonShape(t, src, skel)
	if !bytes.Contains(skel, []byte("net.send('nested')")) || bytes.Contains(skel, []byte("net.send('other')")) {
		t.Errorf("skeleton:\n%s", skel)
	}
}
