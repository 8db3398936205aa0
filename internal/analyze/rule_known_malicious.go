package analyze

// knownMalicious: what a database of known-malicious packages names. It
// is checked by KnownMalicious, which the caller runs with the database
// it opened; Analyze has none.
type knownMalicious struct{}

var _ describedRule = (*knownMalicious)(nil)

func (knownMalicious) Info() RuleInfo {
	return RuleInfo{ID: "known-malicious", Severity: Critical,
		Description: "The package at this version, the artifact's SHA-256, or a file a record names as evidence (by SHA-256, under any name) is in the known-malicious database (OSV MAL- records, known-malicious lists). Not used with --static-only."}
}
