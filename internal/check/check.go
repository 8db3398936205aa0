// Package check audits a dependency inventory: packages known to be
// malicious, names that imitate popular projects, dependencies that would
// run code at install time (only an sdist is locked), versions shaped like
// a dependency-confusion attack, and requirements left unpinned or
// unhashed. It reads the inventory and the databases; it fetches nothing.
package check

import (
	"github.com/safeguard-dev/safeguard/internal/severity"

	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// Finding is one thing wrong with one dependency.
type Finding struct {
	Kind     string         `json:"kind"` // known-malicious, typosquat, install-time-code, dependency-confusion, unpinned, unhashed
	Severity severity.Level `json:"severity"`
	Package  string         `json:"package"`
	Version  string         `json:"version,omitempty"`
	File     string         `json:"file"`
	Line     int            `json:"line,omitempty"`
	Message  string         `json:"message"`
	// Ref is what the finding points at: the record id for known-malicious
	// (MAL-...), the imitated project for typosquat.
	Ref string `json:"ref,omitempty"`
}

// Report is the audit of an inventory.
type Report struct {
	// Files are the dependency files read.
	Files    []string  `json:"files"`
	Packages int       `json:"packages"`
	Findings []Finding `json:"findings"`
	Problems []string  `json:"problems,omitempty"`
}

// Worst returns the highest severity found, or 0.
func (r *Report) Worst() severity.Level {
	w := severity.Info
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// Run audits inv against the known-malicious database db.
func Run(ctx context.Context, inv *deps.Inventory, db knownbad.Store) (*Report, error) {
	rep := &Report{Files: inv.Files}
	seen := map[string]bool{}
	for _, p := range inv.Problems {
		rep.Problems = append(rep.Problems, p.Error())
	}
	for _, p := range inv.Packages {
		key := p.Name + "\x00" + p.Version + "\x00" + p.File + "\x00" + strconv.Itoa(p.Line)
		if p.Name == "" || seen[key] {
			continue
		}
		seen[key] = true
		rep.Packages++
		add := func(kind string, sev severity.Level, msg string, ref ...string) {
			f := Finding{Kind: kind, Severity: sev, Package: p.Name, Version: p.Version, File: p.File, Line: p.Line, Message: msg}
			if len(ref) > 0 {
				f.Ref = ref[0]
			}
			rep.Findings = append(rep.Findings, f)
		}
		ms, err := db.Lookup(ctx, p.Name, p.Version)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			id := m.ID
			if id == "" {
				id = m.Source
			}
			add("known-malicious", severity.Critical, fmt.Sprintf("known malicious (%s): %s", id, m.Summary), id)
		}
		// A name matters when it is resolved on an index; a URL or path is
		// chosen by whoever wrote it.
		if m, ok := typosquat.Check(p.Name); ok && p.Source.Kind == "index" {
			sev, msg := typosquatSeverity(p, m)
			add("typosquat", sev, msg, m.Name)
		}
		if sdistOnly(p) {
			add("install-time-code", severity.Medium, "only a source distribution is locked: installing it runs its setup code")
		}
		// A popular project's versions are its own (pywin32 311).
		if _, popular := typosquat.Popular(p.Name); !popular && confusionShaped(p.Version) {
			add("dependency-confusion", severity.Medium, fmt.Sprintf("version %s is shaped like a dependency-confusion upload", p.Version))
		}
		if p.Scope != "constraint" && p.Version == "" && p.Source.Kind == "index" && isRequirementsFile(p.File) {
			add("unpinned", severity.Low, "not pinned to a version: each install may get a different one")
		}
		if inv.Options.RequireHashes && isRequirementsFile(p.File) && len(p.Hashes) == 0 && p.Scope != "constraint" {
			add("unhashed", severity.Medium, "no --hash although the file requires hashes")
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.File < b.File || a.File == b.File && a.Line < b.Line
	})
	return rep, nil
}

// sdistOnly reports a locked package whose only distribution is an sdist.
func sdistOnly(p deps.Package) bool {
	if len(p.Files) == 0 {
		return false
	}
	for _, f := range p.Files {
		if f.Kind == "wheel" {
			return false
		}
	}
	return true
}

// confusionShaped reports the absurd majors dependency-confusion uploads
// use to win version resolution over an internal package (99.0, 999.9.9).
func confusionShaped(v string) bool {
	major, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	return err == nil && n >= 99 && n < 1900 // not a calendar version
}

func isRequirementsFile(f string) bool { return strings.HasSuffix(f, ".txt") }
