package pep508

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// golden is what Python's packaging answered (testdata/gen_golden.py).
type golden struct {
	Requirements []struct {
		In        string   `json:"in"`
		Error     bool     `json:"error"`
		Name      string   `json:"name"`
		Extras    []string `json:"extras"`
		Specifier string   `json:"specifier"`
		URL       string   `json:"url"`
		Marker    string   `json:"marker"`
	} `json:"requirements"`
	Markers []struct {
		In      string  `json:"in"`
		Results []*bool `json:"results"`
	} `json:"markers"`
	Specifiers []struct {
		In          string   `json:"in"`
		Default     []string `json:"default"`
		Prereleases []string `json:"prereleases"`
	} `json:"specifiers"`
	Environments []map[string]string `json:"environments"`
	Versions     []string            `json:"versions"`
}

func loadGolden(t *testing.T) golden {
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRequirementsMatchPackaging(t *testing.T) {
	for _, want := range loadGolden(t).Requirements {
		r, err := Parse(want.In)
		if want.Error {
			if err == nil {
				t.Errorf("%q: parsed, packaging refuses it", want.In)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", want.In, err)
			continue
		}
		got := map[string]any{"name": r.Name, "extras": strings.Join(r.Extras, ","), "specifier": r.Specifier.String(), "url": r.URL, "marker": ""}
		if r.Marker != nil {
			got["marker"] = r.Marker.String()
		}
		exp := map[string]any{"name": want.Name, "extras": strings.Join(want.Extras, ","), "specifier": want.Specifier, "url": want.URL, "marker": want.Marker}
		if d := cmp.Diff(exp, got); d != "" {
			t.Errorf("%q (-packaging +ours):\n%s", want.In, d)
		}
	}
}

func TestMarkersMatchPackaging(t *testing.T) {
	g := loadGolden(t)
	for _, m := range g.Markers {
		mk, err := ParseMarker(m.In)
		if err != nil {
			t.Errorf("%q: %v", m.In, err)
			continue
		}
		for i, env := range g.Environments {
			got, err := mk.Evaluate(env)
			want := m.Results[i]
			switch {
			case want == nil && err == nil:
				t.Errorf("%q in env %d: %v, packaging raises", m.In, i, got)
			case want != nil && (err != nil || got != *want):
				t.Errorf("%q in env %d: %v %v, packaging says %v", m.In, i, got, err, *want)
			}
		}
	}
}

func TestSpecifiersMatchPackaging(t *testing.T) {
	g := loadGolden(t)
	for _, s := range g.Specifiers {
		sp, err := ParseSpecifier(s.In)
		if err != nil {
			t.Errorf("%q: %v", s.In, err)
			continue
		}
		for _, pre := range []bool{false, true} {
			var got []string
			for _, v := range g.Versions {
				if sp.Contains(v, pre) {
					got = append(got, v)
				}
			}
			want := s.Default
			if pre {
				want = s.Prereleases
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%q (prereleases %v) (-packaging +ours):\n%s", s.In, pre, d)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, r := range loadGoldenF(f).Requirements {
		f.Add(r.In)
	}
	env := map[string]string{"python_version": "3.11", "sys_platform": "linux", "extra": "x"}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		r.Specifier.Contains("1.0", false)
		if r.Marker != nil {
			r.Marker.Evaluate(env)
			if _, err := ParseMarker(r.Marker.String()); err != nil {
				t.Errorf("marker %q prints as %q, which does not parse: %v", s, r.Marker.String(), err)
			}
		}
	})
}

func loadGoldenF(f *testing.F) golden {
	b, _ := os.ReadFile("testdata/golden.json")
	var g golden
	json.Unmarshal(b, &g)
	return g
}

func TestMarkerErrors(t *testing.T) {
	for _, m := range []string{"", "python_version", "python_version <", "os_name = 'a'", "nonsense == 'x'", "(os_name == 'a'",
		"os_name == 'a')", "os_name == 'a' and", "os_name not 'a'", "'a' == 'b", strings.Repeat("(", 40) + "os_name == 'a'" + strings.Repeat(")", 40)} {
		if _, err := ParseMarker(m); err == nil {
			t.Errorf("%q parsed", m)
		}
	}
}
