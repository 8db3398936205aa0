package analyze

import "testing"

// verdictCase is a fixture packed into an sdist, and the verdict it must
// get. When rule is set, a finding of it must back the verdict: critical
// for a malicious one, at least high otherwise.
type verdictCase struct {
	name  string
	files map[string]string
	rule  string
	want  Verdict
}

// runVerdictCases analyses each case as a subtest; more, when not nil,
// checks what else a case's result must hold.
func runVerdictCases(t *testing.T, cases []verdictCase, more func(t *testing.T, c verdictCase, r *Result)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sdist(t, c.files)
			if r.Verdict != c.want {
				t.Errorf("verdict %s, want %s; findings:\n%s", r.Verdict, c.want, findingLines(r))
			}
			min := High
			if c.want == Malicious {
				min = Critical
			}
			if c.rule != "" && !hasRule(r, c.rule, min) {
				t.Errorf("no %s finding at %s or above:\n%s", c.rule, min, findingLines(r))
			}
			if more != nil {
				more(t, c, r)
			}
		})
	}
}
