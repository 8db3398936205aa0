package proxy

import (
	"fmt"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/safeguard-dev/safeguard/internal/artifact"
	"github.com/safeguard-dev/safeguard/internal/pep508"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
	"github.com/safeguard-dev/safeguard/internal/typosquat"
)

// Policy decides which files the proxy serves. The zero value is not
// useful; start from DefaultPolicy.
type Policy struct {
	Block struct {
		Malicious      bool `toml:"malicious"`
		KnownMalicious bool `toml:"known_malicious"`
		Suspicious     bool `toml:"suspicious"`
		Yanked         bool `toml:"yanked"`
		// Typosquat blocks projects whose name imitates one of the
		// 15,000 most-downloaded (allow-list a real one that looks so).
		Typosquat bool `toml:"typosquat"`
	} `toml:"block"`
	OnlyBinary struct {
		Enabled bool     `toml:"enabled"`
		Allow   []string `toml:"allow"` // projects whose sdists are allowed
	} `toml:"only_binary"`
	Cooldown struct {
		MinAge duration `toml:"min_age"` // files younger than this are held back
	} `toml:"cooldown"`
	// Allow exempts matching files from the deny list, the cooldown,
	// only-binary and a suspicious verdict; never from a malicious verdict
	// or a known-malicious record. Deny blocks matching files outright.
	// Entries are a project name or glob, optionally with a version
	// specifier: "requests", "internal-*", "django>=4,<5".
	Allow []string `toml:"allow"`
	Deny  []string `toml:"deny"`
	// Prescan bounds the scanning done when a project page is asked for,
	// so that blocked files are already off the page pip chooses from.
	Prescan struct {
		Versions     int      `toml:"versions"`       // newest versions whose files are scanned first
		MaxFileBytes byteSize `toml:"max_file_bytes"` // larger files are scanned when downloaded
		BudgetBytes  byteSize `toml:"budget_bytes"`   // bytes fetched per page request
		Timeout      duration `toml:"timeout"`
	} `toml:"prescan"`

	allow, deny []matcher
	squats      sync.Map // project -> typosquatResult
}

type typosquatResult struct {
	m  typosquat.Match
	ok bool
}

// typosquat checks a project name once.
func (p *Policy) typosquat(project string) (typosquat.Match, bool) {
	if r, ok := p.squats.Load(project); ok {
		t := r.(typosquatResult)
		return t.m, t.ok
	}
	m, ok := typosquat.Check(project)
	p.squats.Store(project, typosquatResult{m, ok})
	return m, ok
}

// DefaultPolicy blocks malicious, known-malicious and typosquat files, and prescans
// the files of the three newest versions up to 32 MiB each and 128 MiB a
// page, for at most a minute.
func DefaultPolicy() *Policy {
	p := &Policy{}
	p.Block.Malicious, p.Block.KnownMalicious, p.Block.Typosquat = true, true, true
	p.Prescan.Versions = 3
	p.Prescan.MaxFileBytes = 32 << 20
	p.Prescan.BudgetBytes = 128 << 20
	p.Prescan.Timeout = duration(time.Minute)
	return p
}

// LoadPolicy reads a TOML policy over the defaults; unknown keys are
// errors (a typo must not silently weaken a policy).
func LoadPolicy(file string) (*Policy, error) {
	p := DefaultPolicy()
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		dec := toml.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(p); err != nil {
			return nil, fmt.Errorf("policy %s: %w", file, err)
		}
	}
	return p, p.compile()
}

func (p *Policy) compile() error {
	p.allow, p.deny = nil, nil
	for _, list := range []struct {
		entries []string
		out     *[]matcher
		name    string
	}{{p.Allow, &p.allow, "allow"}, {p.Deny, &p.deny, "deny"}} {
		for _, e := range list.entries {
			m, err := parseMatcher(e)
			if err != nil {
				return fmt.Errorf("policy %s entry %q: %w", list.name, e, err)
			}
			*list.out = append(*list.out, m)
		}
	}
	return nil
}

// Decision is the policy's answer for one file.
type Decision struct {
	Allow  bool
	Rule   string // what decided: deny-list, typosquat, yanked, only-binary, cooldown, known-malicious, malicious, suspicious, scanned
	Reason string
}

func allow(rule, reason string) Decision { return Decision{Allow: true, Rule: rule, Reason: reason} }
func block(rule, reason string) Decision { return Decision{Rule: rule, Reason: reason} }

// Static decides what can be decided without the file's bytes: lists,
// yanked, only-binary and the cooldown (the typosquat rule needs the whole
// page: Typosquat). ok is false when the file must
// still be scanned.
func (p *Policy) Static(project string, f *File, now time.Time) (Decision, bool) {
	version := f.Version()
	allowed := matchAny(p.allow, project, version)
	if !allowed && matchAny(p.deny, project, version) {
		return block("deny-list", fmt.Sprintf("%s %s is on the policy's deny list", project, version)), true
	}
	if y, reason := f.IsYanked(); y && p.Block.Yanked {
		return block("yanked", "the release is yanked: "+reason), true
	}
	if p.OnlyBinary.Enabled && f.Kind() == "sdist" && !allowed && !p.sdistAllowed(project) {
		return block("only-binary", "only wheels are allowed (an sdist runs its build code when installed)"), true
	}
	if age := time.Duration(p.Cooldown.MinAge); age > 0 && !allowed && f.UploadTime != "" {
		if up, err := time.Parse(time.RFC3339, f.UploadTime); err == nil && now.Sub(up) < age {
			return block("cooldown", fmt.Sprintf("uploaded %s ago, at %s; the policy waits %s", now.Sub(up).Round(time.Minute), up.UTC().Format(time.RFC3339), age)), true
		}
	}
	return Decision{}, false
}

// Squat thresholds: a project whose name imitates a far more popular one
// is blocked before any scan when its page corroborates the imitation: it
// is young, has few releases, or publishes no wheels (an sdist runs its
// code on install). An established look-alike is left to the scan.
const (
	squatYoung       = 90 * 24 * time.Hour
	squatFewReleases = 3
)

// Typosquat decides, from the project's whole page, whether its name is a
// typosquat to block: it imitates a far more popular project (not by a
// version digit, as forks and successors are named), and the page
// corroborates it. ok is false when the scan must decide.
func (p *Policy) Typosquat(project string, page *Project, now time.Time) (Decision, bool) {
	if !p.Block.Typosquat || matchAny(p.allow, project, "") {
		return Decision{}, false
	}
	m, ok := p.typosquat(project)
	if !ok || !m.FarMorePopular() || typosquat.VersionSibling(project, m.Name) {
		return Decision{}, false
	}
	var why []string
	versions, wheels := map[string]bool{}, false
	var first time.Time
	for i := range page.Files {
		f := &page.Files[i]
		versions[f.Version()] = true
		wheels = wheels || f.Kind() == "wheel"
		if t, err := time.Parse(time.RFC3339, f.UploadTime); err == nil && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if !first.IsZero() && now.Sub(first) < squatYoung {
		why = append(why, fmt.Sprintf("first upload %d days ago", int(now.Sub(first).Hours()/24)))
	}
	if len(versions) <= squatFewReleases {
		why = append(why, fmt.Sprintf("%d release(s)", len(versions)))
	}
	if !wheels {
		why = append(why, "no wheels")
	}
	if len(why) == 0 {
		return Decision{}, false
	}
	return block("typosquat", fmt.Sprintf("the name %s imitates %s (rank %d on PyPI) by %s, and %s", project, m.Name, m.Rank, m.How, strings.Join(why, ", "))), true
}

// Verdict decides from a scan: the verdict and whether a known-malicious
// record matched. detail names the finding and its file and line.
func (p *Policy) Verdict(project, version, verdict string, known bool, detail string) Decision {
	switch {
	case known && p.Block.KnownMalicious:
		return block("known-malicious", detail)
	case verdict == "malicious" && p.Block.Malicious:
		return block("malicious", detail)
	case verdict == "suspicious" && p.Block.Suspicious && !matchAny(p.allow, project, version):
		return block("suspicious", detail)
	}
	return allow("scanned", "verdict "+verdict)
}

func (p *Policy) sdistAllowed(project string) bool {
	for _, a := range p.OnlyBinary.Allow {
		if pkgname.Normalize(a) == project {
			return true
		}
	}
	return false
}

// matcher is one allow/deny entry.
type matcher struct {
	glob string
	spec *pep508.Specifier
}

func parseMatcher(s string) (matcher, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, "<>=!~ ")
	name, spec := s, ""
	if i >= 0 {
		name, spec = s[:i], strings.TrimSpace(s[i:])
	}
	if name == "" {
		return matcher{}, fmt.Errorf("no project name")
	}
	m := matcher{glob: strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(name))}
	if _, err := path.Match(m.glob, ""); err != nil {
		return matcher{}, err
	}
	if spec != "" {
		sp, err := pep508.ParseSpecifier(spec)
		if err != nil {
			return matcher{}, err
		}
		m.spec = &sp
	}
	return m, nil
}

func matchAny(ms []matcher, project, version string) bool {
	for _, m := range ms {
		if ok, _ := path.Match(m.glob, project); !ok {
			continue
		}
		if m.spec == nil || version != "" && m.spec.Contains(version, true) {
			return true
		}
	}
	return false
}

// duration is a TOML string such as "72h".
type duration time.Duration

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = duration(v)
	return nil
}

// byteSize is a TOML string such as "32MiB".
type byteSize int64

func (b *byteSize) UnmarshalText(t []byte) error {
	v, err := artifact.ParseBytes(string(t))
	*b = byteSize(v)
	return err
}
