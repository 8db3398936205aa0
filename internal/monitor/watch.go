package monitor

import (
	"context"
	"fmt"
	"sort"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Dependencies turns what a project's files declare into the dependencies
// the monitor matches: packages resolved on an index (a URL, VCS or path
// dependency never comes from PyPI), with their pin or range and where
// they are declared.
func Dependencies(inv *deps.Inventory) []store.Dependency {
	var out []store.Dependency
	for _, p := range inv.Packages {
		if p.Name == "" || (p.Source.Kind != "" && p.Source.Kind != "index") {
			continue
		}
		if inv.Root != nil && p.Name == inv.Root.Name && p.Version == inv.Root.Version {
			continue
		}
		d := store.Dependency{Name: p.Name, Version: p.Version, Direct: p.Direct, Scope: p.Scope, File: p.File, Line: p.Line}
		if d.Version == "" {
			d.Spec = p.Specifier
		}
		if d.Scope == "" {
			d.Scope = "main"
		}
		out = append(out, d)
	}
	return out
}

// Register records a project to watch with its dependencies and raises, in
// the same transaction, the alerts for what is known about them already:
// known-malicious records and stored verdicts. It returns those alerts.
func Register(ctx context.Context, st *store.Store, known knownbad.Store, p store.Project, ds []store.Dependency) ([]store.Alert, error) {
	var added []store.Alert
	err := st.InTx(ctx, func(tx *store.Tx) error {
		added = nil
		if err := tx.PutProject(ctx, p, ds); err != nil {
			return err
		}
		m := &matcher{r: tx}
		var rs []raise
		seen := map[[2]string]bool{}
		for _, d := range ds {
			key := [2]string{d.Name, d.Version}
			if seen[key] {
				continue
			}
			seen[key] = true
			if known != nil {
				ms, err := known.Lookup(ctx, d.Name, d.Version)
				if err != nil {
					return fmt.Errorf("known-malicious lookup of %s: %w", d.Name, err)
				}
				for _, k := range ms {
					r, err := m.knownRaises(ctx, d.Name, d.Version, k)
					if err != nil {
						return err
					}
					rs = append(rs, r...)
				}
			}
			vs, err := st.ProjectVerdicts(ctx, d.Name, 0)
			if err != nil {
				return err
			}
			for i := range vs {
				r, err := m.verdictRaises(ctx, d.Name, vs[i].Version, &vs[i])
				if err != nil {
					return err
				}
				rs = append(rs, r...)
			}
		}
		for _, r := range rs {
			if r.alert.Project != p.Name {
				continue // another project's alert, raised when that news arrived
			}
			ok, err := tx.AddAlert(ctx, r.alert, r.targets)
			if err != nil {
				return err
			}
			if ok {
				added = append(added, r.alert)
			}
		}
		return nil
	})
	sort.Slice(added, func(i, j int) bool { return added[i].ID < added[j].ID })
	return added, err
}
