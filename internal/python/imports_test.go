package python

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// quickImportsRef is QuickImports as a regular expression, the definition
// the hand-written scanner must agree with.
var reImportLine = regexp.MustCompile(`(?m)^([ \t]*)(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)\n#]*)|import[ \t]+([^\n#;]+))`)

func quickImportsRef(src []byte) []Import {
	var out []Import
	for _, m := range reImportLine.FindAllSubmatch(src, -1) {
		fn := int32(-1)
		if len(m[1]) > 0 {
			fn = 0
		}
		if m[5] != nil {
			out = appendImports(out, m[5], fn)
			continue
		}
		out = appendFromImports(out, m[4], len(m[2]), m[3], fn)
	}
	return out
}

var importSamples = []string{
	"",
	"import os",
	"import os, sys as system, a.b.c as d, e.f\n",
	"import a.b as c",
	"import os; import sys",
	"import os # comment\n",
	"import os\r\nimport sys\r\n",
	"    import subprocess\n",
	"\timport x\n",
	"def f():\n    from . import helper\n",
	"from . import x",
	"from .. import x as y, z",
	"from .mod import (a, b,\n    c)\n",
	"from ...pkg.sub import *",
	"from os.path import join as j, exists",
	"from x import(a)",
	"from  import x",
	"from   import  x",
	"from import x",
	"from  imports import x",
	"from .import x",
	"from x  import  (a as b) # c",
	"from x import a; import b",
	"from x import a # b, c",
	"import  ",
	"import  # x",
	"import",
	"import ;",
	"importlib.import_module('x')",
	"imports = 1\nfromage = 2\n",
	"x = 'import os'\n",
	"# import os\n",
	"\"\"\"\nimport inside_docstring\n\"\"\"\n",
	"from é import x\nimport é\n",
	"from x import é, y",
	"import 1bad, good",
	"import a..b, .c, d.",
	"  from\t.\tmod\timport\ta",
	"from x import ",
	"from x import\n",
	"\n\n\nimport last",
	"import a\n\nfrom b import c\n",
}

func TestQuickImportsMatchesExpression(t *testing.T) {
	for _, src := range importSamples {
		if diff := cmp.Diff(quickImportsRef([]byte(src)), QuickImports([]byte(src))); diff != "" {
			t.Errorf("QuickImports(%q) (-want +got):\n%s", src, diff)
		}
	}
}

func TestQuickImportsTable(t *testing.T) {
	tests := []struct {
		src  string
		want []Import
	}{
		{"import a.b as c, d\n", []Import{{Module: "a.b", Alias: "c", Func: -1}, {Module: "d", Alias: "d", Func: -1}}},
		{"import a.b\n", []Import{{Module: "a.b", Alias: "a", Func: -1}}},
		{"if x:\n    from ..p import q as r\n", []Import{{Module: "p", Name: "q", Alias: "r", Level: 2, Func: 0}}},
		{"from . import (a,\n  b)\n", []Import{{Name: "a", Alias: "a", Level: 1, Func: -1}}},
		{"from m import *\n", []Import{{Module: "m", Name: "*", Alias: "*", Func: -1}}},
		{"x = 'import os'\n# import sys\n", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, QuickImports([]byte(tt.src))); diff != "" {
			t.Errorf("QuickImports(%q) (-want +got):\n%s", tt.src, diff)
		}
	}
}

func FuzzQuickImports(f *testing.F) {
	for _, s := range importSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if diff := cmp.Diff(quickImportsRef([]byte(src)), QuickImports([]byte(src))); diff != "" {
			t.Errorf("QuickImports(%q) (-want +got):\n%s", src, diff)
		}
	})
}

func importSource() []byte {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("import os, sys\nfrom collections import OrderedDict as OD\nfrom . import sibling\n\n" +
			"def load(path):\n    import json\n    with open(os.path.join(path, 'data.txt')) as fh:\n        return [line.strip().split(',') for line in fh]\n\n" +
			"class Thing(object):\n    \"\"\"A thing imported from elsewhere.\"\"\"\n    def render(self):\n        return '%s' % self.name\n\n")
	}
	return []byte(b.String())
}

func BenchmarkQuickImports(b *testing.B) {
	src := importSource()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		QuickImports(src)
	}
}

func BenchmarkQuickImportsExpression(b *testing.B) {
	src := importSource()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		quickImportsRef(src)
	}
}
