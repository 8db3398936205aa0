package scan

import (
	"context"
	"sync"
)

// All judges inputs with jobs workers and hands each result, with its
// lookup error, to emit in input order, as soon as every earlier one has
// been handed over. It stops at emit's first error and returns it, or the
// context's error.
func All(ctx context.Context, inputs []Input, jobs int, cfg Config, emit func(*Result, error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type done struct {
		i   int
		r   *Result
		err error
	}
	work := make(chan int)
	results := make(chan done)
	var wg sync.WaitGroup
	for range min(max(jobs, 1), max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r, err := One(ctx, inputs[i], cfg)
				results <- done{i, r, err}
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range inputs {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int]done{}
	next := 0
	var emitErr error
	for d := range results {
		pending[d.i] = d
		for ; ; next++ {
			p, ok := pending[next]
			if !ok {
				break
			}
			if emitErr == nil {
				if emitErr = emit(p.r, p.err); emitErr != nil {
					cancel()
				}
			}
			delete(pending, next)
		}
	}
	if emitErr != nil {
		return emitErr
	}
	return ctx.Err()
}

// Paths makes inputs of files and directories on disk.
func Paths(paths []string) []Input {
	in := make([]Input, len(paths))
	for i, p := range paths {
		in[i] = Input{Path: p}
	}
	return in
}
