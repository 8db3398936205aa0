package cli

import (
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

func newDBUpdate(g *globals) *cobra.Command {
	var from string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Update the local known-malicious database",
		Long: "Update builds a new local database in the data directory from the embedded\n" +
			"snapshot plus --from: an OSV ecosystem zip by URL (default: OSV's PyPI export,\n" +
			"of which the MAL- records are kept) or on disk, a directory of OSV records\n" +
			"(a checkout of github.com/ossf/malicious-packages), one record, or a name list\n" +
			"{\"name\": null | [\"version\", ...]}. The new database replaces the old one\n" +
			"only when it is complete: a failed download leaves the old one in use.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			client := &http.Client{Timeout: timeout}
			start := time.Now()
			db, err := knownbad.Import(cmd.Context(), from, client)
			if err != nil {
				return fmt.Errorf("update from %s (the database in use is unchanged): %w", from, err)
			}
			path := filepath.Join(g.dataDir, knownbad.DBFile)
			if err := knownbad.WriteSQLite(cmd.Context(), path, db, map[string]string{"source": from}); err != nil {
				return fmt.Errorf("write %s (the database in use is unchanged): %w", path, err)
			}
			st, _ := db.Stats(cmd.Context())
			fmt.Fprintf(g.stdout, "updated %s from %s in %s: %d records (%d withdrawn), %d listed names, %d packages; %d other records skipped\n",
				path, from, time.Since(start).Round(time.Millisecond), st.Records, st.Withdrawn, st.Listed, st.Packages, st.Skipped)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", knownbad.DefaultURL, "URL, zip, directory or JSON file to update from")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "time allowed for a download")
	return cmd
}
