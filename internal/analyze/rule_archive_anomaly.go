package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/severity"
)

// archiveAnomaly: an archive packed the way hostile archives are.
type archiveAnomaly struct{}

var _ AnomalyRule = (*archiveAnomaly)(nil)

func (archiveAnomaly) Info() RuleInfo {
	return RuleInfo{ID: "archive-anomaly", Severity: High,
		Description: "The archive is packed the way hostile archives are (paths escaping it, links out of it, devices); see docs/anomalies.md."}
}

// CheckAnomaly reports a hostile anomaly.
func (x archiveAnomaly) CheckAnomaly(_ *artifact.Artifact, an artifact.Anomaly, prefix string) (Finding, bool) {
	if !isHostile(an) {
		return Finding{}, false
	}
	sev, ctx := High, Install
	if prefix != "" {
		// An archive inside the package is never unpacked by installing
		// it: its layout harms only code that extracts it, and an
		// archive of hostile paths is what tests of extraction keep.
		sev, ctx = Medium, Runtime
		if isTestPath(prefix) {
			sev, ctx = Low, Test
		}
	}
	return Finding{Rule: x.Info().ID, Severity: sev, base: High, Confidence: "high",
		Context: ctx, File: prefix + an.Entry, Message: strings.TrimSuffix(an.Kind+": "+an.Detail, ": ")}, true
}

// isHostile reports the anomalies archive-anomaly reports: those of high
// severity, except sizes, checksums and RECORD entries that do not match.
func isHostile(an artifact.Anomaly) bool {
	return an.Severity >= severity.High && an.Kind != artifact.SizeMismatch && an.Kind != artifact.ChecksumMismatch &&
		an.Kind != artifact.RecordHashMismatch && an.Kind != artifact.RecordSizeMismatch
}
