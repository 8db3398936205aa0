package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/proxy"
)

// bypassFlags are installer options that would fetch from somewhere other
// than the scanning index.
var bypassFlags = []string{"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-index"}

func newPip(g *globals) *cobra.Command {
	f := &proxyFlags{}
	var python string
	var allowSdist bool
	cmd := &cobra.Command{
		Use:   "pip [flags] -- PIP-ARGS...",
		Short: "Run pip with every download going through a scanning index",
		Long: `Pip starts the scanning index in this process on a loopback port and runs the
real pip (python3 -m pip, or --python's) with its index pointed at it, so pip
can only install files Safeguard has fetched, verified, scanned and allowed.
Unless --allow-sdist is given, pip gets --only-binary :all: as well: an sdist
runs its build code when installed, before anything could look at what it
builds. Pip's own configuration files are ignored (PIP_CONFIG_FILE=/dev/null):
an index or find-links set there would bypass the scan.

Every file Safeguard kept from pip is listed at the end. Exit status: pip's
when it failed, 3 when it succeeded but something was blocked on the way
(pip may have fallen back to an older version), 0 otherwise.

  safeguard pip -- install requests
  safeguard pip --python .venv/bin/python --policy policy.toml -- install -r requirements.txt`,
		Args: minArgs(1, "pip's arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				for _, b := range bypassFlags {
					if a == b || strings.HasPrefix(a, b+"=") {
						return usagef("%s would let pip fetch around the scanning index; remove it (use --upstream for another index)", a)
					}
				}
			}
			var mu sync.Mutex
			blocked := map[string]string{}
			note := func(_ string, filename string, d proxy.Decision) {
				if d.Allow {
					return
				}
				mu.Lock()
				blocked[filename] = fmt.Sprintf("%s (rule %s): %s", filename, d.Rule, d.Reason)
				mu.Unlock()
			}
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			if g.logLevel == "debug" || g.logLevel == "info" {
				logger = slog.Default()
			}
			s, closeAll, err := f.build(cmd.Context(), g, proxy.Options{OnRemoved: note, OnDecision: note, Logger: logger})
			if err != nil {
				return err
			}
			defer closeAll()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			ctx, stop := context.WithCancel(context.WithoutCancel(cmd.Context()))
			served := make(chan error, 1)
			go func() { served <- proxy.Serve(ctx, ln, s, 5*time.Second) }()
			defer func() { stop(); <-served }()

			pipArgs := append([]string{"-m", "pip"}, args...)
			if len(args) > 0 && (args[0] == "install" || args[0] == "download" || args[0] == "wheel") {
				pipArgs = append(pipArgs, "--index-url", "http://"+ln.Addr().String()+"/simple/")
				if !allowSdist {
					pipArgs = append(pipArgs, "--only-binary", ":all:")
				}
			}
			run := exec.CommandContext(cmd.Context(), python, pipArgs...)
			run.Stdout, run.Stderr, run.Stdin = g.stdout, g.stderr, os.Stdin
			run.Env = append(os.Environ(), "PIP_CONFIG_FILE="+os.DevNull)
			runErr := run.Run()
			names := make([]string, 0, len(blocked))
			for n := range blocked {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Fprintf(g.stderr, "safeguard: blocked %s\n", blocked[n])
			}
			var ee *exec.ExitError
			switch {
			case errors.As(runErr, &ee):
				return exitStatus(ee.ExitCode())
			case runErr != nil:
				return fmt.Errorf("run %s: %w", python, runErr)
			case len(blocked) > 0:
				return errFindings
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&python, "python", "python3", "the Python whose pip runs")
	cmd.Flags().BoolVar(&allowSdist, "allow-sdist", false, "let pip install from sdists (they run build code at install)")
	return cmd
}
