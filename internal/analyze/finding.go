package analyze

import "github.com/safeguard-dev/safeguard/internal/severity"

// Severity of a finding; the verdict follows from the highest. It is the
// one scale of package severity, named here for the rules' brevity.
type Severity = severity.Level

// Severities, lowest first.
const (
	Info     = severity.Info
	Low      = severity.Low
	Medium   = severity.Medium
	High     = severity.High
	Critical = severity.Critical
)

// Context is when a piece of code runs.
type Context string

// Execution contexts, from most to least exposed.
const (
	Install Context = "install" // setup.py, build backends and hooks, cmdclass commands
	Startup Context = "startup" // .pth import lines, sitecustomize/usercustomize
	Import  Context = "import"  // package __init__ and what it imports at top level
	// Entry is code a console script or another entry point runs: it runs
	// when the user runs the tool, so it keeps its findings' severity, but
	// behaviour that is only odd on install or import is normal there.
	Entry   Context = "entrypoint"
	Runtime Context = "runtime" // function bodies and modules nothing above reaches
	Test    Context = "test"    // tests, docs, examples
)

// rank orders contexts by exposure: lower runs earlier and more surely.
func (c Context) rank() int {
	switch c {
	case Install:
		return 0
	case Startup:
		return 1
	case Import:
		return 2
	case Entry:
		return 3
	case Runtime:
		return 4
	}
	return 5
}

// Executes reports whether code in c runs without anyone calling it:
// on install, interpreter start or import.
func (c Context) Executes() bool { return c.rank() <= 2 }

// Finding is one rule's conclusion about one place in an artifact.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Confidence string   `json:"confidence"`
	Context    Context  `json:"context"`
	File       string   `json:"file"`
	Line       int      `json:"line,omitempty"`
	Column     int      `json:"column,omitempty"`
	Snippet    string   `json:"snippet,omitempty"`
	Message    string   `json:"message"`
	Evidence   []string `json:"evidence,omitempty"`
	// Excerpt is the code around Line, for readers of a stored verdict
	// (the dashboard); the scan pipeline adds it when asked.
	Excerpt *Excerpt `json:"excerpt,omitempty"`
	// base is the rule's severity before the context adjusted it.
	base Severity
}

// Excerpt is a few lines of a file: Lines[i] is line Start+i.
type Excerpt struct {
	Start int      `json:"start"`
	Lines []string `json:"lines"`
}

// Verdict is the overall judgement of an artifact.
type Verdict string

// Verdicts.
const (
	Malicious  Verdict = "malicious"
	Suspicious Verdict = "suspicious"
	Clean      Verdict = "clean"
	Error      Verdict = "error"
)
