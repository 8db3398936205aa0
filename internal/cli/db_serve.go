package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// Server limits: a slow or stalled client cannot hold a connection.
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 30 * time.Second
	serveWriteTimeout      = 60 * time.Second
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 64 << 10
	// serveShutdownGrace is how long requests in flight may take to finish
	// once the server is told to stop.
	serveShutdownGrace = 10 * time.Second
)

func newDBServe(g *globals) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the database over an OSV-compatible HTTP API",
		Long: "Serve answers osv.dev's API v1 from the known-malicious database (the local\n" +
			"database once `db update` has written it, else the embedded snapshot):\n" +
			"  POST /v1/query       one package and version (or purl)\n" +
			"  POST /v1/querybatch  up to 1000 queries\n" +
			"  GET  /v1/vulns/{id}  one record\n" +
			"Only PyPI is known. Name-list entries answer as records with ids of the form\n" +
			"SAFEGUARD-LIST-<source>-<name>. It stops cleanly on interrupt.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, what, done, err := g.knownBad()
			if err != nil {
				return err
			}
			defer done()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %q (choose another address with --listen): %w", listen, err)
			}
			fmt.Fprintf(g.stderr, "safeguard: serving the OSV API from the %s on http://%s\n", what, ln.Addr())
			return serveAPI(cmd.Context(), ln, knownbad.NewAPI(store))
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8000", "address to listen on (host:port; port 0 picks a free one)")
	return cmd
}

// serveAPI serves h on ln until ctx is done, then lets the requests in
// flight finish (for up to serveShutdownGrace) and returns nil.
func serveAPI(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    serveMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down the server on %s: %w", ln.Addr(), err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	slog.Info("server stopped", "addr", ln.Addr().String())
	return nil
}
