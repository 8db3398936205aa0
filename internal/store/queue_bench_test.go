package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkQueueNoop is the job queue's own cost per job: b.N jobs
// enqueued in batches of 500 (as the follower does), then run by two
// workers whose job does nothing but complete in a transaction of its
// own (as a scan's effect is recorded). Reported per engine: jobs/s, and
// µs of wall time per job from enqueue to completion.
func BenchmarkQueueNoop(b *testing.B) {
	engines := map[string]func(b *testing.B) *Store{
		"river-postgres": func(b *testing.B) *Store { return openPostgres(b) },
		"table-postgres": func(b *testing.B) *Store { s := openPostgres(b); s.river = nil; return s },
		"table-sqlite": func(b *testing.B) *Store {
			s, err := Open(context.Background(), b.TempDir()+"/store.db")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
	for _, name := range []string{"river-postgres", "table-postgres", "table-sqlite"} {
		b.Run(name, func(b *testing.B) {
			s := engines[name](b)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i += 500 {
				var jobs []Job
				for k := i; k < min(i+500, b.N); k++ {
					jobs = append(jobs, Job{ID: fmt.Sprint("noop-", k), Kind: "noop", Payload: "{}"})
				}
				if err := s.InTx(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, jobs...) }); err != nil {
					b.Fatal(err)
				}
			}
			done := make(chan struct{})
			var n int
			go s.Work(ctx, WorkOptions{Worker: "bench", Kinds: []string{"noop"}, Workers: 2, Lease: 15 * time.Second,
				Timeout: time.Minute, MaxAttempts: 3, Idle: 10 * time.Millisecond, Retry: func(int) time.Duration { return time.Second }},
				func(ctx context.Context, j *Job) error {
					return s.InTx(ctx, func(tx *Tx) error { return tx.Complete(ctx, j) })
				})
			go func() {
				for {
					c, _ := s.JobCounts(ctx)
					if n = c[[2]string{"noop", JobDone}]; n >= b.N {
						close(done)
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
			}()
			<-done
			took := time.Since(start)
			b.ReportMetric(float64(b.N)/took.Seconds(), "jobs/s")
			b.ReportMetric(float64(took.Microseconds())/float64(b.N), "µs/job")
		})
	}
}
