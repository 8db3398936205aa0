package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/monitor"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Monitor is what `safeguard watch` and `safeguard alerts` ask of the
// monitor: its store directly (Local), or a server's API (Remote). The
// API's handlers are Local's methods over HTTP, so both answer alike.
type Monitor interface {
	// Register watches a project: its dependency files from path (a
	// directory, a file, an environment or an artifact), or, with path
	// "", from reg.Files.
	Register(ctx context.Context, reg Registration, path string) (*Registered, error)
	Projects(ctx context.Context) ([]store.Project, error)
	Project(ctx context.Context, name string) (*ProjectView, error)
	RemoveProject(ctx context.Context, name string) error
	Alerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error)
	Alert(ctx context.Context, id string) (*AlertView, error)
}

// ErrBadRequest wraps what a registration got wrong (the API answers 400).
var ErrBadRequest = errors.New("bad request")

// Local is the monitor's store, asked directly.
type Local struct {
	Store *store.Store
	Known knownbad.Store
}

var _ Monitor = (*Local)(nil)

// Register implements Monitor.
func (l *Local) Register(ctx context.Context, reg Registration, path string) (*Registered, error) {
	opts, made, err := ProjectOptions(reg.Name, reg.Notify, reg.WebhookSecret, reg.Suspicious)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if path == "" {
		dir, err := writeFiles(reg.Files)
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		path = dir
		if len(reg.Files) == 1 {
			for name := range reg.Files {
				path = filepath.Join(dir, name) // a single file is read whatever its name
			}
		}
	}
	inv, err := deps.Collect(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%w: dependency files: %v", ErrBadRequest, err)
	}
	ds := monitor.Dependencies(inv)
	p := store.Project{Name: reg.Name, Source: strings.Join(inv.Files, ", "), Options: opts}
	alerts, err := monitor.Register(ctx, l.Store, l.Known, p, ds)
	if err != nil {
		return nil, err
	}
	out := &Registered{Project: p, Dependencies: orEmpty(ds), Alerts: orEmpty(alerts)}
	out.Project.Options = Redacted(opts)
	for _, pr := range inv.Problems {
		out.Problems = append(out.Problems, pr.Error())
	}
	if made {
		out.WebhookSecret = opts.WebhookSecret
	}
	return out, nil
}

// writeFiles writes a registration's files, by plain name, into a new
// temporary directory.
func writeFiles(files map[string]string) (string, error) {
	if len(files) == 0 || len(files) > maxFiles {
		return "", fmt.Errorf("%w: files: want 1 to %d dependency files by name", ErrBadRequest, maxFiles)
	}
	for name := range files {
		if name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, "\\\x00") {
			return "", fmt.Errorf("%w: file name %q: want a plain file name", ErrBadRequest, name)
		}
	}
	dir, err := os.MkdirTemp("", "safeguard-register-*")
	if err != nil {
		return "", err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// Projects implements Monitor.
func (l *Local) Projects(ctx context.Context) ([]store.Project, error) {
	ps, err := l.Store.Projects(ctx)
	for i := range ps {
		ps[i].Options = Redacted(ps[i].Options)
	}
	return orEmpty(ps), err
}

// Project implements Monitor; store.ErrNotFound when not watched.
func (l *Local) Project(ctx context.Context, name string) (*ProjectView, error) {
	p, ds, err := l.Store.Project(ctx, name)
	if err != nil {
		return nil, err
	}
	alerts, err := l.Store.Alerts(ctx, store.AlertFilter{Project: name})
	if err != nil {
		return nil, err
	}
	p.Options = Redacted(p.Options)
	return &ProjectView{*p, orEmpty(ds), orEmpty(alerts)}, nil
}

// RemoveProject implements Monitor.
func (l *Local) RemoveProject(ctx context.Context, name string) error {
	return l.Store.RemoveProject(ctx, name)
}

// Alerts implements Monitor.
func (l *Local) Alerts(ctx context.Context, f store.AlertFilter) ([]store.Alert, error) {
	as, err := l.Store.Alerts(ctx, f)
	return orEmpty(as), err
}

// Alert implements Monitor.
func (l *Local) Alert(ctx context.Context, id string) (*AlertView, error) {
	a, ds, attempts, err := l.Store.Alert(ctx, id)
	if err != nil {
		return nil, err
	}
	return &AlertView{*a, orEmpty(ds), attempts}, nil
}
