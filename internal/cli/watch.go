package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/server"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// withStore opens the monitor's store for one command.
func (g *globals) withStore(ctx context.Context, db string, fn func(*store.Store) error) error {
	dsn := storeDSN(g, db)
	if !store.IsPostgres(dsn) {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

// monitorFlags choose where watch and alerts go: the store, or a server.
type monitorFlags struct {
	db, server, token string
}

func (f *monitorFlags) register(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&f.db, "db", "", "store: a postgres:// URL, or an SQLite file (default DATA_DIR/safeguard.db)")
	cmd.PersistentFlags().StringVar(&f.server, "server", "", "ask a safeguard serve at this URL instead of the store (token: --token or $SAFEGUARD_TOKEN)")
	cmd.PersistentFlags().StringVar(&f.token, "token", "", "API token for --server (default $SAFEGUARD_TOKEN)")
}

// with runs fn against the chosen monitor.
func (f *monitorFlags) with(ctx context.Context, g *globals, fn func(server.Monitor) error) error {
	if f.server != "" {
		tok := f.token
		if tok == "" {
			tok = os.Getenv("SAFEGUARD_TOKEN")
		}
		if tok == "" {
			return usagef("--server needs a token: --token or $SAFEGUARD_TOKEN (safeguard token create on the server's store)")
		}
		return fn(&server.Remote{URL: f.server, Token: tok})
	}
	known, _, done, err := g.knownBad()
	if err != nil {
		return err
	}
	defer done()
	return g.withStore(ctx, f.db, func(st *store.Store) error { return fn(&server.Local{Store: st, Known: known}) })
}

func newWatch(g *globals) *cobra.Command {
	f := &monitorFlags{}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Register the projects safeguard serve alerts about",
		Long: "Watch registers projects with the monitor's store (the one safeguard serve\n" +
			"uses: --db, default DATA_DIR/safeguard.db): their dependencies, read from\n" +
			"anything check reads or a CycloneDX or SPDX JSON SBOM, and where to send\n" +
			"alerts. Registering raises at once the alerts for what is known already.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	f.register(cmd)
	cmd.AddCommand(newWatchAdd(g, f), newWatchList(g, f), newWatchShow(g, f), newWatchRemove(g, f))
	return cmd
}

func newWatchAdd(g *globals, f *monitorFlags) *cobra.Command {
	var reg server.Registration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add PATH --project NAME",
		Short: "Watch a project's dependencies (exit 3 when alerts are raised at once)",
		Long: "Add reads PATH's dependencies and registers them under --project (again:\n" +
			"replaces them). --notify targets, repeatable:\n" +
			"  webhook:https://...   JSON signed per Standard Webhooks (a whsec_ secret is\n" +
			"                        made unless --webhook-secret gives one)\n" +
			"  slack:https://hooks.slack.com/...\n" +
			"  smtp://user:pass@host:587?from=a@x&to=b@y   (smtps:// for implicit TLS)",
		Args: exactArgs(1, "one PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reg.Name == "" {
				return usagef("--project NAME is required")
			}
			if _, _, err := server.ProjectOptions(reg.Name, reg.Notify, reg.WebhookSecret, reg.Suspicious); err != nil {
				return usagef("%v", err)
			}
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				out, err := m.Register(cmd.Context(), reg, args[0])
				if err != nil {
					return err
				}
				if err := server.RegisteredFormats[formatName(asJSON)](g.stdout, *out); err != nil {
					return err
				}
				if len(out.Alerts) > 0 {
					return errFindings
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reg.Name, "project", "", "the project's name")
	cmd.Flags().StringArrayVar(&reg.Notify, "notify", nil, "where to send alerts (repeatable): webhook:URL, slack:URL, smtp://...")
	cmd.Flags().StringVar(&reg.WebhookSecret, "webhook-secret", "", "whsec_ secret webhooks are signed with (default: a new one, printed once)")
	cmd.Flags().BoolVar(&reg.Suspicious, "suspicious", false, "alert on suspicious verdicts too, not only malicious")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newWatchList(g *globals, f *monitorFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the watched projects",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				ps, err := m.Projects(cmd.Context())
				if err != nil {
					return err
				}
				return server.ProjectListFormats[formatName(asJSON)](g.stdout, ps)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newWatchShow(g *globals, f *monitorFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a watched project: its dependencies and alerts",
		Args:  exactArgs(1, "one project NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				v, err := m.Project(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("%s: not a watched project (see safeguard watch list)", args[0])
				}
				if err != nil {
					return err
				}
				return server.ProjectFormats[formatName(asJSON)](g.stdout, *v)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newWatchRemove(g *globals, f *monitorFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Stop watching a project (its alerts are kept)",
		Args:  exactArgs(1, "one project NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				err := m.RemoveProject(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("%s: not a watched project (see safeguard watch list)", args[0])
				}
				if err == nil {
					fmt.Fprintf(g.stdout, "no longer watching %s\n", args[0])
				}
				return err
			})
		},
	}
}

func newAlerts(g *globals) *cobra.Command {
	f := &monitorFlags{}
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "The alerts safeguard serve raised, and their delivery",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	f.register(cmd)
	var project string
	var limit int
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List alerts, newest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				as, err := m.Alerts(cmd.Context(), store.AlertFilter{Project: project, Limit: limit})
				if err != nil {
					return err
				}
				return server.AlertListFormats[formatName(asJSON)](g.stdout, as)
			})
		},
	}
	list.Flags().StringVar(&project, "project", "", "only this project's")
	list.Flags().IntVarP(&limit, "limit", "n", 50, "how many")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show an alert with every delivery attempt",
		Args:  exactArgs(1, "one alert ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd.Context(), g, func(m server.Monitor) error {
				v, err := m.Alert(cmd.Context(), args[0])
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("%s: no such alert (see safeguard alerts list)", args[0])
				}
				if err != nil {
					return err
				}
				return server.AlertFormats[formatName(asJSON)](g.stdout, *v)
			})
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	test := &cobra.Command{
		Use:   "test PROJECT",
		Short: "Send a test message to each of a project's targets now (exit 1 if one fails)",
		Args:  exactArgs(1, "one project NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(cmd.Context(), f.db, func(st *store.Store) error {
				return sendTest(cmd.Context(), g, st, args[0])
			})
		},
	}
	cmd.AddCommand(list, show, test)
	return cmd
}

// sendTest sends a test message to every target of a project.
func sendTest(ctx context.Context, g *globals, st *store.Store, project string) error {
	p, _, err := st.Project(ctx, project)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: not a watched project (see safeguard watch list)", project)
	}
	if err != nil {
		return err
	}
	if len(p.Options.Notify) == 0 {
		return fmt.Errorf("%s has no notification targets (safeguard watch add --notify)", project)
	}
	msg := notify.Message{ID: fmt.Sprintf("test-%d", time.Now().UnixNano()), Type: notify.TypeTest, Time: time.Now().UTC(), Project: project,
		Summary: "Safeguard test message: alerts for " + project + " will arrive here."}
	cfg, err := monitor.NotifyConfig(nil)
	if err != nil {
		return err
	}
	cfg.WebhookSecret = p.Options.WebhookSecret
	failed := 0
	for _, spec := range p.Options.Notify {
		t, err := notify.Parse(spec)
		if err != nil {
			fmt.Fprintf(g.stdout, "unreadable target: %v\n", err)
			failed++
			continue
		}
		a := t.Send(ctx, cfg, msg)
		if a.Delivered {
			fmt.Fprintf(g.stdout, "%s: delivered (%d) in %s\n", t, a.Status, a.Duration.Round(time.Millisecond))
		} else {
			fmt.Fprintf(g.stdout, "%s: failed: %s\n", t, a.Error)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d targets failed", failed, len(p.Options.Notify))
	}
	return nil
}

func newToken(g *globals) *cobra.Command {
	var db, role, name string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "API tokens of safeguard serve",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "store: a postgres:// URL, or an SQLite file (default DATA_DIR/safeguard.db)")
	create := &cobra.Command{
		Use:   "create",
		Short: "Make a token and print it (it is kept only as a hash: save it now)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(cmd.Context(), db, func(st *store.Store) error {
				tok, err := st.CreateToken(cmd.Context(), name, role)
				if err != nil {
					return usagef("%v", err)
				}
				_, err = fmt.Fprintln(g.stdout, tok)
				return err
			})
		},
	}
	create.Flags().StringVar(&role, "role", store.RoleRead, "read (look) or admin (also register projects)")
	create.Flags().StringVar(&name, "name", "default", "a name to list and revoke it by")
	revoke := &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke every token of a name",
		Args:  exactArgs(1, "one token NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(cmd.Context(), db, func(st *store.Store) error {
				n, err := st.RevokeTokens(cmd.Context(), args[0])
				if err == nil {
					fmt.Fprintf(g.stdout, "revoked %d tokens named %s\n", n, args[0])
				}
				return err
			})
		},
	}
	cmd.AddCommand(create, revoke)
	return cmd
}
