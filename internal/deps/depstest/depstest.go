// Package depstest generates large dependency files for benchmarks and
// for comparing Safeguard with other tools on the same input.
package depstest

import (
	"fmt"
	"strings"
)

// BigUVLock writes a uv.lock of a project that depends on 50 of n
// packages; each package has three dependencies, an sdist and three
// wheels with hashes, sizes and upload times. n = 4500 gives about 7 MB.
func BigUVLock(n int) []byte {
	var b strings.Builder
	b.WriteString("version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"root\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n")
	for i := range min(50, n) {
		fmt.Fprintf(&b, "    { name = \"pkg-%d\" },\n", i)
	}
	b.WriteString("]\n")
	h := strings.Repeat("ab", 32)
	for i := range n {
		fmt.Fprintf(&b, "\n[[package]]\nname = \"pkg-%d\"\nversion = \"1.%d.0\"\nsource = { registry = \"https://pypi.org/simple\" }\ndependencies = [\n", i, i%97)
		for j := 1; j <= 3; j++ {
			fmt.Fprintf(&b, "    { name = \"pkg-%d\", marker = \"python_full_version < '3.11'\" },\n", (i*7+j)%n)
		}
		fmt.Fprintf(&b, "]\nsdist = { url = \"https://files.pythonhosted.org/packages/aa/bb/%s/pkg_%d-1.%d.0.tar.gz\", hash = \"sha256:%s\", size = %d, upload-time = \"2024-02-19T08:36:28.641Z\" }\nwheels = [\n", h, i, i%97, h, 1000+i)
		for _, tag := range []string{"cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", "cp311-cp311-macosx_11_0_arm64", "py3-none-any"} {
			fmt.Fprintf(&b, "    { url = \"https://files.pythonhosted.org/packages/cc/dd/%s/pkg_%d-1.%d.0-%s.whl\", hash = \"sha256:%s\", size = %d, upload-time = \"2024-02-19T08:36:28.641Z\" },\n", h, i, i%97, tag, h, 2000+i)
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}
