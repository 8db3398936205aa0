package severity

import (
	"encoding/json"
	"testing"
)

func TestNamesRoundTrip(t *testing.T) {
	for l := Info; l <= Critical; l++ {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var got Level
		if err := json.Unmarshal(b, &got); err != nil || got != l {
			t.Errorf("%s: round trip gave %v, %v", b, got, err)
		}
	}
	if Critical.String() != "critical" || Info.String() != "info" {
		t.Errorf("names: %s %s", Critical, Info)
	}
	if Level(9).String() != "severity(9)" {
		t.Errorf("out of range: %s", Level(9))
	}
}

func TestParseRefusesUnknown(t *testing.T) {
	if _, err := Parse("severe"); err == nil {
		t.Error("Parse(severe) = nil error")
	}
	var l Level
	if err := json.Unmarshal([]byte(`"HIGH"`), &l); err == nil {
		t.Error("names are lower case; HIGH was accepted")
	}
}
