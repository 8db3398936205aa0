// Package cli implements the safeguard command line: the cobra command
// tree, flag parsing, logging set-up and the mapping of errors to exit
// codes. Commands are thin; the work is done by the domain packages.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
	"github.com/spf13/cobra"
)

// Main runs the command line with the process's arguments and returns the
// exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !silent(err) {
		fmt.Fprintf(os.Stderr, "safeguard: %v\n", err)
	}
	return exitCode(err)
}

// Run runs the command line with args, writing to stdout and stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root, g := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	// Cobra skips the post-run hook when the command fails, and commands
	// fail on purpose (scan's --fail-on): write the profile anyway.
	if perr := g.stopProfile(); err == nil {
		err = perr
	}
	return err
}

// globals are the flags every command has.
type globals struct {
	logLevel   string
	logFormat  string
	cpuProfile string
	profile    *os.File
	dataDir    string
	stdout     io.Writer
	stderr     io.Writer
}

func newRoot(stdout, stderr io.Writer) (*cobra.Command, *globals) {
	g := &globals{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "safeguard",
		Short: "Find malicious Python packages before they run",
		Long: "Safeguard reads Python distributions (sdists, wheels, eggs, project directories)\n" +
			"without executing them and reports what they hold and how they are packed.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := g.setupLogging(); err != nil {
				return err
			}
			return g.startProfile()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format: text or json (one object per line)")
	root.PersistentFlags().StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile to this file (for developers)")
	root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", defaultDataDir(), "where local state lives (the updated known-malicious database)")
	root.AddCommand(newVersion(g), newScan(g), newEval(g), newRules(g), newDB(g), newCheck(g), newSBOM(g), newProxy(g), newPip(g),
		newServe(g), newWatch(g), newAlerts(g), newToken(g))
	return root, g
}

func (g *globals) setupLogging() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return usagef("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "text":
		slog.SetDefault(slog.New(slog.NewTextHandler(g.stderr, opts)))
	case "json":
		slog.SetDefault(slog.New(slog.NewJSONHandler(g.stderr, opts)))
	default:
		return usagef("--log-format %q: want text or json", g.logFormat)
	}
	return nil
}

// noArgs rejects stray arguments and unknown commands as usage errors.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q; see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return nil
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s needs %s; see %s --help", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this build",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(g.stdout, buildinfo.String())
			return err
		},
	}
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s; see %s --help", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}
