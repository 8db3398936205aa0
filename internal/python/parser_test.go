package python

import (
	"strings"
	"testing"
)

func TestParseFlattens(t *testing.T) {
	tree, err := Parse([]byte("import os\nos.system('id')\n"))
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
	tree, err := Parse([]byte("print 'hello'\nexec code in ns\nx = (\nimport os\nos.system('after error')\n"))
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
