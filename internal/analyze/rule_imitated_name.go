package analyze

import (
	"fmt"
	"path"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// imitatedName: a distribution named like a far more popular project, or
// installing a module named like one (shadowed.go).
type imitatedName struct{}

var _ ArtifactRule = (*imitatedName)(nil)

func (imitatedName) Info() RuleInfo {
	return RuleInfo{ID: "imitated-name", Severity: High,
		Description: "The distribution's name imitates a far more popular project's (one edit, or two in a long name, separators, an affix such as py- or -dev, look-alike characters), the way typosquats catch mistyped installs: high for a source distribution, whose setup code runs on install, or one with no code of its own; medium for a wheel with code; critical when its code also holds a high-severity threat. A name in the popularity data, or one differing from the popular name only in a version digit (jinja2, psycopg3), is never flagged. High, too, when a little-known distribution installs a top-level module named like a far more popular project (a package of any name that ships requests/), replacing or hiding the real one.",
		References:  []string{"https://attack.mitre.org/techniques/T1195/001/"}}
}

// CheckArtifact grades the artifact's name (from its metadata, and from
// its file name when that differs) against the popular projects. It
// reads the code findings already made, so it runs after them.
func (x imitatedName) CheckArtifact(a *artifact.Artifact, prefix string, res *Result) {
	if prefix != "" || a.Kind != artifact.KindSdist && a.Kind != artifact.KindWheel && a.Kind != artifact.KindEgg {
		return
	}
	names := []string{a.Meta.Name}
	if a.Filename != nil && a.Filename.Name != a.Meta.Name {
		names = append(names, a.Filename.Name)
	}
	for _, name := range names {
		m, ok := typosquat.Check(name)
		if name == "" || !ok || !m.FarMorePopular() || typosquat.VersionSibling(name, m.Name) {
			continue
		}
		how := m.How
		if m.How == "affix" && m.Affix != "" {
			how = fmt.Sprintf("the affix %q", m.Affix)
		}
		msg := fmt.Sprintf("the name %s imitates %s (rank %d on PyPI) by %s", name, m.Name, m.Rank, how)
		sev := Medium
		switch threat := codeThreat(res.Findings); {
		case threat != nil:
			sev, msg = Critical, msg+", and its code holds a threat: "+threat.Rule+" in "+threat.File
		case a.Kind == artifact.KindSdist:
			sev, msg = High, msg+"; installing it runs its setup code"
		case !holdsCode(a):
			sev, msg = High, msg+", and it holds no code of its own"
		}
		res.Findings = append(res.Findings, Finding{Rule: x.Info().ID, Severity: sev, base: sev, Confidence: "medium",
			Context: Install, File: path.Base(a.Path), Message: msg})
		return
	}
	if mod, p, ok := shadowedProject(a); ok {
		msg := fmt.Sprintf("installs a top-level module %s named like %s (rank %d on PyPI), whose module it replaces or hides", mod, p.Name, p.Rank)
		res.Findings = append(res.Findings, Finding{Rule: x.Info().ID, Severity: High, base: High, Confidence: "medium",
			Context: Install, File: path.Base(a.Path), Message: msg})
	}
}

// codeThreat returns a code finding of high severity or more, after its
// context was weighed, or nil.
func codeThreat(fs []Finding) *Finding {
	for i := range fs {
		if codeRule[fs[i].Rule] && fs[i].Severity >= High {
			return &fs[i]
		}
	}
	return nil
}

// holdsCode reports whether a holds a Python module or an extension.
func holdsCode(a *artifact.Artifact) bool {
	for _, f := range a.Files {
		if f.Type != artifact.TypeRegular {
			continue
		}
		for _, ext := range []string{".py", ".pyw", ".so", ".pyd", ".pyc"} {
			if strings.HasSuffix(f.Path, ext) && !strings.HasSuffix(f.Path, "/setup.py") && f.Path != "setup.py" {
				return true
			}
		}
	}
	return false
}
