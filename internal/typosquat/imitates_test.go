package typosquat

import "testing"

func TestImitates(t *testing.T) {
	targets := []string{"acme-billing", "internal-tool", "requests"}
	for _, c := range []struct {
		name, want string
	}{
		{"acmebilling", "acme-billing"},
		{"acme-biling", "acme-billing"},
		{"python-internal-tool", "internal-tool"},
		{"lnternal-tool", "internal-tool"},
		{"acme-billing", ""},  // the dependency itself
		{"urllib3", ""},       // popular: never a squat
		{"acme-shipping", ""}, // different project
		{"requestss", "requests"},
	} {
		got, ok := Imitates(c.name, targets)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Imitates(%q) = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}
