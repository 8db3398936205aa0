package pep440

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.0", "1.0"},
		{"v1.0", "1.0"},
		{"1.0-1", "1.0.post1"},
		{"1.0.0RC1", "1.0.0rc1"},
		{"1!2.0alpha", "1!2.0a0"},
		{"1.0_dev3", "1.0.dev3"},
		{"2.0+Local.7", "2.0+local.7"},
		{"not-a-version", "not-a-version"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	ordered := []string{"1.0.dev1", "1.0a1", "1.0rc1", "1.0", "1.0.post1", "1.1", "1!0.1"}
	for i := 0; i+1 < len(ordered); i++ {
		a, b := mustParse(t, ordered[i]), mustParse(t, ordered[i+1])
		if a.Compare(b) >= 0 {
			t.Errorf("%s should sort before %s", a, b)
		}
	}
	if !mustParse(t, "1.0").Equal(mustParse(t, "1.0.0")) {
		t.Error("1.0 should equal 1.0.0")
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "abc", "1..0", "1.0+", string(make([]byte, 300))} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

func mustParse(t *testing.T, s string) Version {
	t.Helper()
	v, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
