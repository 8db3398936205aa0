package scan

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// writeWideWheel writes to w a wheel holding about srcBytes of Python
// source: a package whose __init__ imports a third of its modules (import
// context), each module a mix of imports, classes with methods, functions
// that run programs and fetch URLs, string tables and comprehensions, with
// names that differ from module to module so that no two sources share a
// tree. It is the shape of a large real wheel (a framework with thousands
// of modules), made without the corpus. It returns the number of source
// bytes written.
func writeWideWheel(w io.Writer, srcBytes int64) (int64, error) {
	ww := newWheelWriter(w)
	rng := rand.New(rand.NewPCG(18, 1))
	var total int64
	var mods []string
	for i := 0; total < srcBytes; i++ {
		pkg := fmt.Sprintf("wide/sub%03d", i/100)
		name := fmt.Sprintf("mod%05d", i)
		if i%100 == 0 {
			init := []byte(fmt.Sprintf("\"\"\"Subpackage %d.\"\"\"\n", i/100))
			if err := ww.add(pkg+"/__init__.py", init); err != nil {
				return total, err
			}
			total += int64(len(init))
		}
		body := wideModule(rng, i)
		if err := ww.add(pkg+"/"+name+".py", body); err != nil {
			return total, err
		}
		total += int64(len(body))
		if i%3 == 0 {
			mods = append(mods, fmt.Sprintf("from .sub%03d import %s", i/100, name))
		}
	}
	init := []byte("\"\"\"A wide package.\"\"\"\n" + strings.Join(mods, "\n") + "\n")
	if err := ww.add("wide/__init__.py", init); err != nil {
		return total, err
	}
	total += int64(len(init))
	return total, ww.close("wide")
}

// wheelWriter writes a benchmark wheel: its files, then its metadata and
// a RECORD that lists them all with their hashes.
type wheelWriter struct {
	zw     *zip.Writer
	record strings.Builder
}

func newWheelWriter(w io.Writer) *wheelWriter { return &wheelWriter{zw: zip.NewWriter(w)} }

func (ww *wheelWriter) add(name string, body []byte) error {
	f, err := ww.zw.Create(name)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	fmt.Fprintf(&ww.record, "%s,sha256=%s,%d\n", name, base64.RawURLEncoding.EncodeToString(sum[:]), len(body))
	_, err = f.Write(body)
	return err
}

// close writes the metadata of distribution name, version 1.0, and the
// RECORD, and ends the archive.
func (ww *wheelWriter) close(name string) error {
	info := name + "-1.0.dist-info/"
	meta := "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n"
	wheel := "Wheel-Version: 1.0\nGenerator: safeguard-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	if err := ww.add(info+"METADATA", []byte(meta)); err != nil {
		return err
	}
	if err := ww.add(info+"WHEEL", []byte(wheel)); err != nil {
		return err
	}
	f, err := ww.zw.Create(info + "RECORD")
	if err == nil {
		_, err = io.WriteString(f, ww.record.String()+info+"RECORD,,\n")
	}
	if err != nil {
		return err
	}
	return ww.zw.Close()
}

// wideModule is module i of the wide wheel, 8–40 KB of ordinary code.
func wideModule(rng *rand.Rand, i int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\"\"\"Module %d: helpers for the wide package.\"\"\"\n", i)
	imports := []string{"import os", "import json", "import re", "import subprocess", "import logging",
		"from urllib.request import urlopen", "import requests", "from collections import OrderedDict", "import base64"}
	for _, j := range rng.Perm(len(imports))[:4+rng.IntN(5)] {
		b.WriteString(imports[j] + "\n")
	}
	fmt.Fprintf(&b, "\nlog_%d = logging.getLogger(__name__)\n\n", i)
	for c := range 2 + rng.IntN(5) {
		fmt.Fprintf(&b, "class Widget%d_%d(object):\n    \"\"\"A widget.\"\"\"\n\n    kind = %q\n\n", i, c, fmt.Sprintf("kind-%d", rng.IntN(1000)))
		fmt.Fprintf(&b, "    def __init__(self, name, size=%d, **opts):\n        self.name = name\n        self.size = size\n        self.opts = dict(opts)\n\n", rng.IntN(100))
		for m := range 2 + rng.IntN(6) {
			switch rng.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "    def run_%d(self, args):\n        cmd = ['git', 'log', '-n', str(self.size)] + list(args)\n        out = subprocess.check_output(cmd, cwd=self.opts.get('cwd'))\n        return out.decode('utf-8').splitlines()\n\n", m)
			case 1:
				fmt.Fprintf(&b, "    def fetch_%d(self, url=%q):\n        with urlopen(url + '/' + self.name) as r:\n            return json.loads(r.read())\n\n", m, fmt.Sprintf("https://example.org/api/v%d", rng.IntN(9)))
			case 2:
				fmt.Fprintf(&b, "    def match_%d(self, text):\n        pat = re.compile(r'^(%s)+[a-z]{%d,}$')\n        return [m.group(0) for m in pat.finditer(text) if m and len(m.group(0)) > %d]\n\n", m, strings.Repeat("ab", 1+rng.IntN(3)), 1+rng.IntN(4), rng.IntN(8))
			default:
				fmt.Fprintf(&b, "    @property\n    def value_%d(self):\n        total = 0\n        for k, v in sorted(self.opts.items()):\n            if isinstance(v, (int, float)):\n                total += v * %d\n            elif k.startswith('x_'):\n                total -= len(k)\n        return total\n\n", m, rng.IntN(50))
			}
		}
	}
	for f := range 3 + rng.IntN(8) {
		fmt.Fprintf(&b, "def helper_%d_%d(path, *, retries=%d, session=None):\n    s = session or requests.Session()\n    for attempt in range(retries):\n        try:\n            r = s.get('https://pypi.org/pypi/%%s/json' %% os.path.basename(path), timeout=%d)\n            r.raise_for_status()\n            return r.json()\n        except requests.RequestException as exc:\n            log_%d.warning('attempt %%d failed: %%s', attempt, exc)\n    return None\n\n", i, f, 1+rng.IntN(5), 5+rng.IntN(30), i)
	}
	fmt.Fprintf(&b, "TABLE_%d = {\n", i)
	for k := range 20 + rng.IntN(200) {
		fmt.Fprintf(&b, "    %q: (%d, %q, %v),\n", fmt.Sprintf("key_%d_%d", i, k), rng.IntN(1<<20), wideWord(rng), rng.IntN(2) == 0)
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "ENCODED_%d = base64.b64decode(%q)\n", i, "aGVsbG8gd29ybGQ=")
	fmt.Fprintf(&b, "SQUARES_%d = [x * x for x in range(%d) if x %% %d]\n", i, rng.IntN(1000), 2+rng.IntN(5))
	return b.Bytes()
}

func wideWord(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	w := make([]byte, 4+rng.IntN(12))
	for i := range w {
		w[i] = letters[rng.IntN(len(letters))]
	}
	return string(w)
}
