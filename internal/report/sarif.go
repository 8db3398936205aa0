package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/buildinfo"
)

// sarifEncoder writes one SARIF 2.1.0 log with a result per finding. Rules
// carry their descriptions as help text; each result has a fingerprint
// that stays the same while the rule, artifact, file and code line do.
type sarifEncoder struct {
	w       io.Writer
	results []sarifResult
}

func newSARIF(w io.Writer) Encoder { return &sarifEncoder{w: w} }

var _ Encoder = (*sarifEncoder)(nil)

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int        `json:"startLine"`
	StartColumn int        `json:"startColumn,omitempty"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

func ruleIndex() map[string]int {
	m := map[string]int{}
	for i, r := range analyze.AllRules() {
		m[r.ID] = i
	}
	return m
}

func (e *sarifEncoder) Result(r *Result) error {
	idx := ruleIndex()
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: idx[f.Rule], Level: sarifLevel(f.Severity),
			Message:    sarifText{f.Message},
			Properties: map[string]any{"severity": f.Severity.String(), "context": f.Context, "confidence": f.Confidence, "verdict": r.Verdict},
		}
		if len(f.Evidence) > 0 {
			res.Properties["evidence"] = f.Evidence
		}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = locationURI(r, f.File)
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			if f.Snippet != "" {
				loc.PhysicalLocation.Region.Snippet = &sarifText{f.Snippet}
			}
		}
		res.Locations = []sarifLocation{loc}
		sum := sha256.Sum256([]byte(strings.Join([]string{f.Rule, r.SHA256, f.File, strings.Join(strings.Fields(f.Snippet), " ")}, "\x00")))
		res.PartialFingerprints = map[string]string{"safeguardFinding/v1": hex.EncodeToString(sum[:16])}
		e.results = append(e.results, res)
	}
	return nil
}

// locationURI names a file inside an artifact: "dist/x.tar.gz!/x-1/setup.py"
// for archives, "project/setup.py" for directories.
func locationURI(r *Result, file string) string {
	if file == "" {
		return r.Path
	}
	if r.Format == artifact.FormatDir {
		return strings.TrimSuffix(r.Path, "/") + "/" + file
	}
	return r.Path + "!/" + file
}

func sarifLevel(s analyze.Severity) string {
	switch {
	case s >= analyze.High:
		return "error"
	case s == analyze.Medium:
		return "warning"
	}
	return "note"
}

func (e *sarifEncoder) Close(Totals) error {
	type rule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	}
	var rules []rule
	for _, r := range analyze.AllRules() {
		short, _, _ := strings.Cut(r.Description, ":")
		rules = append(rules, rule{ID: r.ID, Name: r.ID, ShortDescription: sarifText{short}, FullDescription: sarifText{r.Description},
			Help: sarifText{r.Description + " Severity: " + r.Severity.String() + "."}, DefaultConfiguration: map[string]any{"level": sarifLevel(r.Severity)}})
	}
	if e.results == nil {
		e.results = []sarifResult{}
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "safeguard", "informationUri": "https://github.com/safeguard-dev/safeguard",
				"semanticVersion": strings.TrimPrefix(buildinfo.Version, "v"), "rules": rules,
			}},
			"results": e.results,
		}},
	}
	enc := json.NewEncoder(e.w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
