package cli

import (
	"context"

	"github.com/safeguard-dev/safeguard/internal/severity"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/check"
	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

func newCheck(g *globals) *cobra.Command {
	var format, failOn string
	cmd := &cobra.Command{
		Use:   "check PATH",
		Short: "Audit a project's dependencies (exit 3 on findings at or above --fail-on)",
		Long: "Check reads a project's dependency files (requirements*.txt, pyproject.toml,\n" +
			"setup.cfg, uv.lock, poetry.lock, Pipfile.lock, pdm.lock, pylock.toml) or one\n" +
			"such file, and reports dependencies that are known to be malicious, names that\n" +
			"imitate popular projects, packages that would run code at install time (only\n" +
			"an sdist is locked), dependency-confusion versions, and unpinned or unhashed\n" +
			"requirements.",
		Args: exactArgs(1, "one PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold, err := severity.Parse(failOn)
			if (err != nil || threshold == severity.Info) && failOn != "never" {
				return usagef("--fail-on %q: want critical, high, medium, low or never", failOn)
			}
			enc, err := check.Formats.Get(format)
			if err != nil {
				return &usageError{err}
			}
			_, rep, _, done, err := g.audit(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer done()
			if err := enc.Encode(g.stdout, rep); err != nil {
				return err
			}
			if failOn != "never" && rep.Worst() >= threshold {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+check.Formats.List())
	cmd.Flags().StringVar(&failOn, "fail-on", "high", "exit 3 when a finding is at least: critical, high, medium, low or never")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(check.Formats.Names(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// audit reads target's dependencies and checks them. The known-malicious
// database stays open for the caller until done is called.
func (g *globals) audit(ctx context.Context, target string) (*deps.Inventory, *check.Report, knownbad.Store, func(), error) {
	inv, err := deps.Collect(ctx, target)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	db, _, done, err := g.knownBad()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	rep, err := check.Run(ctx, inv, db)
	if err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	return inv, rep, db, done, nil
}
