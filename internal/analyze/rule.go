package analyze

import (
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// RuleInfo describes a rule as data: the rules table in the README and
// `safeguard rules` are generated from it.
type RuleInfo struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
	// AnyContext rules keep their severity in runtime and test code: what
	// they find has no legitimate use anywhere.
	AnyContext bool     `json:"any_context,omitempty"`
	References []string `json:"references,omitempty"`
	// Triggers are words one of which a file in import or runtime code
	// must hold for the rule to read it: such files that hold no rule's
	// trigger are not parsed. Install and startup code always is.
	Triggers []string `json:"-"`
	// AnyContextTriggers get a file parsed whatever its context, tests,
	// docs and tooling included: the rule's findings that keep their
	// severity everywhere need one of them. They are Triggers too. (Some
	// are the first bytes of a UTF-8 sequence, not text, so neither list
	// is printed.)
	AnyContextTriggers []string `json:"-"`
	// TriggerPairs are for words too common in ordinary code to get a
	// file parsed on their own (getattr): a file in import or runtime
	// code holding one of a pair's Words and one of its With is read as
	// if it held a trigger.
	TriggerPairs []TriggerPair `json:"-"`
}

// TriggerPair is a trigger of two words that must both be in a file.
type TriggerPair struct {
	Words, With []string
}

// describedRule is what every rule is: a description as data.
type describedRule interface {
	Info() RuleInfo
}

// Rule finds one kind of behaviour in a Python file.
type Rule interface {
	Info() RuleInfo
	Check(f *file, r *reporter)
}

// ArtifactRule finds one kind of threat in an artifact's files other than
// its Python modules. It runs on the artifact and on each archive nested
// in it, whose path prefix names the findings' files.
type ArtifactRule interface {
	Info() RuleInfo
	CheckArtifact(a *artifact.Artifact, prefix string, res *Result)
}

// AnomalyRule turns an anomaly the archive reader found in an artifact's
// packing into a finding, or not.
type AnomalyRule interface {
	Info() RuleInfo
	CheckAnomaly(a *artifact.Artifact, an artifact.Anomaly, prefix string) (Finding, bool)
}

// FindingsRule draws findings from the findings of the other rules about
// one artifact, nested archives included.
type FindingsRule interface {
	Info() RuleInfo
	CheckFindings(fs []Finding) []Finding
}

// Rules is the registry of code rules, in the order findings are reported.
var Rules = []Rule{
	execObfuscated{},
	execRemote{},
	shellcodeLoader{},
	downloadExecute{},
	reverseShell{},
	exfilHostInfo{},
	exfilFiles{},
	exfilChannel{},
	credentialAccess{},
	persistence{},
	cryptoMiner{},
	defenceEvasion{},
	spyware{},
	suspiciousCommand{},
	pipInstall{},
	networkAtInstall{},
	rawIPURL{},
	obfuscatedCode{},
	invisibleUnicode{},
	toolPoisoning{},
}

// artifactRules is the registry of the rules that read the artifact
// rather than its Python code, in the order the docs list them. Each
// implements the interface for what it reads: ArtifactRule and
// AnomalyRule ones are run by runArtifactRules, combined-threats
// (FindingsRule) by Analyze once all is read, and known-malicious by
// KnownMalicious, given a database.
var artifactRules = []describedRule{
	bundledExecutable{},
	archiveAnomaly{},
	hiddenArchive{},
	knownMalicious{},
	combinedThreats{},
	pthStartupCode{},
	imitatedName{},
}

// AllRules returns the description of every rule, code and artifact.
func AllRules() []RuleInfo {
	out := make([]RuleInfo, 0, len(Rules)+len(artifactRules))
	for _, r := range Rules {
		out = append(out, r.Info())
	}
	for _, r := range artifactRules {
		out = append(out, r.Info())
	}
	return out
}

// runArtifactRules runs the artifact rules on a, then the anomaly rules
// on each anomaly of its packing, in the order the reader found them.
func runArtifactRules(a *artifact.Artifact, prefix string, res *Result) {
	for _, rule := range artifactRules {
		if r, ok := rule.(ArtifactRule); ok {
			r.CheckArtifact(a, prefix, res)
		}
	}
	for _, an := range a.Anomalies {
		for _, rule := range artifactRules {
			if r, ok := rule.(AnomalyRule); ok {
				if f, ok := r.CheckAnomaly(a, an, prefix); ok {
					res.Findings = append(res.Findings, f)
				}
			}
		}
	}
}

// reporter collects findings, adjusting severity to context.
type reporter struct {
	findings []Finding
	src      []byte // the real file's source, for snippets
}

func (r *reporter) report(info RuleInfo, f *file, sev Severity, anyContext bool, line, col int, ctx Context, msg string, evidence ...string) {
	eff := sev
	if !anyContext && !info.AnyContext {
		switch ctx {
		case Entry:
			// A tool's command does on purpose what would be odd on
			// import: only what shows intent keeps its severity.
			if sev < Critical {
				eff--
			}
		case Runtime:
			eff--
		case Test:
			eff -= 2
		}
	}
	if eff < Info {
		eff = Info
	}
	if f.payload != "" {
		how := "decoded by"
		if strings.HasPrefix(f.payload, payloadPythonC) {
			how = "run by" // the interpreter's -c: code, not encoded
		}
		msg += " (in code " + how + " " + f.payload + ")"
		col = 0
	}
	conf := "high"
	if eff < sev {
		conf = "medium"
	}
	var ev []string
	for _, e := range evidence {
		if e == "" {
			continue
		}
		if r := []rune(e); len(r) > 200 {
			e = string(r[:200]) + "…"
		}
		ev = append(ev, e)
	}
	r.findings = append(r.findings, Finding{Rule: info.ID, Severity: eff, Confidence: conf, Context: ctx, File: f.path,
		Line: line, Column: col, Snippet: f.snippet(line, r.src), Message: msg, Evidence: ev, base: sev})
}
