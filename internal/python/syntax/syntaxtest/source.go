// Package syntaxtest holds inputs for the tests and benchmarks of package
// syntax and of the Python front end above it. It is not for production
// code.
package syntaxtest

import "os"

// LargeSource is a large, ordinary Python file of about 1 MiB, generated so
// that benchmarks need nothing outside the repository; when the
// environment variable BENCH_PY names a readable file, that file instead.
func LargeSource() []byte {
	if p := os.Getenv("BENCH_PY"); p != "" {
		if data, err := os.ReadFile(p); err == nil {
			return data
		}
	}
	var src []byte
	for len(src) < 1<<20 {
		src = append(src, "import os, sys\nfrom collections import OrderedDict as OD\n\n"+
			"class Thing(object):\n    \"\"\"A thing.\"\"\"\n    def __init__(self, name, value=None):\n        self.name = name\n        self.value = value or {}\n\n"+
			"    def render(self, fmt='%s=%r'):\n        parts = [fmt % (k, v) for k, v in sorted(self.value.items())]\n        return '%s(%s)' % (self.name, ', '.join(parts))\n\n"+
			"def load(path):\n    with open(os.path.join(path, 'data.txt')) as fh:\n        return [line.strip().split(',') for line in fh if not line.startswith('#')]\n\n"...)
	}
	return src
}
