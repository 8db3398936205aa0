// Command safeguard finds malicious Python packages before they run.
// See the README, or run "safeguard --help".
package main

import (
	"os"

	"github.com/safeguard-dev/safeguard/internal/cli"
)

func main() { os.Exit(cli.Main()) }
