package cli

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/sbom"
)

func newSBOM(g *globals) *cobra.Command {
	var format, specVersion, output string
	var randomSerial, timestamp, noScan bool
	cmd := &cobra.Command{
		Use:   "sbom PATH",
		Short: "Write a CycloneDX or SPDX SBOM of a project, environment or artifact",
		Long: "Sbom reads what check reads (a project's dependency files, one such file,\n" +
			"a virtualenv or site-packages, or one wheel or sdist) and writes a software\n" +
			"bill of materials: CycloneDX 1.4-1.7 (JSON or XML) or SPDX 2.3 (JSON or\n" +
			"tag-value). Components carry purls, the hashes and files locks record,\n" +
			"licences, scopes, where they were declared and the dependency graph; what\n" +
			"Safeguard knows about their risk (known-malicious, typosquat-of, install-time\n" +
			"code, and for an artifact its scan verdict) is in safeguard: properties.\n" +
			"Output is reproducible: the serial number is derived from the content and no\n" +
			"timestamp is written unless asked for (SPDX, which requires a creation date,\n" +
			"gets 1970-01-01 then).",
		Args: exactArgs(1, "one PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, ok := sbom.CycloneDXVersions[specVersion]; !ok {
				return usagef("--spec-version %q: want 1.4, 1.5, 1.6 or 1.7", specVersion)
			}
			enc, err := sbom.Formats.Get(format)
			if err != nil {
				return &usageError{err}
			}
			target := args[0]
			inv, rep, db, done, err := g.audit(cmd.Context(), target)
			if err != nil {
				return err
			}
			defer done()
			// Without a name from metadata, the subject is the project
			// directory (of a dependency file given alone).
			name, _ := filepath.Abs(target)
			st, err := os.Stat(target)
			if err != nil {
				return err
			}
			if !st.IsDir() {
				name = filepath.Dir(name)
			}
			doc := sbom.Build(inv, rep, filepath.Base(name))
			if !st.IsDir() && inv.Root != nil && !noScan && len(inv.Root.Files) > 0 {
				r, err := scan.One(cmd.Context(), scan.Input{Path: target}, scan.Config{Known: db})
				if err != nil {
					slog.Warn("scan", "error", err)
				}
				doc.SetVerdict(string(r.Verdict))
			}
			meta := sbom.Meta{RandomSerial: randomSerial, SpecVersion: specVersion}
			if timestamp {
				meta.Timestamp = time.Now()
			}
			var buf bytes.Buffer
			if err := enc.Encode(&buf, doc, meta); err != nil {
				return err
			}
			for _, p := range inv.Problems {
				slog.Warn("dependency file problem", "problem", p.Error())
			}
			if output == "" || output == "-" {
				_, err = g.stdout.Write(buf.Bytes())
				return err
			}
			return writeFileAtomic(output, buf.Bytes())
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "cyclonedx-json", sbom.Formats.List())
	cmd.Flags().StringVar(&specVersion, "spec-version", sbom.DefaultSpecVersion, "CycloneDX version: 1.4, 1.5, 1.6 or 1.7")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().BoolVar(&randomSerial, "random-serial", false, "a random serial number (and SPDX namespace) instead of one derived from the content")
	cmd.Flags().BoolVar(&timestamp, "timestamp", false, "record the time of writing")
	cmd.Flags().BoolVar(&noScan, "no-scan", false, "for a wheel or sdist, do not scan it for its verdict")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(sbom.Formats.Names(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so a failed write leaves any earlier file whole.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp's 0600 is for the temporary name only
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
