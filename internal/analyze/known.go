package analyze

import (
	"context"
	"encoding/hex"
	"path"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/knownbad"
)

// KnownMalicious looks the artifact up in a known-malicious database, by
// name and version, by its SHA-256, and by the SHA-256 of each file in it
// (records name the files that were evidence), and returns a critical
// finding for each record or list that names it.
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
	fileMatches, err := knownFiles(ctx, a, db, "")
	if err != nil {
		return nil, err
	}
	for _, fm := range fileMatches {
		if key := fm.m.ID + "\x00file"; !seen[key] {
			seen[key] = true
			out = append(out, Finding{Rule: info.ID, Severity: Critical, base: Critical, Confidence: "high", Context: Install,
				File: fm.file, Message: "holds a file that " + fm.m.ID + " names as evidence: " + fm.m.Summary, Evidence: []string{fm.m.ID}})
		}
	}
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

// maxHashedFile bounds the files hashed to look for evidence files.
const maxHashedFile = 16 << 20

type fileMatch struct {
	file string
	m    knownbad.Match
}

// knownFiles hashes the artifact's files, nested archives included, and
// looks them up among the evidence files records name; only when the
// database has any.
func knownFiles(ctx context.Context, a *artifact.Artifact, db knownbad.Store, prefix string) ([]fileMatch, error) {
	if h, ok := db.(interface{ HasFileHashes(context.Context) bool }); !ok || !h.HasFileHashes(ctx) {
		return nil, nil
	}
	var out []fileMatch
	for _, f := range a.Files {
		if f.Type != artifact.TypeRegular || f.Size > maxHashedFile {
			continue
		}
		sum := f.SHA256()
		ms, err := db.LookupHash(ctx, hex.EncodeToString(sum[:]))
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out = append(out, fileMatch{prefix + f.Path, m})
		}
	}
	for _, n := range a.Nested {
		more, err := knownFiles(ctx, n, db, prefix+n.Path+"!/")
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}
