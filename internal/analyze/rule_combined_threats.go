package analyze

import (
	"slices"
	"sort"
	"strings"
)

// combinedThreats: two threats in one file.
type combinedThreats struct{}

var _ FindingsRule = (*combinedThreats)(nil)

func (combinedThreats) Info() RuleInfo {
	return RuleInfo{ID: "combined-threats", Severity: Critical,
		Description: "One file holds two different high-severity threats (say a request catcher and code that sends the host's details, or a download that is run next to stolen browser data): each alone may be demoted because the code runs only when called, together they are a payload."}
}

// CheckFindings correlates findings: a file where two different code
// rules each found a threat of high severity or more, one still high
// after its context was weighed, is a payload, even when each finding
// alone was demoted because the code runs only when called.
func (x combinedThreats) CheckFindings(fs []Finding) []Finding {
	byFile := map[string][]*Finding{}
	var files []string
	for i := range fs {
		f := &fs[i]
		// Threats the context demoted count too, but one must still be high.
		if f.Severity < Medium || f.Severity > High || f.base < High || !codeRule[f.Rule] || weakCredential(f) {
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
		out = append(out, Finding{Rule: x.Info().ID, Severity: Critical, base: Critical, Confidence: "high",
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

// weakCredential reports a credential-access finding about a secret's
// environment name or a credential file: what SDKs and their docs name
// all the time. In a large module it meets another finding by chance;
// the stores only stealers open (browsers, wallets, Discord) still count.
func weakCredential(f *Finding) bool {
	if f.Rule != "credential-access" {
		return false
	}
	for _, class := range []string{indSecretEnv, indCredFile} {
		if strings.HasPrefix(f.Message, reachMessage(class)) {
			return true
		}
	}
	return false
}
