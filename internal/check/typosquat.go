package check

import (
	"fmt"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/severity"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
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
	switch {
	case typosquat.VersionSibling(p.Name, m.Name):
		return severity.Low, fmt.Sprintf("name is %s (rank %d on PyPI) with another version digit: likely a fork or successor", m.Name, m.Rank)
	case !m.FarMorePopular():
		return severity.Low, fmt.Sprintf("name is close to %s (rank %d on PyPI) by %s, which is not far more popular: likely a project of its own", m.Name, m.Rank, how)
	case sdistOnly(p):
		return severity.High, fmt.Sprintf("name imitates %s (rank %d on PyPI) by %s, and only a source distribution is locked", m.Name, m.Rank, how)
	}
	return severity.Medium, fmt.Sprintf("name imitates %s (rank %d on PyPI) by %s; nothing else corroborates it (release age, count and files are unknown without the index)", m.Name, m.Rank, how)
}
