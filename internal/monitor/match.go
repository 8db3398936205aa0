package monitor

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/pep440"
	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// raise is an alert to record, with the targets it goes to.
type raise struct {
	alert   store.Alert
	targets []string
}

// reader is what matching reads: the store, or a transaction on it (so
// that a registration and the alerts it raises commit together).
type reader interface {
	Dependents(ctx context.Context, name string) ([]store.Dependency, error)
	Project(ctx context.Context, name string) (*store.Project, []store.Dependency, error)
}

// matcher finds the watched projects a piece of news concerns.
type matcher struct {
	r reader
}

// affected groups by project the dependents of name that concern news
// about version: those for which concerns holds (canInstall when nil);
// every dependent when version is "".
func (m *matcher) affected(ctx context.Context, name, version string, concerns func(store.Dependency, string) bool) (map[string][]store.Dependency, error) {
	deps, err := m.r.Dependents(ctx, name)
	if err != nil {
		return nil, err
	}
	if concerns == nil {
		concerns = canInstall
	}
	out := map[string][]store.Dependency{}
	for _, d := range deps {
		if version == "" || concerns(d, version) {
			out[d.Project] = append(out[d.Project], d)
		}
	}
	return out, nil
}

// pins reports a dependency pinned to version: what a yank or removal
// concerns (a range moves on to another release).
func pins(d store.Dependency, version string) bool { return d.Version != "" && canInstall(d, version) }

// canInstall reports whether a dependency, as declared, lets an install
// take version: its pin is that version, or its range holds it.
func canInstall(d store.Dependency, version string) bool {
	if d.Version != "" {
		a, errA := pep440.Parse(d.Version)
		b, errB := pep440.Parse(version)
		if errA != nil || errB != nil {
			return d.Version == version
		}
		return a.Equal(b)
	}
	if d.Spec == "" {
		return true
	}
	spec, err := pep508.ParseSpecifier(d.Spec)
	if err != nil {
		return true // a range we cannot read: warn rather than stay silent
	}
	return spec.Contains(version, false)
}

// raises turns news about name at version into an alert per affected
// project. concerns picks the dependencies it is about (nil: those that
// can install version); build fills the body; wants says whether a
// project asks for this kind of news.
func (m *matcher) raises(ctx context.Context, name, version string, concerns func(store.Dependency, string) bool, build func(b *Body, deps []store.Dependency), wants func(store.ProjectOptions) bool) ([]raise, error) {
	byProject, err := m.affected(ctx, name, version, concerns)
	if err != nil {
		return nil, err
	}
	var out []raise
	for project, deps := range byProject {
		p, _, err := m.r.Project(ctx, project)
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", project, err)
		}
		if wants != nil && !wants(p.Options) {
			continue
		}
		b := Body{Project: project, Dependency: name, Version: version}
		build(&b, deps)
		a, err := newAlert(b, deps)
		if err != nil {
			return nil, err
		}
		var targets []string
		for _, spec := range p.Options.Notify {
			targets = append(targets, TargetID(spec))
		}
		out = append(out, raise{a, targets})
	}
	return out, nil
}

// verdictRaises are the alerts a verdict on a file of name at version
// raises: malicious always, suspicious for projects that ask.
func (m *matcher) verdictRaises(ctx context.Context, name, version string, v *store.Verdict) ([]raise, error) {
	kind := v.Verdict
	if kind != KindMalicious && kind != KindSuspicious {
		return nil, nil
	}
	var findings []analyze.Finding
	json.Unmarshal(v.Findings, &findings)
	reason := Reason{Verdict: v.Verdict, Score: v.Score, Filename: v.Filename, SHA256: v.SHA256}
	for i, f := range findings {
		if i == 5 || f.Severity < analyze.Medium {
			break
		}
		reason.Findings = append(reason.Findings, Finding{Rule: f.Rule, Severity: f.Severity.String(), File: f.File, Line: f.Line, Snippet: f.Snippet, Message: f.Message})
	}
	return m.raises(ctx, name, version, nil, func(b *Body, deps []store.Dependency) {
		b.Kind, b.Reason = kind, reason
		b.Summary = fmt.Sprintf("%s %s (%s) was scanned %s", name, version, v.Filename, kind)
		b.Advice = advice(kind, name, version, deps[0].Version != "")
	}, func(o store.ProjectOptions) bool { return kind == KindMalicious || o.Suspicious })
}

// releaseRaises are the alerts a yank, removal or quarantine raises for
// the projects that pin that version (or, for a quarantine, depend on the
// project at all: version "").
func (m *matcher) releaseRaises(ctx context.Context, kind, name, version, detail string) ([]raise, error) {
	return m.raises(ctx, name, version, pins, func(b *Body, deps []store.Dependency) {
		b.Kind, b.Reason = kind, Reason{Detail: detail}
		if version == "" {
			b.Summary = fmt.Sprintf("PyPI %s %s", kind, name)
		} else {
			b.Summary = fmt.Sprintf("%s %s was %s on PyPI", name, version, kind)
		}
		b.Advice = advice(kind, name, version, true)
	}, nil)
}

// knownRaises are the alerts a known-malicious record about name (at
// version, or "" for a record that names no version) raises.
func (m *matcher) knownRaises(ctx context.Context, name, version string, k knownbad.Match) ([]raise, error) {
	record := k.ID
	if record == "" {
		record = k.Source
	}
	return m.raises(ctx, name, version, nil, func(b *Body, deps []store.Dependency) {
		b.Kind, b.Reason = KindKnownMalicious, Reason{Record: record, Detail: k.Summary}
		if version == "" {
			b.Summary = fmt.Sprintf("%s is known to be malicious (%s)", name, record)
		} else {
			b.Summary = fmt.Sprintf("%s %s is known to be malicious (%s)", name, version, record)
		}
		b.Advice = advice(KindKnownMalicious, name, version, deps[0].Version != "")
	}, nil)
}

// typosquatRaises are the alerts a flagged file of a project whose name
// imitates a watched dependency raises, for every project that depends on
// the imitated name.
func (m *matcher) typosquatRaises(ctx context.Context, name, version, imitated string, v *store.Verdict) ([]raise, error) {
	rs, err := m.raises(ctx, imitated, "", nil, func(b *Body, deps []store.Dependency) {
		b.Dependency, b.Version, b.Kind = name, version, KindTyposquat
		b.Reason = Reason{Verdict: v.Verdict, Score: v.Score, Filename: v.Filename, SHA256: v.SHA256, Imitates: imitated}
		b.Summary = fmt.Sprintf("%s, a name like your dependency %s, was scanned %s (%s)", name, imitated, v.Verdict, v.Filename)
		b.Advice = advice(KindTyposquat, name, version, false)
	}, nil)
	return rs, err
}
