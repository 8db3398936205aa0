package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/analyze"
)

func newRules(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the analysis rules",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := analyze.AllRules()
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tDESCRIPTION")
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
