package proxy

import (
	"context"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// Allow decisions are written to the store in batches, off the request
// path: every download is one, and a row per request would cost more than
// serving the file. Blocks are written at once. A process killed outright
// can lose the allows of its last moments, never a block or a verdict.
const (
	decisionBatch = 512
	decisionDelay = 200 * time.Millisecond
)

func (s *Server) logDecisions() {
	defer close(s.decisionsDone)
	var batch []store.Decision
	flush := func() {
		if len(batch) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := s.opt.Store.AddDecisions(ctx, batch); err != nil {
			s.opt.Logger.Error("store decisions", "error", err, "lost", len(batch))
		}
		cancel()
		batch = batch[:0]
	}
	tick := time.NewTicker(decisionDelay)
	defer tick.Stop()
	for {
		select {
		case d, ok := <-s.decisions:
			if !ok {
				flush()
				return
			}
			batch = append(batch, d)
			if len(batch) >= decisionBatch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// Close writes the decisions still queued. Call it after the HTTP server
// has stopped.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.decisions)
		<-s.decisionsDone
	})
}
