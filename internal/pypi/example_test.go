package pypi_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

// Following the journal: read the rows after a serial, and for each new
// file find it in the JSON API and download it, verified.
func Example() {
	fake := pypitest.Start()
	defer fake.Close()
	fake.Publish("demo", "1.0", "demo-1.0.tar.gz", []byte("contents"))

	ctx := context.Background()
	c := pypi.New(fake.URL(), nil) // the monitor passes its fetch policy's client
	events, err := c.ChangelogSince(ctx, 0)
	if err != nil {
		panic(err) // the follower backs off on pypi.ErrRateLimited instead
	}
	for _, e := range events {
		fmt.Printf("%d %v %s %q\n", e.Serial, e.Kind, e.Name, e.Version)
		if e.Kind != pypi.KindAddFile {
			continue
		}
		fmt.Println("  file:", e.PyVersion, e.Filename)
		rel, err := c.Release(ctx, e.Name, e.Version)
		if err != nil {
			panic(err)
		}
		for _, f := range rel.Files {
			if f.Filename == e.Filename {
				var buf bytes.Buffer
				got, err := c.Download(ctx, f, &buf)
				fmt.Println("  downloaded:", got.Size, "bytes, sha256", got.SHA256[:12], err)
			}
		}
	}
	// Output:
	// 1 create demo ""
	// 2 role demo ""
	// 3 new-release demo "1.0"
	// 4 add-file demo "1.0"
	//   file: source demo-1.0.tar.gz
	//   downloaded: 8 bytes, sha256 d1b2a59fbea7 <nil>
}
