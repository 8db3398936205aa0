package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

func newDBUpdate(g *globals) *cobra.Command {
	var from string
	var timeout time.Duration
	var full bool
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Update the local known-malicious database",
		Long: "Update builds a new local database in the data directory from the embedded\n" +
			"snapshot plus --from: an OSV ecosystem zip by URL (default: OSV's PyPI export,\n" +
			"of which the MAL- records are kept) or on disk, a directory of OSV records\n" +
			"(a checkout of github.com/ossf/malicious-packages), one record, or a name list\n" +
			"{\"name\": null | [\"version\", ...]}. The new database replaces the old one\n" +
			"only when it is complete: a failed download leaves the old one in use.\n" +
			"When a local database exists and --from is an OSV all.zip URL, only the\n" +
			"records changed since (listed in modified_id.csv beside it) are fetched.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			client := &http.Client{Timeout: timeout}
			start := time.Now()
			path := filepath.Join(g.dataDir, knownbad.DBFile)
			db, how, err := importDB(cmd.Context(), path, from, full, client)
			if err != nil {
				return fmt.Errorf("update from %s (the database in use is unchanged): %w", from, err)
			}
			if err := knownbad.WriteSQLite(cmd.Context(), path, db, map[string]string{"source": from}); err != nil {
				return fmt.Errorf("write %s (the database in use is unchanged): %w", path, err)
			}
			st, _ := db.Stats(cmd.Context())
			fmt.Fprintf(g.stdout, "updated %s from %s (%s) in %s: %d records (%d withdrawn), %d listed names, %d packages; %d other records skipped\n",
				path, from, how, time.Since(start).Round(time.Millisecond), st.Records, st.Withdrawn, st.Listed, st.Packages, st.Skipped)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", knownbad.DefaultURL, "URL, zip, directory or JSON file to update from")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Minute, "time allowed for a download")
	cmd.Flags().BoolVar(&full, "full", false, "download the whole archive even when an incremental update is possible")
	return cmd
}

// importDB builds the new database: incrementally when a local database
// exists and from is an OSV archive URL (falling back to the archive when
// that fails), else in full. It says which it did.
func importDB(ctx context.Context, path, from string, full bool, client *http.Client) (*knownbad.DB, string, error) {
	base, isArchive := strings.CutSuffix(from, "/all.zip")
	remote := strings.HasPrefix(from, "https://") || strings.HasPrefix(from, "http://")
	if !full && isArchive && remote {
		if cur, err := knownbad.OpenSQLite(path); err == nil {
			db, n, err := knownbad.ImportIncremental(ctx, cur, base, client)
			cur.Close()
			if err == nil {
				return db, fmt.Sprintf("incremental, %d changed records", n), nil
			}
			slog.Info("incremental update failed; downloading the archive", "error", err)
		}
	}
	db, err := knownbad.Import(ctx, from, client)
	return db, "full", err
}
