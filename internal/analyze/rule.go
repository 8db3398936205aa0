package analyze

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
}

// Rule finds one kind of behaviour in a file.
type Rule interface {
	Info() RuleInfo
	Check(f *file, r *reporter)
}

// Rules is the registry, in the order findings are reported.
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
}

// artifactRules look at the artifact rather than at Python code.
var artifactRules = []RuleInfo{
	{ID: "bundled-executable", Severity: Medium, Description: "A compiled executable (ELF, PE or Mach-O) ships in a source distribution or a pure-Python wheel."},
	{ID: "archive-anomaly", Severity: High, Description: "The archive is packed the way hostile archives are (paths escaping it, links out of it, devices); see docs/anomalies.md."},
	{ID: "hidden-archive", Severity: Medium, Description: "Another archive is hidden after the end of the distribution's archive, where installers do not look."},
	{ID: "known-malicious", Severity: Critical, Description: "The package at this version, the artifact's SHA-256, or a file a record names as evidence (by SHA-256, under any name) is in the known-malicious database (OSV MAL- records, known-malicious lists). Not used with --static-only."},
	{ID: "combined-threats", Severity: Critical, Description: "One file holds two different high-severity threats (say a request catcher and code that sends the host's details, or a download that is run next to stolen browser data): each alone may be demoted because the code runs only when called, together they are a payload."},
	{ID: "pth-startup-code", Severity: Medium, Description: "A .pth file runs code at every interpreter start, beyond adding a path or importing a module."},
}

// AllRules returns the description of every rule, code and artifact.
func AllRules() []RuleInfo {
	out := make([]RuleInfo, 0, len(Rules)+len(artifactRules))
	for _, r := range Rules {
		out = append(out, r.Info())
	}
	return append(out, artifactRules...)
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
		msg += " (in code decoded by " + f.payload + ")"
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
