package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
	"github.com/safeguard-dev/safeguard/internal/httpserve"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/proxy"
	"github.com/safeguard-dev/safeguard/internal/scan"
	"github.com/safeguard-dev/safeguard/internal/server"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/web"
)

// The parts `safeguard serve` can run, each switchable with --role.
var serveRoles = []string{"follower", "worker", "sender", "web"}

type serveFlags struct {
	listen  string
	db      string
	pypiURL string
	poll    time.Duration
	since   int64
	scanAll string
	roles   string
	workers int
	index   bool
	policy  string
	osvURL  string
	osvEach time.Duration
	lease   time.Duration
	timeout time.Duration
	// publicRead shows the dashboard's pages without signing in.
	publicRead bool

	allowFileHosts, allowNotifyHosts []string
}

func newServe(g *globals) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Watch PyPI: scan every upload and alert the projects that depend on it",
		Long: `Serve follows PyPI's journal of uploads, scans each new file with the same
analysis as 'safeguard scan', and alerts the watched projects (safeguard watch
add) when a dependency they can install turns malicious, is yanked, removed or
quarantined, or is imitated by a flagged new project: by signed webhook, Slack
or e-mail, retried until delivered. One process hosts every part; --role picks
some of them (follower, worker, sender, web), so several processes can share
one PostgreSQL store (--db postgres://...).

The web part serves, on --listen: the dashboard (/, signed in with a token
from 'safeguard token create', or open to read with --public-read), the JSON
API (/api/v1/, with the same tokens; described at /api/v1/openapi.json), the
scanning index (/simple/, as 'safeguard proxy'), the OSV API (/v1/),
/-/health and /-/metrics.

A kill at any point loses nothing: the journal cursor moves in the
transaction that records the work it implies, jobs and deliveries are leased
(renewed while they run) and taken again within --lease when their process
dies.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), g, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address the web part listens on")
	fl.StringVar(&f.db, "db", "", "store: a postgres:// URL, or an SQLite file (default DATA_DIR/safeguard.db)")
	fl.StringVar(&f.pypiURL, "pypi-url", "https://pypi.org", "PyPI (XML-RPC journal at /pypi, JSON API, simple index at /simple/)")
	fl.DurationVar(&f.poll, "poll", monitor.DefaultPoll, "pause between journal reads once caught up")
	fl.Int64Var(&f.since, "since", -1, "on first start, read the journal after this serial (default: from now)")
	fl.StringVar(&f.scanAll, "scan", "all", "which new files to scan: all, or watched (names watched projects depend on, and names imitating them)")
	fl.StringVar(&f.roles, "role", "all", "parts to run: all, or a comma-separated list of "+strings.Join(serveRoles, ", "))
	fl.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "scan workers in this process")
	fl.BoolVar(&f.index, "index", true, "serve the scanning index at /simple/ (web part)")
	fl.StringVar(&f.policy, "policy", "", "the index's policy file (TOML), as for safeguard proxy")
	fl.StringArrayVar(&f.allowFileHosts, "allow-file-host", nil, "also fetch PyPI files from this HOST, HOST:PORT, IP or CIDR range, even when it is not a global address (repeatable)")
	fl.StringArrayVar(&f.allowNotifyHosts, "allow-notify-host", nil, "also send notifications to this HOST, IP or CIDR range when it is link-local (repeatable)")
	fl.StringVar(&f.osvURL, "osv-url", knownbad.DefaultURL, "where the known-malicious data is updated from (as db update --from)")
	fl.BoolVar(&f.publicRead, "public-read", false, "show the dashboard's pages to anyone who can reach --listen, without signing in (changes still need an admin token)")
	fl.DurationVar(&f.osvEach, "osv-every", time.Hour, "how often the follower updates the known-malicious data and alerts on new records (0: never)")
	fl.DurationVar(&f.lease, "lease", monitor.DefaultLease, "how soon a job or delivery of a process that died is taken again (live processes renew theirs every third of it)")
	fl.DurationVar(&f.timeout, "job-timeout", monitor.DefaultTimeout, "the longest one file's download and scan may take")
	return cmd
}

// roleSet parses --role.
func roleSet(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		switch {
		case r == "all":
			for _, x := range serveRoles {
				out[x] = true
			}
		case slices.Contains(serveRoles, r):
			out[r] = true
		default:
			return nil, usagef("--role %q: want all or some of %s", r, strings.Join(serveRoles, ", "))
		}
	}
	return out, nil
}

// storeDSN is the store of the monitor's commands.
func storeDSN(g *globals, db string) string {
	if db != "" {
		return db
	}
	return filepath.Join(g.dataDir, "safeguard.db")
}

func runServe(ctx context.Context, g *globals, f *serveFlags) error {
	roles, err := roleSet(f.roles)
	if err != nil {
		return err
	}
	if f.lease < time.Second || f.timeout < time.Second {
		return usagef("--lease and --job-timeout: at least 1s")
	}
	if f.scanAll != "all" && f.scanAll != "watched" {
		return usagef("--scan %q: want all or watched", f.scanAll)
	}
	if f.workers < 1 {
		return usagef("--workers must be at least 1")
	}
	if err := os.MkdirAll(g.dataDir, 0o755); err != nil {
		return err
	}
	st, err := store.Open(ctx, storeDSN(g, f.db))
	if err != nil {
		return err
	}
	defer st.Close()
	inUse, what, done, err := g.knownBad()
	if err != nil {
		return err
	}
	defer done()
	known := knownbad.NewLive(inUse)
	log := slog.Default()
	pypiClient, err := monitor.PyPIClient(f.pypiURL, f.allowFileHosts)
	if err != nil {
		return usagef("%v", err)
	}
	pypiClient.UserAgent = "safeguard/" + buildinfo.Version
	notifyConfig, err := monitor.NotifyConfig(f.allowNotifyHosts)
	if err != nil {
		return usagef("%v", err)
	}
	metrics := monitor.NewMetrics()
	lag := &followerLag{metrics: metrics}

	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 4+f.workers)
	start := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	host, _ := os.Hostname()
	if roles["follower"] {
		// One process of those sharing the store follows PyPI and
		// updates the known-malicious data; the others wait to take over.
		fol := &monitor.Follower{Store: st, Journal: pypiClient, Poll: f.poll, Since: f.since, Logger: log, OnBatch: metrics.Batch, OnLag: lag.set}
		var u *monitor.KnownUpdater
		if f.osvEach > 0 {
			u = g.knownUpdater(st, known, f.osvURL, f.osvEach)
			u.Logger = log
		}
		start("follower", func(ctx context.Context) error {
			return st.Lead(ctx, "follower", log, metrics.Leading, func(ctx context.Context) error {
				ctx, stop := context.WithCancel(ctx) // either part failing stops both; Lead tries again
				defer stop()
				var parts sync.WaitGroup
				var ferr, uerr error
				parts.Go(func() { ferr = fol.Run(ctx); stop() })
				if u != nil {
					parts.Go(func() { uerr = u.Run(ctx); stop() })
				}
				parts.Wait()
				return errors.Join(ferr, uerr)
			})
		})
	}
	if roles["worker"] {
		w := &monitor.Worker{Store: st, Index: pypiClient, Scan: scan.Config{Known: known, Excerpt: scan.StoredExcerpt}, ScanAll: f.scanAll == "all", Lease: f.lease, Timeout: f.timeout,
			Engine: buildinfo.Version, ID: processID(host), Workers: f.workers, Logger: log, OnScan: metrics.Scan, Scanning: metrics.Scanning}
		start("worker", w.Run)
	}
	if roles["sender"] {
		s := &monitor.Sender{Store: st, Notify: notifyConfig, Lease: f.lease, Logger: log, OnAttempt: metrics.Attempt}
		start("sender", s.Run)
	}
	if roles["web"] {
		opt := server.Options{Store: st, Known: known, OSV: knownbad.NewAPI(known), Logger: log,
			Metrics: []func(io.Writer){func(w io.Writer) { metrics.Write(w, st) }},
			Web:     web.New(web.Options{Store: st, Known: known, PublicRead: f.publicRead, Redact: server.Redacted, FollowerLag: lag.get, Logger: log})}
		if f.index {
			idx, closeIndex, err := serveIndex(ctx, g, f, st, known)
			if err != nil {
				return err
			}
			defer closeIndex()
			opt.Index = idx.Handler()
			opt.Metrics = append(opt.Metrics, idx.WriteMetrics)
		}
		ln, err := net.Listen("tcp", f.listen)
		if err != nil {
			return fmt.Errorf("listen on %q (choose another address with --listen): %w", f.listen, err)
		}
		parts := "dashboard /, API /api/v1/, OSV /v1/"
		if f.index {
			parts = "dashboard /, API /api/v1/, index /simple/, OSV /v1/"
		}
		fmt.Fprintf(g.stderr, "safeguard serve: http://%s (%s); store %s, queue %s; known-malicious data from the %s; roles %s\n",
			ln.Addr(), parts, st.Backend(), st.QueueEngine(), what, f.roles)
		h := server.New(opt)
		start("web", func(ctx context.Context) error {
			return httpserve.Serve(ctx, ln, h, 10*time.Second, httpserve.Limits{})
		})
	}
	if !roles["web"] {
		fmt.Fprintf(g.stderr, "safeguard serve: store %s, queue %s; known-malicious data from the %s; roles %s\n",
			st.Backend(), st.QueueEngine(), what, f.roles)
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// serveIndex builds the scanning index over the service's store, so that
// a file scanned by the index or the monitor is never scanned again.
func serveIndex(ctx context.Context, g *globals, f *serveFlags, st *store.Store, known knownbad.Store) (*proxy.Server, func(), error) {
	policy, err := proxy.LoadPolicy(f.policy)
	if err != nil {
		return nil, nil, err
	}
	up, err := proxy.NewUpstream(strings.TrimSuffix(f.pypiURL, "/")+"/simple/", 30*time.Second, f.allowFileHosts...)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	cache, err := proxy.OpenCache(filepath.Join(g.dataDir, "cache"))
	if err != nil {
		return nil, nil, err
	}
	s := proxy.New(proxy.Options{Upstream: up, Cache: cache, Store: st, Known: known, Policy: policy,
		Engine: buildinfo.Version, Logger: slog.Default(), MaxFileBytes: 1 << 30})
	return s, s.Close, nil
}

// followerLag keeps the follower's lag for the dashboard, and passes it
// on to the metrics.
type followerLag struct {
	metrics *monitor.Metrics
	ns      atomic.Int64
	known   atomic.Bool
}

func (l *followerLag) set(behind time.Duration) {
	l.metrics.Lag(behind)
	l.ns.Store(int64(behind))
	l.known.Store(true)
}

func (l *followerLag) get() (time.Duration, bool) {
	return time.Duration(l.ns.Load()), l.known.Load()
}

// processID names this process in job claims: host and PID, and a random
// part, because containers of one image share a host name and PID 1.
func processID(host string) string {
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}
