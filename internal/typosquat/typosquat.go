// Package typosquat tells whether a package name imitates a popular one:
// one edit away (insert, delete, substitute, swap neighbours), the same
// with separators dropped or changed, a py/python affix added, or spelled
// with look-alike characters. Popular means the 15,000 most-downloaded
// PyPI projects, compiled in. A name that is itself popular is never
// flagged.
package typosquat

import (
	"bufio"
	"bytes"
	_ "embed"
	"strconv"
	"strings"
	"sync"

	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

//go:embed data/top-pypi-packages.csv
var topCSV []byte

// Project is a popular project.
type Project struct {
	Name      string
	Rank      int // 1 is the most downloaded
	Downloads int64
}

// Match is a popular project a name imitates, and how.
type Match struct {
	Project
	How string // "one edit", "separators", "affix", "look-alike characters"
	// Affix is what was added for How "affix" ("py-", "2").
	Affix string
}

var (
	once   sync.Once
	byName map[string]Project
	floor  int64 // downloads of the least popular listed project
	// byFirst and byLast index names by length and first or last byte: a
	// name one edit away from another shares its first byte (the edit is
	// later) or its last (the edit is at the start).
	byFirst map[lenByte][]Project
	byLast  map[lenByte][]Project
	squash  map[string]Project // name with separators removed
	minLen  = 4                // shorter popular names are too close to everything
	// minEditLen is the shortest name, on either side, that one-edit matches
	// are sought for: "tool" is one edit from "toml" and "toolz" and is a
	// typosquat of neither. (A four-letter squat such as "nump" is missed.)
	minEditLen = 5
	affixes    = []string{"py", "python", "py-", "python-", "-py", "-python", "3", "-3", "2", "-dev", "-lib", "lib"}
)

type lenByte struct {
	n int
	b byte
}

func load() {
	byName, squash = map[string]Project{}, map[string]Project{}
	byFirst, byLast = map[lenByte][]Project{}, map[lenByte][]Project{}
	sc := bufio.NewScanner(bytes.NewReader(topCSV))
	rank := 0
	for sc.Scan() {
		count, name, ok := strings.Cut(sc.Text(), ",")
		n, err := strconv.ParseInt(count, 10, 64)
		if !ok || err != nil {
			continue // the header
		}
		rank++
		p := Project{Name: pkgname.Normalize(strings.Trim(name, `"`)), Rank: rank, Downloads: n}
		if _, dup := byName[p.Name]; dup {
			continue
		}
		byName[p.Name] = p
		if floor == 0 || n < floor {
			floor = n
		}
		if len(p.Name) >= minEditLen {
			first, last := lenByte{len(p.Name), p.Name[0]}, lenByte{len(p.Name), p.Name[len(p.Name)-1]}
			byFirst[first] = append(byFirst[first], p)
			byLast[last] = append(byLast[last], p)
		}
		sq := strings.ReplaceAll(p.Name, "-", "")
		if _, ok := squash[sq]; !ok {
			squash[sq] = p
		}
	}
}

// Popular returns the popular project with this name, if it is one.
func Popular(name string) (Project, bool) {
	once.Do(load)
	p, ok := byName[pkgname.Normalize(name)]
	return p, ok
}

// Floor returns the downloads of the least popular listed project: a name
// that is not listed has at most this many, as far as the data knows.
func Floor() int64 {
	once.Do(load)
	return floor
}

// Check returns the most popular project name imitates, if any.
func Check(name string) (Match, bool) {
	once.Do(load)
	n := pkgname.Normalize(name)
	if _, ok := byName[n]; ok || n == "" {
		return Match{}, false
	}
	best := Match{}
	consider := func(p Project, how string, affix ...string) {
		if len(p.Name) >= minLen && (best.Name == "" || p.Rank < best.Rank) {
			best = Match{Project: p, How: how}
			if len(affix) > 0 {
				best.Affix = affix[0]
			}
		}
	}
	if p, ok := squash[strings.ReplaceAll(n, "-", "")]; ok {
		consider(p, "separators")
	}
	for _, a := range affixes {
		if p, ok := byName[strings.TrimPrefix(n, a)]; ok && strings.HasPrefix(n, a) {
			consider(p, "affix", a)
		}
		if p, ok := byName[strings.TrimSuffix(n, a)]; ok && strings.HasSuffix(n, a) {
			consider(p, "affix", a)
		}
	}
	if h := unconfuse(n); h != n {
		if p, ok := byName[h]; ok {
			consider(p, "look-alike characters")
		}
	}
	// Four-letter names are one edit from too many real words, so both
	// sides need minEditLen (the index holds only such names).
	for l := len(n) - 1; l <= len(n)+1 && len(n) >= minEditLen; l++ {
		for _, p := range byFirst[lenByte{l, n[0]}] {
			if oneEdit(n, p.Name) {
				consider(p, "one edit")
			}
		}
		for _, p := range byLast[lenByte{l, n[len(n)-1]}] {
			if p.Name[0] != n[0] && oneEdit(n, p.Name) {
				consider(p, "one edit")
			}
		}
	}
	if best.Name == "" && len(n) >= minTwoEditLen {
		// Two slips (tensrflwo) still read as the name in a long one;
		// only the most downloaded long names are worth the risk.
		for l := len(n) - 2; l <= len(n)+2; l++ {
			for _, p := range byFirst[lenByte{l, n[0]}] {
				if p.Rank <= twoEditRank && len(p.Name) >= minTwoEditLen && p.Name[1] == n[1] && editsAtMost2(n, p.Name) {
					consider(p, "two edits")
				}
			}
		}
	}
	return best, best.Name != ""
}

// Two-edit matches: both names at least minTwoEditLen long, the popular
// one among the twoEditRank most downloaded, the first two letters kept
// (pdb-tools is its own project, not pip-tools with two slips).
const (
	minTwoEditLen = 9
	twoEditRank   = farRank
)

// editsAtMost2 reports an optimal-string-alignment distance (edits,
// adjacent swaps included) of at most two between a and b.
func editsAtMost2(a, b string) bool {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return false
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low > 2 {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)] <= 2
}

// unconfuse maps characters and pairs that look alike to one spelling.
func unconfuse(s string) string {
	return strings.NewReplacer("0", "o", "1", "l", "rn", "m", "vv", "w", "5", "s").Replace(s)
}

// oneEdit reports a Damerau-Levenshtein distance of exactly one.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	switch {
	case la == lb:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // swap
	case la == lb+1:
		return deletes(a, b)
	case lb == la+1:
		return deletes(b, a)
	}
	return false
}

// deletes reports that removing one byte of long gives short.
func deletes(long, short string) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	return long[i+1:] == short[i:]
}

// A name close to a popular project is only a typosquat when the project
// is far more popular than the name: squatters imitate what many people
// type. Check never matches a name that is itself in the popularity data,
// so the name has at most Floor() downloads; the imitated project is far
// more popular when it is among the farRank most downloaded and has at
// least farRatio times that.
const (
	farRank  = 1000
	farRatio = 100
)

// FarMorePopular reports whether the imitated project is far more popular
// than any name outside the popularity data can be.
func (m Match) FarMorePopular() bool {
	once.Do(load)
	return m.Rank <= farRank && m.Downloads >= farRatio*floor
}

// VersionSibling reports names that differ from the popular one only in
// trailing version digits (jinja and jinja2, psycopg2 and psycopg3): the
// way forks and successors are named.
func VersionSibling(name, popular string) bool {
	trim := func(s string) string { return strings.TrimRight(s, "-0123456789") }
	n := pkgname.Normalize(name)
	return n != popular && len(trim(n)) >= 3 && trim(n) == trim(popular)
}
