package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Project is a project the monitor watches for its users.
type Project struct {
	Name string `json:"name"`
	// Source names the file its dependencies were read from.
	Source  string         `json:"source"`
	Options ProjectOptions `json:"options"`
	Created time.Time      `json:"created"`
	Updated time.Time      `json:"updated"`
}

// ProjectOptions are how a project wants to be told.
type ProjectOptions struct {
	// Notify are the notification targets (webhook:URL, slack:URL,
	// smtp://...). They may hold credentials: never log them whole.
	Notify []string `json:"notify,omitempty"`
	// WebhookSecret signs webhook deliveries (whsec_...).
	WebhookSecret string `json:"webhook_secret,omitempty"`
	// Suspicious asks for alerts on suspicious verdicts too.
	Suspicious bool `json:"suspicious,omitempty"`
}

// Dependency is one dependency of a watched project, where it declares it.
type Dependency struct {
	Project string `json:"project,omitempty"`
	Name    string `json:"name"`              // normalised
	Version string `json:"version,omitempty"` // the pinned version, if pinned
	Spec    string `json:"spec,omitempty"`    // the range, if not pinned
	Direct  bool   `json:"direct"`
	Scope   string `json:"scope"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
}

// PutProject registers a project or replaces its options and dependencies.
func (t *Tx) PutProject(ctx context.Context, p Project, deps []Dependency) error {
	opts, err := json.Marshal(p.Options)
	if err != nil {
		return err
	}
	now := millis(time.Now())
	if _, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO projects (name, source, options, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET source = excluded.source, options = excluded.options, updated_at = excluded.updated_at`),
		p.Name, p.Source, string(opts), now, now); err != nil {
		return fmt.Errorf("store: put project %s: %w", p.Name, err)
	}
	if _, err := t.tx.ExecContext(ctx, t.s.q(`DELETE FROM project_deps WHERE project = ?`), p.Name); err != nil {
		return fmt.Errorf("store: put project %s: %w", p.Name, err)
	}
	for _, d := range deps {
		if _, err := t.tx.ExecContext(ctx, t.s.q(`INSERT INTO project_deps (project, name, version, spec, direct, scope, file, line)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
			p.Name, d.Name, d.Version, d.Spec, boolInt(d.Direct), d.Scope, d.File, d.Line); err != nil {
			return fmt.Errorf("store: dependency %s of %s: %w", d.Name, p.Name, err)
		}
	}
	return nil
}

// Project returns a watched project and its dependencies, or ErrNotFound.
func (s *Store) Project(ctx context.Context, name string) (*Project, []Dependency, error) {
	return project(ctx, s, s.db, name)
}

// Project is Store.Project inside the transaction.
func (t *Tx) Project(ctx context.Context, name string) (*Project, []Dependency, error) {
	return project(ctx, t.s, t.tx, name)
}

func project(ctx context.Context, s *Store, q querier, name string) (*Project, []Dependency, error) {
	p, err := scanProject(q.QueryRowContext(ctx, s.q(`SELECT `+projectColumns+` FROM projects WHERE name = ?`), name).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: project %s: %w", name, err)
	}
	deps, err := s.deps(ctx, q, `project = ?`, name)
	return p, deps, err
}

// Projects lists the watched projects by name.
func (s *Store) Projects(ctx context.Context) ([]Project, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: projects: %w", err)
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		p, err := scanProject(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("store: projects: %w", err)
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

const projectColumns = `name, source, options, created_at, updated_at`

// scanProject reads a row of projectColumns.
func scanProject(scan func(...any) error) (*Project, error) {
	var p Project
	var opts string
	var created, updated int64
	if err := scan(&p.Name, &p.Source, &opts, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(opts), &p.Options); err != nil {
		return nil, fmt.Errorf("project %s options: %w", p.Name, err)
	}
	p.Created, p.Updated = fromMillis(created), fromMillis(updated)
	return &p, nil
}

// RemoveProject stops watching a project; its alerts stay.
func (s *Store) RemoveProject(ctx context.Context, name string) error {
	return s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, s.q(`DELETE FROM projects WHERE name = ?`), name)
		if err != nil {
			return fmt.Errorf("store: remove project %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = tx.tx.ExecContext(ctx, s.q(`DELETE FROM project_deps WHERE project = ?`), name)
		return err
	})
}

// Dependents returns every watched project's dependency on name.
func (s *Store) Dependents(ctx context.Context, name string) ([]Dependency, error) {
	return s.deps(ctx, s.db, `name = ?`, name)
}

// Dependents is Store.Dependents inside the transaction.
func (t *Tx) Dependents(ctx context.Context, name string) ([]Dependency, error) {
	return t.s.deps(ctx, t.tx, `name = ?`, name)
}

// WatchedNames returns the distinct names watched projects depend on.
func (s *Store) WatchedNames(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT name FROM project_deps ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: watched names: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (s *Store) deps(ctx context.Context, q querier, where string, arg any) ([]Dependency, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT project, name, version, spec, direct, scope, file, line FROM project_deps WHERE `+where+` ORDER BY project, name, file, line`), arg)
	if err != nil {
		return nil, fmt.Errorf("store: dependencies: %w", err)
	}
	defer rows.Close()
	var out []Dependency
	for rows.Next() {
		var d Dependency
		var direct int
		if err := rows.Scan(&d.Project, &d.Name, &d.Version, &d.Spec, &direct, &d.Scope, &d.File, &d.Line); err != nil {
			return nil, err
		}
		d.Direct = direct != 0
		out = append(out, d)
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
