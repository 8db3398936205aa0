package cli

import (
	"bytes"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/eval"
)

func newEval(g *globals) *cobra.Command {
	var malicious, benign []string
	var jobs int
	var verbose bool
	var verdicts string
	cmd := &cobra.Command{
		Use:   "eval --malicious DIR --benign DIR...",
		Short: "Measure detection and speed on labelled corpora",
		Long: `Eval analyses every artifact under each --malicious and --benign directory
(static analysis only) and reports per corpus: counts by verdict, recall or
false-positive rate, throughput, the slowest artifacts, hits per rule, and
each miss and false positive with its top finding; then one summary line
per corpus. --verdicts writes each artifact's verdict and the rules that
found something, one line each, for a file kept under version control.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(malicious)+len(benign) == 0 {
				return usagef("eval needs at least one --malicious or --benign directory")
			}
			var corpora []eval.Corpus
			for _, d := range malicious {
				corpora = append(corpora, eval.Corpus{Name: filepath.Base(filepath.Clean(d)), Dir: d, Malicious: true})
			}
			for _, d := range benign {
				corpora = append(corpora, eval.Corpus{Name: filepath.Base(filepath.Clean(d)), Dir: d})
			}
			stats, err := eval.Run(cmd.Context(), corpora, jobs)
			if err != nil {
				return err
			}
			eval.Report(g.stdout, stats, verbose)
			if verdicts == "" {
				return nil
			}
			var buf bytes.Buffer
			if err := eval.WriteVerdicts(&buf, stats); err != nil {
				return err
			}
			return writeFileAtomic(verdicts, buf.Bytes())
		},
	}
	cmd.Flags().StringArrayVar(&malicious, "malicious", nil, "directory of malicious artifacts (repeatable)")
	cmd.Flags().StringArrayVar(&benign, "benign", nil, "directory of benign artifacts (repeatable)")
	cmd.Flags().IntVarP(&jobs, "jobs", "j", runtime.GOMAXPROCS(0), "artifacts analysed in parallel")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also list benign artifacts called suspicious")
	cmd.Flags().StringVar(&verdicts, "verdicts", "", "write each artifact's verdict and rules to this file")
	return cmd
}
