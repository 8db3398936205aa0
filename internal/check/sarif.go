package check

import (
	"io"

	"github.com/safeguard-dev/safeguard/internal/sarif"
)

// Kinds describes each kind of finding, in the order SARIF lists them.
var Kinds = []struct{ ID, Description string }{
	{"known-malicious", "The package, at this version, is in the known-malicious database (OSV MAL- records, known-malicious lists)."},
	{"typosquat", "The name imitates one of the 15,000 most-downloaded PyPI projects: one edit away, separators changed, a py/python affix, or look-alike characters."},
	{"install-time-code", "Only a source distribution is locked: installing it runs the package's build code."},
	{"dependency-confusion", "The version is shaped like a dependency-confusion upload (an absurd major such as 99 or 999)."},
	{"unpinned", "The requirement is not pinned to one version: each install may resolve differently."},
	{"unhashed", "The requirements file requires hashes, but this requirement has none."},
}

// sarifEncoder writes the report as one SARIF 2.1.0 log. Results point at
// the dependency file and line; fingerprints stay the same while the kind,
// package, version and file do.
type sarifEncoder struct{}

func (sarifEncoder) Encode(w io.Writer, rep *Report) error {
	log := sarif.NewLog("safeguard-check")
	for _, k := range Kinds {
		log.AddRule(sarif.Rule{ID: k.ID, ShortDescription: sarif.Text{Text: k.Description}, Help: sarif.Text{Text: k.Description}})
	}
	for _, f := range rep.Findings {
		spec := f.Package
		if f.Version != "" {
			spec += "==" + f.Version
		}
		log.Add(sarif.Result{RuleID: f.Kind, Level: sarif.Level(f.Severity),
			Message:             sarif.Text{Text: spec + ": " + f.Message},
			Locations:           []sarif.Location{sarif.At(f.File, f.Line, 0, "")},
			PartialFingerprints: map[string]string{"safeguardCheck/v1": sarif.Fingerprint(f.Kind, f.Package, f.Version, f.File)},
		})
	}
	return log.Write(w)
}
