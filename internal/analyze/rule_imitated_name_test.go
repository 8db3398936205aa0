package analyze

import "testing"

// A distribution named like a far more popular project is suspicious by
// its name when installing it runs its code or it holds none, and
// malicious when its code also holds a threat; its nearest look-alikes —
// a successor named with another version digit, a wheel with code, a
// project's own popular name — are not flagged for it.
func TestImitatedName(t *testing.T) {
	pkgInfo := func(name string) string { return "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1\n" }
	tests := []struct {
		name    string
		files   map[string]string
		wheel   bool
		sev     Severity // of the imitated-name finding; Info for none
		verdict Verdict
	}{
		{"an empty sdist one edit from a popular name", map[string]string{"PKG-INFO": pkgInfo("reqeusts"), "setup.py": "from setuptools import setup\nsetup(name='reqeusts')\n"}, false, High, Suspicious},
		{"the popular project itself", map[string]string{"PKG-INFO": pkgInfo("requests"), "setup.py": "from setuptools import setup\nsetup(name='requests')\n"}, false, Info, Clean},
		{"a successor named with another version digit", map[string]string{"PKG-INFO": pkgInfo("jinja3"), "setup.py": "from setuptools import setup\nsetup(name='jinja3')\n"}, false, Info, Clean},
		{"a squat whose setup.py runs a command at install", map[string]string{"PKG-INFO": pkgInfo("reqeusts"), "setup.py": "import os\nfrom setuptools import setup\nos.system('pythonw svc.pyw')\nsetup(name='reqeusts')\n"}, false, Critical, Malicious},
		{"a wheel with code named close to a popular project", map[string]string{"p/__init__.py": "def f():\n    return 1\n"}, true, Medium, Clean},
		{"a wheel with no code named close to a popular project", map[string]string{"p/data.txt": "x"}, true, High, Suspicious},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *Result
			if tt.wheel {
				files := map[string][]byte{}
				for n, s := range tt.files {
					files[n] = []byte(s)
				}
				r = wheelNamed(t, "reqeusts", files)
			} else {
				r = sdist(t, tt.files)
			}
			if r.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; findings: %+v", r.Verdict, tt.verdict, r.Findings)
			}
			got := Info
			for _, f := range r.Findings {
				if f.Rule == "imitated-name" {
					got = f.Severity
				}
			}
			if got != tt.sev {
				t.Errorf("imitated-name at %s, want %s; findings: %+v", got, tt.sev, r.Findings)
			}
		})
	}
}
