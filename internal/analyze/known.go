package analyze

import (
	"context"
	"path"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// KnownMalicious looks the artifact up in a known-malicious database, by
// name and version and by SHA-256, and returns a critical finding for each
// record or list that names it.
func KnownMalicious(ctx context.Context, a *artifact.Artifact, db knownbad.Store) ([]Finding, error) {
	var ms []knownbad.Match
	if name := a.Name(); name != "" {
		m, err := db.Lookup(ctx, name, a.Version())
		if err != nil {
			return nil, err
		}
		ms = append(ms, m...)
	}
	if a.SHA256 != "" {
		m, err := db.LookupHash(ctx, a.SHA256)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m...)
	}
	info := ruleInfo("known-malicious")
	var out []Finding
	seen := map[string]bool{}
	for _, m := range ms {
		key := m.ID + "\x00" + m.Source
		if seen[key] {
			continue
		}
		seen[key] = true
		who := m.ID
		if who == "" {
			who = m.Source
		}
		out = append(out, Finding{Rule: info.ID, Severity: Critical, base: Critical, Confidence: "high", Context: Install,
			File: path.Base(a.Path), Message: "known malicious (" + who + "): " + m.Summary, Evidence: []string{who}})
	}
	return out, nil
}

// AddFindings adds findings to a result and weighs the verdict again.
func (r *Result) AddFindings(fs ...Finding) {
	if len(fs) == 0 {
		return
	}
	r.Findings = append(r.Findings, fs...)
	sortFindings(r.Findings)
	r.Verdict, r.Score = verdict(r.Findings)
}
