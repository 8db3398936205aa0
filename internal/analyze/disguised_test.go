package analyze

import (
	"strings"
	"testing"
)

// pe builds the start of a PE file: the usual DOS stub header, the PE
// signature at 0x80.
func stubPE() string {
	b := []byte(string(dosHeader))
	b = append(b, make([]byte, 0x3c-len(b))...)
	b = append(b, 0x80, 0, 0, 0)
	b = append(b, make([]byte, 0x80-len(b))...)
	b = append(b, "PE\x00\x00"...)
	return string(append(b, make([]byte, 256)...))
}

func xorString(s, key string) string {
	b := []byte(s)
	for i := range b {
		b[i] ^= key[i%len(key)]
	}
	return string(b)
}

// Programs and archives under other names, next to the files those names
// belong to.
func TestDisguisedFiles(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00\x00\x00\rIHDR", 20)
	tests := []verdictCase{
		{"a program named as a certificate", map[string]string{"p/__init__.py": "", "p/cert.pem": stubPE()}, "bundled-executable", Malicious},
		{"a program named as Python", map[string]string{"p/__init__.py": "", "p/_core.py": "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 120)}, "bundled-executable", Malicious},
		{"an XOR-encrypted program named as an image", map[string]string{"p/__init__.py": "", "p/logo.png": xorString(stubPE(), "k3y!")}, "bundled-executable", Suspicious},
		{"code imported from an archive named as a certificate", map[string]string{"p/__init__.py": "import os, zipimport\nzipimport.zipimporter(os.path.join(os.path.dirname(__file__), 'cert.pem')).load_module('core')\n"}, "obfuscated-code", Malicious},
		{"code imported from an image put on sys.path", map[string]string{"p/__init__.py": "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'logo.png'))\nimport core\n"}, "obfuscated-code", Malicious},
		{"a real image", map[string]string{"p/__init__.py": "", "p/logo.png": png}, "", Clean},
		{"a file-type detector's test program named as an image", map[string]string{"p/__init__.py": "", "tests/data/fake.png": stubPE()}, "", Clean},
		{"plugins imported from a zip", map[string]string{"p/__init__.py": "import os, zipimport\nzipimport.zipimporter(os.path.join(os.path.dirname(__file__), 'plugins.zip')).load_module('core')\n"}, "", Clean},
	}
	runVerdictCases(t, tests, nil)
}
