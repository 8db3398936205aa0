package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

func newDB(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Query the database of known-malicious packages",
		Long: "The known-malicious database holds OSV records of malicious packages (MAL- ids,\n" +
			"from the OpenSSF malicious-packages feed) and lists of known-malicious names\n" +
			"and versions. A snapshot is compiled into safeguard, so lookups work offline.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDBLookup(g), newDBShow(g), newDBStats(g), newDBUpdate(g), newDBServe(g))
	return cmd
}

func newDBLookup(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lookup NAME[==VERSION]...",
		Short: "Tell whether packages are known to be malicious (exit 3 if any is)",
		Args:  minArgs(1, "at least one NAME or NAME==VERSION"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, _, done, err := g.knownBad()
			if err != nil {
				return err
			}
			defer done()
			var answers []knownbad.Answer
			found := false
			for _, a := range args {
				name, version, _ := strings.Cut(a, "==")
				name, version = strings.TrimSpace(name), strings.TrimSpace(version)
				if !pkgname.Valid(name) {
					return usagef("%q is not a package name (want NAME or NAME==VERSION)", a)
				}
				ms, err := db.Lookup(cmd.Context(), name, version)
				if err != nil {
					return err
				}
				found = found || len(ms) > 0
				answers = append(answers, knownbad.Answer{Name: name, Version: version, Matches: append([]knownbad.Match{}, ms...)})
			}
			if err := knownbad.AnswerFormats[formatName(asJSON)](g.stdout, answers); err != nil {
				return err
			}
			if found {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newDBShow(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Print an OSV record (JSON)",
		Args:  exactArgs(1, "one record ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, _, done, err := g.knownBad()
			if err != nil {
				return err
			}
			defer done()
			r, err := db.Record(cmd.Context(), args[0])
			if errors.Is(err, knownbad.ErrNotFound) {
				return fmt.Errorf("%s: no such record in the database", args[0])
			} else if err != nil {
				return err
			}
			enc := json.NewEncoder(g.stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(r)
		},
	}
}

func newDBStats(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Describe the database",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, store, done, err := g.knownBad()
			if err != nil {
				return err
			}
			defer done()
			st, err := db.Stats(cmd.Context())
			if err != nil {
				return err
			}
			r := knownbad.StatsReport{Stats: st, Store: store, SnapshotBytes: knownbad.SnapshotSize(), Now: time.Now()}
			return knownbad.StatsFormats[formatName(asJSON)](g.stdout, r)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// formatName is the format a --json flag asks for.
func formatName(asJSON bool) string {
	if asJSON {
		return "json"
	}
	return "text"
}
