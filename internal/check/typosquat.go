package check

import (
	"fmt"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/severity"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// A name close to a popular project is only a typosquat when the project is
// far more popular than the name: squatters imitate what many people type.
// typosquat.Check never matches a name that is itself in the popularity
// data, so the name has at most typosquat.Floor() downloads; the imitated
// project is far more popular when it is among the farRank most downloaded
// and has at least farRatio times that.
const (
	farRank  = 1000
	farRatio = 100
)

// typosquatSeverity grades a match of p's name against a popular project.
//
//   - low: the project is not far more popular (two obscure names one edit
//     apart are usually two projects), or the two names differ only in a
//     version digit (jinja and jinja2, psycopg2 and psycopg3), the way
//     forks and successors are named;
//   - high: the project is far more popular and the lock corroborates it:
//     only a source distribution is locked, so installing runs its code;
//   - medium: the project is far more popular and nothing else is known.
//     check reads no index, so a young project, few releases or a scan
//     verdict cannot corroborate it, and popularity alone is not enough
//     for a finding that fails a build by default (--fail-on high).
func typosquatSeverity(p deps.Package, m typosquat.Match) (severity.Level, string) {
	how := m.How
	if m.How == "affix" && m.Affix != "" {
		how = fmt.Sprintf("the affix %q", m.Affix)
	}
	far := m.Rank <= farRank && m.Downloads >= farRatio*typosquat.Floor()
	switch {
	case versionSibling(p.Name, m.Name):
		return severity.Low, fmt.Sprintf("name is %s (rank %d on PyPI) with another version digit: likely a fork or successor", m.Name, m.Rank)
	case !far:
		return severity.Low, fmt.Sprintf("name is close to %s (rank %d on PyPI) by %s, which is not far more popular: likely a project of its own", m.Name, m.Rank, how)
	case sdistOnly(p):
		return severity.High, fmt.Sprintf("name imitates %s (rank %d on PyPI) by %s, and only a source distribution is locked", m.Name, m.Rank, how)
	}
	return severity.Medium, fmt.Sprintf("name imitates %s (rank %d on PyPI) by %s; nothing else corroborates it (release age, count and files are unknown without the index)", m.Name, m.Rank, how)
}

// versionSibling reports names that differ only in trailing version digits.
func versionSibling(name, popular string) bool {
	trim := func(s string) string { return strings.TrimRight(s, "-0123456789") }
	n := pkgname.Normalize(name)
	return n != popular && len(trim(n)) >= 3 && trim(n) == trim(popular)
}
