package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWalkRuntimePinned(t *testing.T) {
	mod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "github.com/tree-sitter/go-tree-sitter "+walkRuntime+"\n") {
		t.Errorf("go.mod does not require go-tree-sitter %s, whose subtree layout tslayout.h mirrors; check the layout, then update walkRuntime", walkRuntime)
	}
}

func TestFastWalkEnabled(t *testing.T) {
	if !fastWalk {
		t.Fatal("the direct walk disagreed with the cursor walk on the sample; parses use the slower cursor walk")
	}
}

// TestWalksAgree flattens the repository's Python scripts, generated
// modules and edge cases both ways.
func TestWalksAgree(t *testing.T) {
	srcs := map[string]string{
		"empty line":     "\n",
		"only a comment": "# c",
		"deep":           strings.Repeat("(", 5000) + "x" + strings.Repeat(")", 5000) + "\n",
		"deep lists":     "x = " + strings.Repeat("[", 3000) + strings.Repeat("]", 3000) + "\n",
		"errors":         "def (:\n  ) ]] class\n\tx = 'unterminated\n" + walkSample,
		"unicode":        "é = '中文'\n# \u202e\nx = 1\r\ny = 2\r\n",
		"data":           dataCases[5],
	}
	for i := range 50 {
		srcs["family "+string(rune('a'+i%26))] = family(strings.Repeat("x", i))
	}
	files, _ := filepath.Glob("../../../scripts/*.py")
	more, _ := filepath.Glob("../../../internal/*/testdata/*.py")
	for _, f := range append(files, more...) {
		b, _ := os.ReadFile(f)
		srcs[f] = string(b)
	}
	for name, src := range srcs {
		if !walksAgree([]byte(src)) {
			t.Errorf("%s: the walks differ", name)
		}
	}
}

func FuzzWalksAgree(f *testing.F) {
	f.Add(walkSample)
	f.Add("x = (1,\n  2]\n")
	f.Add("print 'a' % b\nexec c in d\n")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 8192 {
			return
		}
		if !walksAgree([]byte(src)) {
			t.Errorf("the walks differ on %q", src)
		}
	})
}
