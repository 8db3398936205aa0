package cli

import (
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
			return analyze.RuleFormats[formatName(asJSON)](g.stdout, analyze.AllRules())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
