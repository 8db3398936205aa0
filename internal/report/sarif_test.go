package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/scan"
)

func TestSARIF(t *testing.T) {
	var buf bytes.Buffer
	enc := newSARIF(&buf)
	r := &scan.Result{Path: "dist/p-1.tar.gz", SHA256: "ab", Verdict: analyze.Malicious, Findings: []analyze.Finding{
		{Rule: "exec-obfuscated", Severity: analyze.Critical, File: "p-1/setup.py", Line: 3, Column: 1, Snippet: "exec(b64decode(x))", Message: "m"},
		{Rule: "network-at-install", Severity: analyze.Medium, File: "p-1/setup.py", Line: 5, Message: "n"},
	}}
	if err := enc.Result(r); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(Totals{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "safeguard" {
		t.Fatalf("bad SARIF header: %s", buf.String()[:200])
	}
	run := doc.Runs[0]
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2", len(run.Results))
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d does not point at %s", res.RuleIndex, res.RuleID)
		}
		if res.PartialFingerprints["safeguardFinding/v1"] == "" {
			t.Errorf("no fingerprint for %s", res.RuleID)
		}
	}
	if got := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "dist/p-1.tar.gz!/p-1/setup.py" {
		t.Errorf("uri %q", got)
	}
	if run.Results[0].Level != "error" || run.Results[1].Level != "warning" {
		t.Errorf("levels %s %s", run.Results[0].Level, run.Results[1].Level)
	}
	// The fingerprint is stable across runs and moves only with the code.
	var again bytes.Buffer
	e2 := newSARIF(&again)
	e2.Result(r)
	e2.Close(Totals{})
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("SARIF output is not deterministic")
	}
}
