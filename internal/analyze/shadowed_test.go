package analyze

import "testing"

// A little-known distribution that installs a top-level package named
// like a far more popular project's replaces or hides that project's
// module for everything in the environment (shadowed.go).
func TestShadowedModule(t *testing.T) {
	meta := func(name string) string { return "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1\n" }
	tests := []verdictCase{
		{"an unknown distribution that ships requests", map[string]string{"PKG-INFO": meta("acme-depconf-probe"),
			"src/acme/__init__.py": "def one():\n    return 1\n", "src/requests/__init__.py": ""}, "imitated-name", Suspicious},
		{"an unknown distribution that ships certifi as a package", map[string]string{"PKG-INFO": meta("acme-tools"),
			"acme/__init__.py": "", "certifi/__init__.py": "def where():\n    return '/tmp/ca.pem'\n"}, "imitated-name", Suspicious},
		{"a single-file library kept at an sdist's root (docopt.py)", map[string]string{"PKG-INFO": meta("acme-cli"),
			"acme_cli/__init__.py": "", "docopt.py": "def docopt(doc):\n    return {}\n"}, "", Clean},
		{"a fork whose name holds a two-word module's (typing-extensions-compat)", map[string]string{"PKG-INFO": meta("typing-extensions-compat"),
			"typing_extensions/__init__.py": "Literal = None\n"}, "", Clean},
		{"a popular build of a popular module (psycopg2-binary ships psycopg2)", map[string]string{"PKG-INFO": meta("psycopg2-binary"),
			"psycopg2/__init__.py": "paramstyle = 'pyformat'\n"}, "", Clean},
		{"a variant whose name holds the module's (tensorflow-cpu-aws ships tensorflow)", map[string]string{"PKG-INFO": meta("tensorflow-cpu-aws"),
			"tensorflow/__init__.py": "__version__ = '2.0'\n"}, "", Clean},
		{"requests vendored inside the package", map[string]string{"PKG-INFO": meta("acme-client"),
			"acme_client/__init__.py": "", "acme_client/_vendor/requests/__init__.py": ""}, "", Clean},
		{"a short compatibility module at the top level (six.py)", map[string]string{"PKG-INFO": meta("acme-legacy"),
			"acme_legacy/__init__.py": "", "six.py": "PY3 = True\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}

func TestWheelInstallPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"requests/__init__.py", "requests/__init__.py"},
		{"acme-1.0.data/purelib/requests/__init__.py", "requests/__init__.py"},
		{"acme-1.0.data/platlib/certifi.py", "certifi.py"},
		{"acme-1.0.data/scripts/requests.py", "acme-1.0.data/scripts/requests.py"},
		{"acme-1.0.dist-info/METADATA", "acme-1.0.dist-info/METADATA"},
	} {
		if got := wheelInstallPath(tt.in); got != tt.want {
			t.Errorf("wheelInstallPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
