// Package sarif writes SARIF 2.1.0 logs (https://docs.oasis-open.org/sarif/):
// the types Safeguard's commands fill in and the one way they are written.
// It knows nothing of scans or checks; their encoders map findings to it.
package sarif

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
	"github.com/safeguard-dev/safeguard/internal/severity"
)

// Text is a SARIF message or description.
type Text struct {
	Text string `json:"text"`
}

// Rule describes one kind of result.
type Rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     Text           `json:"shortDescription"`
	FullDescription      *Text          `json:"fullDescription,omitempty"`
	Help                 Text           `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration,omitempty"`
}

// Result is one finding.
type Result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             Text              `json:"message"`
	Locations           []Location        `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

// Location is a place in a file.
type Location struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *Region `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

// Region is a line (and column) in a file.
type Region struct {
	StartLine   int   `json:"startLine"`
	StartColumn int   `json:"startColumn,omitempty"`
	Snippet     *Text `json:"snippet,omitempty"`
}

// At returns the location of line (and column, 0 for none) in uri; line 0
// means the file as a whole.
func At(uri string, line, column int, snippet string) Location {
	var l Location
	l.PhysicalLocation.ArtifactLocation.URI = uri
	if line > 0 {
		l.PhysicalLocation.Region = &Region{StartLine: line, StartColumn: column}
		if snippet != "" {
			l.PhysicalLocation.Region.Snippet = &Text{snippet}
		}
	}
	return l
}

// Fingerprint hashes the parts that identify a result across runs.
func Fingerprint(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// Level is the SARIF level of a severity: error from high up, warning
// for medium, note below.
func Level(s severity.Level) string {
	switch {
	case s >= severity.High:
		return "error"
	case s == severity.Medium:
		return "warning"
	}
	return "note"
}

// Log is one SARIF log with one run of one tool, built rule by rule and
// result by result, then written once.
type Log struct {
	tool    string
	rules   []Rule
	index   map[string]int
	results []Result
}

// NewLog starts the log of a run of tool.
func NewLog(tool string) *Log { return &Log{tool: tool, index: map[string]int{}} }

// AddRule lists a rule; results refer to rules by ID.
func (l *Log) AddRule(r Rule) {
	l.index[r.ID] = len(l.rules)
	l.rules = append(l.rules, r)
}

// Add appends a result, pointing it at its rule.
func (l *Log) Add(r Result) {
	r.RuleIndex = l.index[r.RuleID]
	l.results = append(l.results, r)
}

// Write writes the log.
func (l *Log) Write(w io.Writer) error {
	results := l.results
	if results == nil {
		results = []Result{}
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": l.tool, "informationUri": "https://github.com/safeguard-dev/safeguard",
				"semanticVersion": strings.TrimPrefix(buildinfo.Version, "v"), "rules": l.rules,
			}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
