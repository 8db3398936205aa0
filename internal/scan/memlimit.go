package scan

import (
	"math"
	"runtime/debug"
	"sync"
)

// softLimit is the Go memory limit set while a large artifact is
// analysed, unless the user set one (GOMEMLIMIT): near it the collector
// runs more often instead of letting the heap double, which keeps the
// process of a 550 MB wheel under 1 GiB for about 6% more CPU. It is
// soft: a scan that needs more gets more.
const softLimit = 768 << 20

// softLimitMin is the content size past which One sets softLimit.
const softLimitMin = 256 << 20

var limits struct {
	sync.Mutex
	holders int
	prev    int64
	set     bool
}

// holdSoftLimit sets softLimit for as long as one scan holds it and
// returns the function that lets it go; the limit in force before comes
// back when the last holder lets go. A limit the user set is left alone.
func holdSoftLimit(limit int64) (release func()) {
	limits.Lock()
	defer limits.Unlock()
	if limits.holders == 0 {
		limits.prev = debug.SetMemoryLimit(-1)
		limits.set = limits.prev == math.MaxInt64
		if limits.set {
			debug.SetMemoryLimit(limit)
		}
	}
	limits.holders++
	return func() {
		limits.Lock()
		defer limits.Unlock()
		limits.holders--
		if limits.holders == 0 && limits.set {
			debug.SetMemoryLimit(limits.prev)
		}
	}
}
