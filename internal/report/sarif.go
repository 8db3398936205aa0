package report

import (
	"io"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/scan"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/sarif"
)

// sarifEncoder writes one SARIF 2.1.0 log with a result per finding. Rules
// carry their descriptions as help text; each result has a fingerprint
// that stays the same while the rule, artifact, file and code line do.
type sarifEncoder struct {
	w   io.Writer
	log *sarif.Log
}

func newSARIF(w io.Writer) Encoder {
	log := sarif.NewLog("safeguard")
	for _, r := range analyze.AllRules() {
		short, _, _ := strings.Cut(r.Description, ":")
		log.AddRule(sarif.Rule{ID: r.ID, Name: r.ID, ShortDescription: sarif.Text{Text: short}, FullDescription: &sarif.Text{Text: r.Description},
			Help: sarif.Text{Text: r.Description + " Severity: " + r.Severity.String() + "."}, DefaultConfiguration: map[string]any{"level": sarif.Level(r.Severity)}})
	}
	return &sarifEncoder{w: w, log: log}
}

var _ Encoder = (*sarifEncoder)(nil)

func (e *sarifEncoder) Result(r *scan.Result) error {
	for _, f := range r.Findings {
		res := sarif.Result{
			RuleID: f.Rule, Level: sarif.Level(f.Severity),
			Message:             sarif.Text{Text: f.Message},
			Properties:          map[string]any{"severity": f.Severity.String(), "context": f.Context, "confidence": f.Confidence, "verdict": r.Verdict},
			Locations:           []sarif.Location{sarif.At(locationURI(r, f.File), f.Line, f.Column, f.Snippet)},
			PartialFingerprints: map[string]string{"safeguardFinding/v1": sarif.Fingerprint(f.Rule, r.SHA256, f.File, strings.Join(strings.Fields(f.Snippet), " "))},
		}
		if len(f.Evidence) > 0 {
			res.Properties["evidence"] = f.Evidence
		}
		e.log.Add(res)
	}
	return nil
}

// locationURI names a file inside an artifact: "dist/x.tar.gz!/x-1/setup.py"
// for archives, "project/setup.py" for directories.
func locationURI(r *scan.Result, file string) string {
	if file == "" {
		return r.Path
	}
	if r.Format == artifact.FormatDir {
		return strings.TrimSuffix(r.Path, "/") + "/" + file
	}
	return r.Path + "!/" + file
}

func (e *sarifEncoder) Close(Totals) error { return e.log.Write(e.w) }
