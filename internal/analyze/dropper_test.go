package analyze

import (
	"strings"
	"testing"
)

// A payload written by one helper and started by another, next to a
// helper writing a bundled file and a fixed tool run after it.
func TestDropperBehindHelpers(t *testing.T) {
	program := b64("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + strings.Repeat("\x00\x8b\x45\x08\x50\xe8", 400))
	helpers := "import base64, os, subprocess, tempfile\n" +
		"def _save(data, path):\n    with open(path, 'wb') as fh:\n        fh.write(base64.b64decode(data))\n" +
		"def _launch(path):\n    subprocess.Popen([path])\n"
	tests := []struct {
		name    string
		files   map[string]string
		verdict Verdict
	}{
		{"payload saved by one helper, started by another on import", map[string]string{"p/__init__.py": helpers +
			"BLOB = '" + program + "'\n_p = os.path.join(tempfile.gettempdir(), 'svc.exe')\n_save(BLOB, _p)\n_launch(_p)\n"}, Malicious},
		{"bundled icon saved by a helper, a fixed tool run after", map[string]string{"p/__init__.py": helpers +
			"ICON = '" + b64(strings.Repeat("\x89PNG\r\n\x1a\n", 80)) + "'\n_p = os.path.join(tempfile.gettempdir(), 'icon.png')\n_save(ICON, _p)\n_launch('xdg-icon-resource')\n"}, Clean},
		{"payload saved by a helper that names the file and returns it, started on import", map[string]string{"p/__init__.py": helpers +
			"def _drop(data, name):\n    p = os.path.join(tempfile.gettempdir(), name)\n    with open(p, 'wb') as fh:\n        fh.write(base64.b64decode(data))\n    return p\n" +
			"BLOB = '" + program + "'\n_launch(_drop(BLOB, 'svc.exe'))\n"}, Malicious},
		{"bundled icon saved by such a helper, a fixed tool run after", map[string]string{"p/__init__.py": helpers +
			"def _drop(data, name):\n    p = os.path.join(tempfile.gettempdir(), name)\n    with open(p, 'wb') as fh:\n        fh.write(base64.b64decode(data))\n    return p\n" +
			"ICON = '" + b64(strings.Repeat("\x89PNG\r\n\x1a\n", 80)) + "'\nicon = _drop(ICON, 'icon.png')\n_launch('xdg-icon-resource')\n"}, Clean},
		{"user data saved and opened by helpers", map[string]string{"p/io.py": helpers +
			"def export(report, path):\n    _save(report, path)\n    _launch(path)\n"}, Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sdist(t, tt.files)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			if tt.verdict == Malicious && !hasRule(r, "download-execute", Critical) {
				t.Errorf("no critical download-execute finding: %+v", r.Findings)
			}
		})
	}
}
