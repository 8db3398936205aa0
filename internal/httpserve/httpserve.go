// Package httpserve is how Safeguard's servers (the OSV API, the index,
// safeguard serve) run: a handler on a listener with limits a slow client
// cannot hold a connection past, until the context ends, then a graceful
// shutdown that lets requests in flight finish. It routes nothing.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Limits bound a request. Headers must always arrive within ten seconds;
// zero ReadTimeout and WriteTimeout leave bodies unbounded (a file
// download streams as long as the client reads).
type Limits struct {
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
}

// Serve serves h on ln until ctx ends, then stops accepting and lets the
// requests in flight finish for up to grace. It returns nil after a clean
// stop, or the error that stopped serving.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration, lim Limits) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close() // requests still running past the grace are cut
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}
