package monitor

import "time"

// DefaultLease is how long a claimed job or delivery stays with a process
// that stopped renewing it (it was killed) before another takes it. A
// live process renews its claims every third of it, however long the work
// takes, so it bounds recovery after a crash, not the work.
const DefaultLease = 30 * time.Second
