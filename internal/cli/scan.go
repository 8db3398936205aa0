package cli

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/report"
)

type scanFlags struct {
	format     string
	jobs       int
	failOn     string
	noProgress bool
	staticOnly bool
	context    int

	maxArtifact byteSize
	maxTotal    byteSize
	maxFile     byteSize
	maxEntries  int
	maxRatio    float64
	maxDepth    int
}

func newScan(g *globals) *cobra.Command {
	d := artifact.DefaultLimits()
	f := &scanFlags{
		maxArtifact: byteSize(d.MaxArtifactBytes), maxTotal: byteSize(d.MaxTotalBytes), maxFile: byteSize(d.MaxFileBytes),
		maxEntries: d.MaxEntries, maxRatio: d.MaxRatio, maxDepth: d.MaxDepth,
	}
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Read distributions and report what they hold",
		Long: `Scan reads each PATH without executing or extracting anything: an sdist
(.tar.gz, .tgz, .tar.bz2, .tar.xz, .tar, .zip), a wheel, an egg, a single .py
file, or a project directory (one holding setup.py, pyproject.toml or
PKG-INFO). Any other directory is searched for those.

Each artifact's code is analysed statically: when it runs (install, startup,
import, runtime), what it does (processes, network, decoded payloads,
secrets, persistence...), and a verdict — malicious, suspicious or clean —
with the findings behind it. The packing is checked too: escaping paths,
links, devices, duplicate names, sizes and hashes that lie, hidden data.
Limits stop an artifact that would cost too much to read; the rest go on.

Exit status: 0 no verdict at or above --fail-on, 3 one is, 1 an artifact
could not be read, 2 usage error.`,
		Args: minArgs(1, "at least one PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+report.Formats.List())
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.GOMAXPROCS(0), "artifacts read in parallel")
	fl.StringVar(&f.failOn, "fail-on", "suspicious", "exit 3 when a verdict is at least: malicious, suspicious or never")
	fl.BoolVar(&f.staticOnly, "static-only", false, "use nothing but the artifacts' own bytes (no database, no network)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "never draw a progress bar")
	fl.IntVarP(&f.context, "context", "C", 0, "show this many lines of code before and after each finding of a flagged artifact")
	fl.Var(&f.maxArtifact, artifact.LimitArtifactBytes, "largest artifact file read")
	fl.Var(&f.maxTotal, artifact.LimitTotalBytes, "most uncompressed bytes read from one artifact, nested archives included")
	fl.Var(&f.maxFile, artifact.LimitFileBytes, "largest single entry read")
	fl.IntVar(&f.maxEntries, artifact.LimitEntries, f.maxEntries, "most entries read from one artifact")
	fl.Float64Var(&f.maxRatio, artifact.LimitRatio, f.maxRatio, "highest uncompressed:compressed ratio (zip-bomb guard)")
	fl.IntVar(&f.maxDepth, "max-depth", f.maxDepth, "levels of archives inside archives to open")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats.Names(), cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"malicious", "suspicious", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runScan(ctx context.Context, g *globals, f *scanFlags, args []string) error {
	enc, err := report.New(f.format, g.stdout)
	if err != nil {
		return &usageError{err}
	}
	failOn, err := failThreshold(f.failOn)
	if err != nil {
		return err
	}
	if f.jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	if f.maxDepth == 0 {
		f.maxDepth = -1 // the library reads zero as "default"
	}
	opts := artifact.Options{Limits: artifact.Limits{
		MaxArtifactBytes: int64(f.maxArtifact), MaxTotalBytes: int64(f.maxTotal), MaxFileBytes: int64(f.maxFile),
		MaxEntries: f.maxEntries, MaxRatio: f.maxRatio, MaxDepth: f.maxDepth,
	}}
	paths, skipped, err := artifact.DiscoverAll(args)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintf(g.stderr, "warning: not scanned: %s\n", s)
	}
	if len(paths) == 0 {
		links := ""
		if len(skipped) > 0 {
			links = fmt.Sprintf(" (%s not followed; name the files they point to)", pluralLinks(len(skipped)))
		}
		return fmt.Errorf("nothing to scan in %s: no artifacts found%s", strings.Join(args, ", "), links)
	}
	var known knownbad.Store
	if !f.staticOnly {
		db, _, done, err := g.knownBad()
		if err != nil {
			return fmt.Errorf("known-malicious database: %w", err)
		}
		defer done()
		known = db
	}
	start := time.Now()
	bar := newProgress(g.stderr, len(paths), !f.noProgress)
	totals := report.Totals{Skipped: len(skipped)}
	findings := false
	err = scan.All(ctx, scan.Paths(paths), f.jobs, scan.Config{Options: opts, Known: known, Excerpt: f.context}, func(r *scan.Result, err error) error {
		if err != nil {
			slog.Warn("scan", "error", err)
		}
		bar.increment()
		totals.Add(r)
		if failOn(r.Verdict) {
			findings = true
		}
		return enc.Result(r)
	})
	bar.wait()
	if err != nil {
		return err
	}
	if err := enc.Close(totals); err != nil {
		return err
	}
	slog.Info("scan finished", "artifacts", totals.Artifacts, "files", totals.Files,
		"bytes", totals.Bytes, "unreadable", totals.Failed, "elapsed", time.Since(start).Round(time.Millisecond))
	switch {
	case totals.Failed > 0:
		return fmt.Errorf("%d of %d artifacts could not be read completely", totals.Failed, totals.Artifacts)
	case findings:
		return errFindings
	}
	return nil
}

func pluralLinks(n int) string {
	if n == 1 {
		return "1 symbolic link"
	}
	return fmt.Sprintf("%d symbolic links", n)
}

// failThreshold parses --fail-on into a test on verdicts.
func failThreshold(v string) (func(analyze.Verdict) bool, error) {
	switch v {
	case "malicious":
		return func(x analyze.Verdict) bool { return x == analyze.Malicious }, nil
	case "suspicious":
		return func(x analyze.Verdict) bool { return x == analyze.Malicious || x == analyze.Suspicious }, nil
	case "never":
		return func(analyze.Verdict) bool { return false }, nil
	}
	return nil, usagef("--fail-on %q: want malicious, suspicious or never", v)
}
