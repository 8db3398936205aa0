package syntax

import (
	"os"
	"strings"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// language is the Python grammar, for the names of node kinds.
var language = sitter.NewLanguage(python.Language())

// TestMain starts the runtime as the first Parser would, for the tests
// that parse without one (parseFresh, walksAgree).
func TestMain(m *testing.M) {
	runtimeOnce.Do(startRuntime)
	os.Exit(m.Run())
}

func TestParseFlattens(t *testing.T) {
	tree, err := NewParser(DefaultOptions()).Parse([]byte("import os\nos.system('id')\n"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, n := range tree.Nodes {
		kinds = append(kinds, language.NodeKindForId(uint16(n.Kind)))
	}
	got := strings.Join(kinds, " ")
	want := "module import_statement dotted_name identifier expression_statement call attribute identifier identifier argument_list string string_start string_content string_end"
	if got != want {
		t.Errorf("nodes:\n got %s\nwant %s", got, want)
	}
	call := int32(5)
	if tree.Nodes[call].Kind != KCall || tree.Text(tree.ChildByField(call, FFunction)) != "os.system" || tree.Line(call) != 2 {
		t.Errorf("call node wrong: %+v", tree.Nodes[call])
	}
}

func TestParsePython2AndErrors(t *testing.T) {
	tree, err := NewParser(Options{}).Parse([]byte("print 'hello'\nexec code in ns\nx = (\nimport os\nos.system('after error')\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !tree.HasError {
		t.Error("want HasError for the unclosed parenthesis")
	}
	if !strings.Contains(string(tree.Src), "after error") {
		t.Fatal("source lost")
	}
	found := false
	for i := range tree.Nodes {
		if tree.Nodes[i].Kind == KCall && strings.Contains(tree.Text(int32(i)), "after error") {
			found = true
		}
	}
	if !found {
		t.Error("the call after the syntax error was not parsed")
	}
}

func TestKindsMatchGrammar(t *testing.T) {
	for _, k := range []Kind{KModule, KError, KCall, KString, KStringContent, KIf, KSet, KWithItem,
		KGlobal, KNonlocal, KNamedExpr, KExceptClause, KListSplatPattern, KDictSplatPattern, KListPattern, KTuplePattern, KAsPatternTarget} {
		if k == 0 {
			t.Errorf("a kind the analysis uses is not in the grammar")
		}
		if name := language.NodeKindForId(uint16(k)); kind(name) != k || !language.NodeKindIsNamed(uint16(k)) {
			t.Errorf("kind(%q) = %d, want the named kind %d", name, kind(name), k)
		}
	}
	for id := uint16(1); id <= uint16(language.FieldCount()); id++ {
		if name := language.FieldNameForId(id); field(name) != Field(id) {
			t.Errorf("field(%q) = %d, want %d", name, field(name), id)
		}
	}
}

// TestReuseOff parses campaign-like sources with and without reuse: the
// trees are the same, and without reuse none is derived or reparsed.
func TestReuseOff(t *testing.T) {
	on, off := NewParser(DefaultOptions()), NewParser(Options{})
	defer on.Close()
	var srcs []string
	for _, name := range []string{"requestz", "reqeusts", "requestz", "rq", "requests-toolbelt"} {
		srcs = append(srcs, smallSetup(name), family(name), strings.Replace(family("x"), "v200 = ", name+" = ", 1))
	}
	for _, src := range srcs {
		a, err := on.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		b, err := off.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if d := sameTree(a, b); d != "" {
			t.Errorf("reuse on and off differ: %s", d)
		}
	}
	if incremental(on) == 0 {
		t.Error("with reuse, no tree was derived or reparsed")
	}
	if n := incremental(off); n != 0 {
		t.Errorf("without reuse, %d trees were derived or reparsed", n)
	}
}
