package analyze

import "testing"

// exec reached through a name built at run time, an alias or a function
// made from a code object, next to the same constructs in ordinary code.
func TestHiddenExecBehaviours(t *testing.T) {
	code := b64("import os\nos.system('id')\n")
	tests := []verdictCase{
		{"exec named by character codes", map[string]string{"setup.py": "import builtins, base64\nrun = getattr(builtins, ''.join(chr(c) for c in [101, 120, 101, 99]))\nrun(base64.b64decode('" + code + "'))\n"}, "exec-obfuscated", Malicious},
		{"aliased exec of a decoded blob", map[string]string{"p/__init__.py": "import base64\n_r = exec\n_r(base64.b64decode('" + code + "'))\n"}, "exec-obfuscated", Malicious},
		{"function made from compiled decoded code", map[string]string{"p/__init__.py": "import base64, types\ntypes.FunctionType(compile(base64.b64decode('" + code + "'), '<x>', 'exec'), {})()\n"}, "exec-obfuscated", Malicious},
		{"template engine building functions from generated source", map[string]string{"p/template.py": "import types\ndef build(source, name, ns):\n    return types.FunctionType(compile(source, name, 'exec'), ns)()\n"}, "", Clean},
		{"builtin looked up by a configured name", map[string]string{"p/conf.py": "import builtins\ndef converter(name):\n    return getattr(builtins, name)\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}
