package analyze

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

// ruleInfo returns the description of the rule with the given ID.
func ruleInfo(id string) RuleInfo {
	for _, r := range AllRules() {
		if r.ID == id {
			return r
		}
	}
	panic("analyze: no rule " + id)
}
