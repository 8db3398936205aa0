package cli

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/httpserve"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
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
			err = httpserve.Serve(cmd.Context(), ln, knownbad.NewAPI(store), 10*time.Second, httpserve.Limits{ReadTimeout: 30 * time.Second, WriteTimeout: time.Minute})
			if err == nil {
				slog.Info("server stopped", "addr", ln.Addr().String())
			}
			return err
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8000", "address to listen on (host:port; port 0 picks a free one)")
	return cmd
}
