package scan

import (
	"github.com/safeguard-dev/safeguard/internal/severity"

	"sort"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
)

// Result is what a scan says about one artifact.
type Result struct {
	Path              string          `json:"path"`
	Kind              artifact.Kind   `json:"kind,omitempty"`
	Format            artifact.Format `json:"format,omitempty"`
	Name              string          `json:"name,omitempty"`
	Version           string          `json:"version,omitempty"`
	SHA256            string          `json:"sha256,omitempty"`
	Size              int64           `json:"size"`
	Files             int             `json:"files"`
	Entries           int             `json:"entries"`
	UncompressedBytes int64           `json:"uncompressed_bytes"`
	// ParsedBytes is how much Python source was parsed, nested archives'
	// included: files that hold nothing the rules look for are not. It is
	// set on the top-level result only (omitted when nothing was parsed).
	ParsedBytes int64              `json:"parsed_bytes,omitempty"`
	Verdict     analyze.Verdict    `json:"verdict,omitempty"`
	Score       int                `json:"score"`
	Findings    []analyze.Finding  `json:"findings"`
	ElapsedMS   int64              `json:"elapsed_ms"`
	Metadata    *Summary           `json:"metadata,omitempty"`
	Anomalies   []artifact.Anomaly `json:"anomalies,omitempty"`
	Nested      []*Result          `json:"nested,omitempty"`
	// NotRead lists the archives nested deeper than max-depth, in this
	// result or its nested ones, that were not opened: a verdict does not
	// cover their content. Set on the top-level result only.
	NotRead []string `json:"not_read,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// setAnalysis records the engine's verdict and findings.
func (r *Result) setAnalysis(a *analyze.Result) {
	r.ParsedBytes = a.ParsedBytes
	if r.Error != "" && len(a.Findings) == 0 {
		r.Verdict = analyze.Error
		return
	}
	r.Verdict, r.Score = a.Verdict, a.Score
	if len(a.Findings) > 0 {
		r.Findings = a.Findings
	}
}

// notRead collects the paths of the nested archives r's tree did not open.
func notRead(a *artifact.Artifact) []string {
	var out []string
	for _, an := range a.Anomalies {
		if an.Kind == artifact.NestedTooDeep {
			out = append(out, a.Path+"!/"+an.Entry)
		}
	}
	for _, n := range a.Nested {
		out = append(out, notRead(n)...)
	}
	return out
}

// Summary is the part of an artifact's metadata worth a glance.
type Summary struct {
	MetadataVersion string   `json:"metadata_version,omitempty"`
	Summary         string   `json:"summary,omitempty"`
	RequiresPython  string   `json:"requires_python,omitempty"`
	RequiresDist    int      `json:"requires_dist"`
	License         string   `json:"license,omitempty"`
	BuildBackend    string   `json:"build_backend,omitempty"`
	BackendPath     []string `json:"backend_path,omitempty"`
	SetupPy         bool     `json:"setup_py,omitempty"`
	EntryPoints     []string `json:"entry_points,omitempty"`
	TopLevel        []string `json:"top_level,omitempty"`
	WheelTags       []string `json:"wheel_tags,omitempty"`
}

// newResult summarises an artifact; err is the error reading it, if any.
func newResult(path string, a *artifact.Artifact, err error) *Result {
	r := &Result{Path: path, Findings: []analyze.Finding{}}
	if err != nil {
		r.Error = err.Error()
	}
	if a == nil {
		return r
	}
	r.Kind, r.Format, r.SHA256, r.Size = a.Kind, a.Format, a.SHA256, a.Size
	r.Name, r.Version = a.Name(), a.Version()
	r.Files, r.Entries, r.UncompressedBytes = len(a.Files), a.Entries, a.UncompressedBytes
	r.Anomalies = a.Anomalies
	r.Metadata = summarize(&a.Meta)
	for _, n := range a.Nested {
		r.Nested = append(r.Nested, newResult(n.Path, n, n.Err))
	}
	return r
}

func summarize(m *artifact.Metadata) *Summary {
	s := &Summary{SetupPy: m.SetupPy != "", TopLevel: m.TopLevel}
	if c := m.Core; c != nil {
		s.MetadataVersion, s.Summary, s.RequiresPython = c.MetadataVersion, c.Summary, c.RequiresPython
		s.RequiresDist, s.License = len(c.RequiresDist), c.LicenseSummary()
	}
	if p := m.Pyproject; p != nil {
		s.BuildBackend, s.BackendPath = p.BuildBackend, p.BackendPath
		if m.Core == nil {
			s.Summary, s.RequiresPython, s.RequiresDist, s.License = p.Description, p.RequiresPython, len(p.Dependencies), p.License
		}
	}
	if m.Core == nil && m.Pyproject == nil && m.SetupCfg != nil {
		s.RequiresPython, s.RequiresDist = m.SetupCfg.PythonRequires, len(m.SetupCfg.InstallRequires)
	}
	if m.Wheel != nil {
		s.WheelTags = m.Wheel.Tags
	}
	for _, ep := range m.EntryPoints {
		s.EntryPoints = append(s.EntryPoints, ep.Group+":"+ep.Name)
	}
	sort.Strings(s.EntryPoints)
	return s
}

// MaxSeverity returns the highest anomaly severity in r and its nested
// results, and whether there is any anomaly at all.
func (r *Result) MaxSeverity() (severity.Level, bool) {
	max, any := severity.Info, false
	for _, a := range r.Anomalies {
		if !any || a.Severity > max {
			max, any = a.Severity, true
		}
	}
	for _, n := range r.Nested {
		if s, ok := n.MaxSeverity(); ok && (!any || s > max) {
			max, any = s, true
		}
	}
	return max, any
}

// Failed reports whether r or a nested result has an error.
func (r *Result) Failed() bool {
	if r.Error != "" {
		return true
	}
	for _, n := range r.Nested {
		if n.Failed() {
			return true
		}
	}
	return false
}
