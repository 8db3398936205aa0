package analyze

import "testing"

func TestFirstProgram(t *testing.T) {
	for cmd, want := range map[string]string{
		"env":                    "env",
		"/usr/bin/env":           "env",
		"env FOO=1 python3 x.py": "python3",
		"sudo whoami":            "whoami",
		"nohup ./miner.exe &":    "miner",
		`"C:\Tools\calc.exe"`:    "calc",
		"CC=gcc make -j4":        "make",
		"":                       "",
	} {
		if got := firstProgram(cmd); got != want {
			t.Errorf("firstProgram(%q) = %q, want %q", cmd, got, want)
		}
	}
}
