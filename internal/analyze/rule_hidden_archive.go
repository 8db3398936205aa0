package analyze

import (
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// hiddenArchive: an archive appended after the distribution's own.
type hiddenArchive struct{}

var _ AnomalyRule = (*hiddenArchive)(nil)

func (hiddenArchive) Info() RuleInfo {
	return RuleInfo{ID: "hidden-archive", Severity: Medium,
		Description: "Another archive is hidden after the end of the distribution's archive, where installers do not look."}
}

// CheckAnomaly reports trailing data that is another tar archive; one
// that holds Python code is worse.
func (x hiddenArchive) CheckAnomaly(a *artifact.Artifact, an artifact.Anomaly, prefix string) (Finding, bool) {
	if isHostile(an) || an.Kind != artifact.TrailingData || !strings.Contains(an.Detail, "another tar archive") {
		return Finding{}, false
	}
	// Code hidden where installers do not look, but other readers might.
	sev, msg := Medium, an.Detail
	if hiddenCode(a) {
		sev, msg = High, an.Detail+", and it holds Python code"
	}
	return Finding{Rule: x.Info().ID, Severity: sev, base: sev, Confidence: "high",
		Context: Install, File: first(strings.TrimSuffix(prefix, "!/"), path.Base(a.Path)), Message: msg}, true
}

// hiddenCode reports an appended archive of a that holds Python files.
func hiddenCode(a *artifact.Artifact) bool {
	for _, n := range a.Nested {
		if !strings.Contains(n.Path, "(appended") {
			continue
		}
		for _, f := range n.Files {
			if strings.HasSuffix(f.Path, ".py") {
				return true
			}
		}
	}
	return false
}
