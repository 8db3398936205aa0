package analyze

import (
	"strings"
	"testing"
)

// Packed code that runs on install or import, next to packers' runtimes
// and packed modules nothing runs.
func TestPackers(t *testing.T) {
	blob := "b'PY000000\\x00\\x03\\x0b\\x00" + strings.Repeat("\\xa7\\x0d\\x0d\\x0a", 40) + "'"
	armored := "from pyarmor_runtime_000000 import __pyarmor__\n__pyarmor__(__name__, __file__, " + blob + ")\n"
	hyperion := "from builtins import *\n_walk, _sum, _tuple, _map, _ord = exec, str, tuple, map, ord\n_walk(_sum(_tuple(_map(chr, [112, 114, 105, 110, 116, 40, 41]))))\n"
	var lookAlike strings.Builder
	for i, n := range []string{"IlIlI", "IIlII", "lIIlI", "IllII", "lIlIl", "IIIll", "llIII", "IlllI"} {
		lookAlike.WriteString(n + " = " + itoa(i) + "\n")
	}
	lookAlike.WriteString("exec(''.join(chr(IlIlI + c) for c in [112, 114]))\n")
	tests := []struct {
		name    string
		files   map[string]string
		sev     Severity // of obfuscated-code; Info for none
		verdict Verdict
	}{
		{"PyArmor-packed setup.py", map[string]string{"setup.py": armored}, Critical, Malicious},
		{"PyArmor-packed package run on import", map[string]string{"p/__init__.py": armored}, Critical, Malicious},
		{"Hyperion-style module run on import", map[string]string{"p/__init__.py": hyperion}, Critical, Malicious},
		{"pyobfuscate-style setup.py", map[string]string{"setup.py": lookAlike.String()}, Critical, Malicious},
		{"a library importing its PyArmor runtime", map[string]string{
			"p/__init__.py":                        "from .pyarmor_runtime_000000 import __pyarmor__\n",
			"p/pyarmor_runtime_000000/__init__.py": "from .pyarmor_runtime import __pyarmor__\n",
		}, Medium, Clean},
		{"a packed module nothing imports", map[string]string{"p/__init__.py": "", "p/tools/packed.py": armored}, Info, Clean},
		{"a sandbox's table of builtins it refuses", map[string]string{"p/__init__.py": "DISALLOW_FUNCTIONS = {type, isinstance, eval, getattr, setattr, compile, open, vars}\nONE_ARITY = {abs, all, any, bool, bytes, chr, eval, len}\n"}, Info, Clean},
		{"builtins aliased for speed", map[string]string{"p/__init__.py": "_len, _str, _map, _ord = len, str, map, ord\ndef f(x):\n    return _len(_str(x))\n"}, Info, Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			got := Info
			for _, f := range r.Findings {
				if f.Rule == "obfuscated-code" && f.Severity > got {
					got = f.Severity
				}
			}
			if tt.sev != Info && got != tt.sev || tt.sev == Info && got > Low {
				t.Errorf("obfuscated-code at %s, want %s: %+v", got, tt.sev, r.Findings)
			}
		})
	}
}
