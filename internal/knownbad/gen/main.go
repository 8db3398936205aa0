// Command gen writes the known-malicious snapshot compiled into Safeguard
// from the repository's data directory: OSV records under data/osv and
// name lists under data/known-malicious. Run it with `go generate
// ./internal/knownbad`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

func main() {
	data := flag.String("data", "data", "the data directory")
	out := flag.String("out", "snapshot.jsonl.gz", "the snapshot to write")
	flag.Parse()
	db, err := knownbad.BuildSnapshotDB(os.DirFS(*data))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	var buf bytes.Buffer
	if err := knownbad.WriteSnapshot(&buf, db); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
