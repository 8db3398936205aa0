package check

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
)

// Kinds describes each kind of finding, in the order SARIF lists them.
var Kinds = []struct{ ID, Description string }{
	{"known-malicious", "The package, at this version, is in the known-malicious database (OSV MAL- records, known-malicious lists)."},
	{"typosquat", "The name imitates one of the 15,000 most-downloaded PyPI projects: one edit away, separators changed, a py/python affix, or look-alike characters."},
	{"install-time-code", "Only a source distribution is locked: installing it runs the package's build code."},
	{"dependency-confusion", "The version is shaped like a dependency-confusion upload (an absurd major such as 99 or 999)."},
	{"unpinned", "The requirement is not pinned to one version: each install may resolve differently."},
	{"unhashed", "The requirements file requires hashes, but this requirement has none."},
}

// WriteSARIF writes the report as one SARIF 2.1.0 log. Results point at
// the dependency file and line; fingerprints stay the same while the kind,
// package, version and file do.
func WriteSARIF(w io.Writer, rep *Report) error {
	type text struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription text   `json:"shortDescription"`
		Help             text   `json:"help"`
	}
	type region struct {
		StartLine int `json:"startLine"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *region `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             text              `json:"message"`
		Locations           []location        `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	var rules []rule
	index := map[string]int{}
	for i, k := range Kinds {
		rules = append(rules, rule{k.ID, text{k.Description}, text{k.Description}})
		index[k.ID] = i
	}
	results := []result{}
	for _, f := range rep.Findings {
		level := map[Severity]string{Critical: "error", High: "error", Medium: "warning", Low: "note"}[f.Severity]
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = f.File
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &region{StartLine: f.Line}
		}
		sum := sha256.Sum256([]byte(f.Kind + "\x00" + f.Package + "\x00" + f.Version + "\x00" + f.File))
		results = append(results, result{RuleID: f.Kind, RuleIndex: index[f.Kind], Level: level,
			Message: text{f.Package + versionSuffix(f.Version) + ": " + f.Message}, Locations: []location{loc},
			PartialFingerprints: map[string]string{"safeguardCheck/v1": hex.EncodeToString(sum[:16])}})
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "safeguard-check", "semanticVersion": strings.TrimPrefix(buildinfo.Version, "v"), "rules": rules}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func versionSuffix(v string) string {
	if v == "" {
		return ""
	}
	return "==" + v
}
