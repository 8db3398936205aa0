package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
	"github.com/safeguard-dev/safeguard/internal/proxy"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// proxyFlags configure the scanning index, for `proxy` and `pip`.
type proxyFlags struct {
	upstream        string
	policy          string
	db              string
	pageTTL         time.Duration
	upstreamTimeout time.Duration
	maxFile         byteSize
	allowFileHosts  []string
}

func (f *proxyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.upstream, "upstream", "https://pypi.org/simple/", "the simple index to front (PEP 503 or 691)")
	cmd.Flags().StringVar(&f.policy, "policy", "", "policy file (TOML); default: block malicious, known-malicious and typosquats")
	cmd.Flags().StringVar(&f.db, "db", "", "store: a postgres:// URL, or an SQLite file (default DATA_DIR/proxy.db)")
	cmd.Flags().DurationVar(&f.pageTTL, "page-ttl", time.Minute, "how long an upstream project page is reused")
	cmd.Flags().DurationVar(&f.upstreamTimeout, "upstream-timeout", 30*time.Second, "time to wait for upstream's response headers")
	f.maxFile = 1 << 30
	cmd.Flags().Var(&f.maxFile, "max-file-bytes", "largest file fetched and scanned")
	cmd.Flags().StringSliceVar(&f.allowFileHosts, "allow-file-host", nil, "also fetch files from this HOST, HOST:PORT, IP or CIDR range, even at a private or loopback address (repeatable)")
}

// storeDSN is the store the flags name.
func (f *proxyFlags) storeDSN(g *globals) string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(g.dataDir, "proxy.db")
}

// build opens everything a proxy needs; close releases it.
func (f *proxyFlags) build(ctx context.Context, g *globals, opt proxy.Options) (*proxy.Server, func(), error) {
	policy, err := proxy.LoadPolicy(f.policy)
	if err != nil {
		return nil, nil, err
	}
	up, err := proxy.NewUpstream(f.upstream, f.upstreamTimeout, f.allowFileHosts...)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	if err := os.MkdirAll(g.dataDir, 0o755); err != nil {
		return nil, nil, err
	}
	cache, err := proxy.OpenCache(filepath.Join(g.dataDir, "cache"))
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, f.storeDSN(g))
	if err != nil {
		return nil, nil, err
	}
	known, _, done, err := g.knownBad()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	opt.Upstream, opt.Cache, opt.Store, opt.Known, opt.Policy = up, cache, st, known, policy
	opt.PageTTL, opt.MaxFileBytes, opt.Engine = f.pageTTL, int64(f.maxFile), buildinfo.Version
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	s := proxy.New(opt)
	return s, func() { s.Close(); done(); st.Close() }, nil
}

func newProxy(g *globals) *cobra.Command {
	f := &proxyFlags{}
	var listen string
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Serve a scanning package index in front of PyPI",
		Long: `Proxy serves a simple package index (PEP 503 HTML and PEP 691 JSON) in front of
--upstream. Every file is fetched once into a content-addressed cache under the
data directory, verified against the upstream hash, scanned, and served only if
the policy allows it; a blocked file leaves its project page and is refused with
403 and the reason. Point installers at it:

  pip install --index-url http://HOST:PORT/simple/ PACKAGE
  uv pip install --index-url http://HOST:PORT/simple/ PACKAGE

/-/health and /-/metrics (Prometheus) are served too. SIGINT or SIGTERM shuts
down gracefully. Logs (access and decisions) go to stderr; --log-level info.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, closeAll, err := f.build(cmd.Context(), g, proxy.Options{})
			if err != nil {
				return err
			}
			defer closeAll()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "safeguard proxy: serving http://%s/simple/ (upstream %s)\n", ln.Addr(), f.upstream)
			return proxy.Serve(cmd.Context(), ln, s, 15*time.Second)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on")
	f.register(cmd)
	cmd.AddCommand(newProxyDecisions(g, f))
	return cmd
}

func newProxyDecisions(g *globals, f *proxyFlags) *cobra.Command {
	var project, action, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "decisions",
		Short: "List the proxy's recent allow and block decisions",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			write, err := proxy.DecisionFormats.Get(format)
			if err != nil {
				return &usageError{err}
			}
			if action != "" && action != "allow" && action != "block" {
				return usagef("--action %q: want allow or block", action)
			}
			st, err := store.Open(cmd.Context(), f.storeDSN(g))
			if err != nil {
				return err
			}
			defer st.Close()
			ds, err := st.Decisions(cmd.Context(), store.DecisionFilter{Project: project, Action: action, Limit: limit})
			if err != nil {
				return err
			}
			return write(g.stdout, ds)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "only this project")
	cmd.Flags().StringVar(&action, "action", "", "only allow or block")
	cmd.Flags().IntVarP(&limit, "limit", "n", 50, "how many, newest first")
	cmd.Flags().StringVarP(&format, "format", "f", "text", proxy.DecisionFormats.List())
	cmd.Flags().StringVar(&f.db, "db", "", "store: a postgres:// URL, or an SQLite file (default DATA_DIR/proxy.db)")
	return cmd
}
