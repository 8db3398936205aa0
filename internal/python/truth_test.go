package python

import "testing"

// A conditional expression is folded only when constants decide its
// condition; otherwise its value stays unknown.
func TestConditionalFolding(t *testing.T) {
	tests := []struct {
		expr, want string
		known      bool
	}{
		{"'a' if 'x'.islower() else 'b'", "a", true},
		{"'a' if 'X'.islower() else 'b'", "b", true},
		{"'a' if 3 <= 4 < 5 else 'b'", "a", true},
		{"'a' if 'c' in 'abc' and not 'z' in 'abc' else 'b'", "a", true},
		{"'a' if 'q' in ['x', 'y'] or False else 'b'", "b", true},
		{"'a' if os.environ.get('X') else 'b'", "", false},
		{"'a' if len(sys.argv) > 1 else 'b'", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			m := load(t, "import os, sys\nv = "+tt.expr+"\nprint(v)\n")
			var got Value
			for _, c := range m.Calls {
				if c.Name == "builtins.print" {
					got = m.Eval(c.Args[0])
				}
			}
			if got.Known != tt.known || got.S != tt.want {
				t.Errorf("value %q (known %v), want %q (known %v)", got.S, got.Known, tt.want, tt.known)
			}
		})
	}
}
