// Command genuvlock writes the generated uv.lock of depstest.BigUVLock to
// standard output: go run ./internal/deps/depstest/genuvlock [-n 4500].
package main

import (
	"flag"
	"os"

	"github.com/safeguard-dev/safeguard/internal/deps/depstest"
)

func main() {
	n := flag.Int("n", 4500, "packages in the lock")
	flag.Parse()
	os.Stdout.Write(depstest.BigUVLock(*n))
}
