package analyze

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// parallelMin is the source size from which an artifact's files are
// worked on by every core. Smaller artifacts take one: callers such as
// eval already scan several artifacts at once, and files of a campaign
// family parsed one after another reuse each other's trees.
const parallelMin = 4 << 20

// sourceBytes is the size of files.
func sourceBytes(files []*artifact.File) int64 {
	var n int64
	for _, f := range files {
		n += f.Size
	}
	return n
}

// parallel calls do(i) for i from 0 to n-1, taking the i in order, until
// do returns false: on every core when size (the bytes the calls work on)
// is at least parallelMin, else on the calling goroutine.
func parallel(n int, size int64, do func(i int) bool) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n || !do(i) {
				return
			}
		}
	}
	workers := 1
	if size >= parallelMin {
		workers = min(runtime.GOMAXPROCS(0), n)
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}
