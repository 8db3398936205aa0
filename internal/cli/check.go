package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

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
			threshold, ok := check.ParseSeverity(failOn)
			if !ok && failOn != "never" {
				return usagef("--fail-on %q: want critical, high, medium, low or never", failOn)
			}
			if format != "text" && format != "json" && format != "sarif" {
				return usagef("--format %q: want text, json or sarif", format)
			}
			inv, rep, _, done, err := g.audit(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer done()
			if format == "sarif" {
				err = check.WriteSARIF(g.stdout, rep)
			} else if format == "json" {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				err = enc.Encode(struct {
					Files []string `json:"files"`
					*check.Report
				}{inv.Files, rep})
			} else {
				err = writeCheckText(g.stdout, inv, rep)
			}
			if err != nil {
				return err
			}
			if failOn != "never" && rep.Worst() >= threshold {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json or sarif")
	cmd.Flags().StringVar(&failOn, "fail-on", "high", "exit 3 when a finding is at least: critical, high, medium, low or never")
	return cmd
}

func writeCheckText(w io.Writer, inv *deps.Inventory, rep *check.Report) error {
	worst := rep.Worst()
	switch {
	case worst >= check.Critical:
		fmt.Fprintf(w, "DANGER: %d dependencies read from %s; a known-malicious package is among them\n", rep.Packages, strings.Join(inv.Files, ", "))
	case len(rep.Findings) > 0:
		fmt.Fprintf(w, "%d findings in %d dependencies read from %s (worst: %s)\n", len(rep.Findings), rep.Packages, strings.Join(inv.Files, ", "), worst)
	default:
		fmt.Fprintf(w, "ok: nothing found in %d dependencies read from %s\n", rep.Packages, strings.Join(inv.Files, ", "))
	}
	for _, f := range rep.Findings {
		spec := f.Package
		if f.Version != "" {
			spec += "==" + f.Version
		}
		fmt.Fprintf(w, "  [%s] %s %s (%s:%d): %s\n", f.Severity, f.Kind, spec, f.File, f.Line, f.Message)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
	return nil
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
