package analyze

import (
	"slices"
	"sort"
	"strings"
)

// verdict turns findings into a verdict and a score.
func verdict(fs []Finding) (Verdict, int) {
	score := 0
	weights := map[Severity]int{Info: 0, Low: 2, Medium: 10, High: 40, Critical: 100}
	max := Info
	mediumRules := map[string]bool{}
	for _, f := range fs {
		score += weights[f.Severity]
		if f.Severity > max {
			max = f.Severity
		}
		if f.Severity == Medium {
			mediumRules[f.Rule] = true
		}
	}
	switch {
	case max >= Critical:
		return Malicious, score
	case max >= High || len(mediumRules) >= 3:
		return Suspicious, score
	}
	return Clean, score
}

// combinedThreats correlates findings: a file where two different code
// rules each found a threat of high severity or more, one still high
// after its context was weighed, is a payload, even when each finding
// alone was demoted because the code runs only when called.
func combinedThreats(fs []Finding) []Finding {
	byFile := map[string][]*Finding{}
	var files []string
	for i := range fs {
		f := &fs[i]
		// Threats the context demoted count too, but one must still be high.
		if f.Severity < Medium || f.Severity > High || f.base < High || !codeRule[f.Rule] {
			continue
		}
		if byFile[f.File] == nil {
			files = append(files, f.File)
		}
		byFile[f.File] = append(byFile[f.File], f)
	}
	sort.Strings(files)
	var out []Finding
	for _, file := range files {
		var rules []string
		first := byFile[file][0]
		for _, f := range byFile[file] {
			if !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
			if f.Line < first.Line {
				first = f
			}
		}
		high := false
		for _, f := range byFile[file] {
			high = high || f.Severity == High
		}
		if len(rules) < 2 || !high {
			continue
		}
		sort.Strings(rules)
		var ev []string
		for _, f := range byFile[file] {
			ev = append(ev, f.Rule+": "+f.Message)
		}
		out = append(out, Finding{Rule: "combined-threats", Severity: Critical, base: Critical, Confidence: "high",
			Context: first.Context, File: file, Line: first.Line, Snippet: first.Snippet,
			Message: "holds " + strings.Join(rules, " and ") + " in one file", Evidence: ev})
	}
	return out
}

// codeRule holds the IDs of the rules that read code, not packing.
var codeRule = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Rules {
		m[r.Info().ID] = true
	}
	return m
}()

// ruleInfo returns the description of the rule with the given ID.
func ruleInfo(id string) RuleInfo {
	for _, r := range AllRules() {
		if r.ID == id {
			return r
		}
	}
	panic("analyze: no rule " + id)
}
