package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
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
			type answer struct {
				Name    string           `json:"name"`
				Version string           `json:"version,omitempty"`
				Matches []knownbad.Match `json:"matches"`
			}
			var answers []answer
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
				answers = append(answers, answer{Name: name, Version: version, Matches: append([]knownbad.Match{}, ms...)})
			}
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(answers); err != nil {
					return err
				}
			} else {
				for _, a := range answers {
					spec := a.Name
					if a.Version != "" {
						spec += "==" + a.Version
					}
					if len(a.Matches) == 0 {
						fmt.Fprintf(g.stdout, "%s: not known to be malicious\n", spec)
						continue
					}
					fmt.Fprintf(g.stdout, "%s: KNOWN MALICIOUS\n", spec)
					for _, m := range a.Matches {
						fmt.Fprintf(g.stdout, "  %s %s\n", firstNonEmpty(m.ID, "("+m.Source+")"), m.Summary)
					}
				}
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
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					knownbad.Stats
					Store         string `json:"store"`
					SnapshotBytes int    `json:"snapshot_bytes"`
				}{st, store, knownbad.SnapshotSize()})
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "store\t%s\n", store)
			fmt.Fprintf(tw, "embedded snapshot\t%d KiB compressed\n", knownbad.SnapshotSize()>>10)
			fmt.Fprintf(tw, "OSV records\t%d (%d withdrawn, never matched)\n", st.Records, st.Withdrawn)
			fmt.Fprintf(tw, "listed names\t%d\n", st.Listed)
			fmt.Fprintf(tw, "packages\t%d\n", st.Packages)
			if !st.Newest.IsZero() {
				fmt.Fprintf(tw, "newest record\t%s (%s old)\n", st.Newest.Format(time.DateOnly), ageOf(st.Newest))
			}
			fmt.Fprintf(tw, "sources\t%s\n", strings.Join(st.Sources, ", "))
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// ageOf says how long ago t was, in days.
func ageOf(t time.Time) string {
	d := int(time.Since(t).Hours() / 24)
	if d == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", d)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
