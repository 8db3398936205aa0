package sarif

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/severity"
)

// Results point at their rule by index whatever order rules were added
// in, levels follow severity, and an empty log still lists its results.
func TestLog(t *testing.T) {
	for s, want := range map[severity.Level]string{severity.Info: "note", severity.Low: "note", severity.Medium: "warning", severity.High: "error", severity.Critical: "error"} {
		if got := Level(s); got != want {
			t.Errorf("Level(%s) = %s, want %s", s, got, want)
		}
	}
	log := NewLog("tool")
	log.AddRule(Rule{ID: "a"})
	log.AddRule(Rule{ID: "b"})
	log.Add(Result{RuleID: "b", Level: "error", Locations: []Location{At("x.py", 3, 0, "code")}})
	var buf bytes.Buffer
	if err := log.Write(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleIndex int `json:"ruleIndex"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Results) != 1 || doc.Runs[0].Results[0].RuleIndex != 1 {
		t.Errorf("log %s: want one result pointing at rule 1 (%v)", buf.String(), err)
	}
	buf.Reset()
	NewLog("tool").Write(&buf)
	if !bytes.Contains(buf.Bytes(), []byte(`"results": []`)) {
		t.Errorf("an empty log has no results array: %s", buf.String())
	}
}
