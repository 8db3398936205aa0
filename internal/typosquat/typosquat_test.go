package typosquat

import "testing"

func TestCheck(t *testing.T) {
	tests := []struct {
		name, want, how string
	}{
		{"reqeusts", "requests", "one edit"},
		{"requestss", "requests", "one edit"},
		{"reqests", "requests", "one edit"},
		{"python-dateutils", "python-dateutil", "one edit"},
		{"pythondateutil", "python-dateutil", "separators"},
		{"py-numpy", "numpy", "affix"},
		{"djangopy", "django", "affix"},
		{"boto0", "boto3", "one edit"},
		{"c1ick", "click", "look-alike characters"},
		// Popular projects are not typosquats of each other.
		{"requests", "", ""},
		{"pyyaml", "", ""},
		{"boto3", "", ""},
		{"a-name-nobody-would-confuse", "", ""},
		{"tool", "", ""}, // one edit from toml, but a word of its own
		// Listed names are refused however they are spelled, and so are
		// both sides of a listed fork pair.
		{"Typing_Extensions", "", ""},
		{"ruamel.yaml", "", ""},
		{"PyPDF2", "", ""},
		{"pypdf", "", ""},
		{"fpdf", "", ""},
		{"fpdf2", "", ""},
		{"psycopg", "", ""},
		{"psycopg2", "", ""},
		// One side of a pair unlisted: matched here, graded by check.
		{"tinycss", "tinycss2", "one edit"},
	}
	for _, tt := range tests {
		m, ok := Check(tt.name)
		if ok != (tt.want != "") || m.Name != tt.want || ok && m.How != tt.how {
			t.Errorf("%s: %+v %v, want %q by %s", tt.name, m, ok, tt.want, tt.how)
		}
	}
	if m, _ := Check("py-numpy"); m.Affix != "py-" {
		t.Errorf("py-numpy: affix %q, want py-", m.Affix)
	}
	if f := Floor(); f <= 0 || f > 100_000 {
		t.Errorf("floor %d", f)
	}
	if p, ok := Popular("Requests"); !ok || p.Rank > 20 {
		t.Errorf("requests: %+v %v", p, ok)
	}
}

func BenchmarkCheck(b *testing.B) {
	Check("warmup")
	for b.Loop() {
		Check("reqeusts")
	}
}

func TestTwoEdits(t *testing.T) {
	for _, c := range []struct {
		name, want string
	}{
		{"tensrflwo", "tensorflow"},  // a letter dropped and two swapped
		{"matplotlbi", "matplotlib"}, // a swap: one edit, found before
		{"tensorflow", ""},           // the project itself
		{"tensorboard", ""},          // listed, and far from tensorflow
		{"tenserflw", "tensorflow"},  // a substitution and a deletion
		{"pdb-tools", ""},            // not pip-tools: its stem differs
		{"tronclient", "tritonclient"},
		{"pandsa", ""}, // short names need one edit... and this is one swap
	} {
		m, ok := Check(c.name)
		got := ""
		if ok {
			got = m.Name
		}
		if c.name == "pandsa" {
			if got != "pandas" {
				t.Errorf("Check(%q) = %q, want pandas (one swap)", c.name, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("Check(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	if editsAtMost2("requests-oauth", "requests") || !editsAtMost2("abcdefghij", "abdcefhgij") {
		t.Error("editsAtMost2: wrong distance")
	}
}
