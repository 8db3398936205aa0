package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// Alert kinds.
const (
	KindMalicious      = "malicious"
	KindSuspicious     = "suspicious"
	KindKnownMalicious = "known-malicious"
	KindYanked         = "yanked"
	KindRemoved        = "removed"
	KindQuarantined    = "quarantined"
	KindTyposquat      = "typosquat"
)

// Body is what an alert says, as stored and as sent.
type Body struct {
	Project    string     `json:"project"`
	Dependency string     `json:"dependency"`
	Version    string     `json:"version,omitempty"`
	Kind       string     `json:"kind"`
	Summary    string     `json:"summary"`
	Reason     Reason     `json:"reason"`
	Declared   []Location `json:"declared"` // where the project declares the dependency
	Advice     string     `json:"advice"`
	Time       time.Time  `json:"time"`
}

// Reason is the evidence behind an alert.
type Reason struct {
	Verdict  string    `json:"verdict,omitempty"`
	Score    int       `json:"score,omitempty"`
	Filename string    `json:"filename,omitempty"`
	SHA256   string    `json:"sha256,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	Record   string    `json:"record,omitempty"` // MAL-... or the list that names it
	Detail   string    `json:"detail,omitempty"`
	// Imitates is, for a typosquat, the watched name imitated.
	Imitates string `json:"imitates,omitempty"`
}

// Location is a place in a project's own files.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

// Finding is one finding of a scan, as an alert quotes it.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Snippet  string `json:"snippet,omitempty"`
	Message  string `json:"message"`
}

// alertID is the alert's identity: the same project, dependency, version
// and kind found again is the same alert.
func alertID(project, dep, version, kind string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{project, dep, version, kind}, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// TargetID names a notification target in the deliveries table: a hash
// of its spec, which may hold credentials and is kept only in the
// project's options.
func TargetID(spec string) string {
	sum := sha256.Sum256([]byte(spec))
	return hex.EncodeToString(sum[:8])
}

// newAlert builds the store's alert for body, found for dependents.
func newAlert(b Body, deps []store.Dependency) (store.Alert, error) {
	seen := map[Location]bool{}
	for _, d := range deps {
		loc := Location{File: d.File, Line: d.Line}
		if !seen[loc] {
			seen[loc] = true
			b.Declared = append(b.Declared, loc)
		}
	}
	if b.Time.IsZero() {
		b.Time = time.Now().UTC()
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return store.Alert{}, err
	}
	return store.Alert{ID: alertID(b.Project, b.Dependency, b.Version, b.Kind), Project: b.Project,
		Dependency: b.Dependency, Version: b.Version, Kind: b.Kind, Body: raw, Created: b.Time}, nil
}

// advice says what to do about a dependency gone bad.
func advice(kind, dep, version string, pinned bool) string {
	switch kind {
	case KindYanked, KindRemoved:
		return fmt.Sprintf("%s %s was %s: pin %s to another release you have checked, and check why it was pulled.", dep, version, kind, dep)
	case KindQuarantined:
		return fmt.Sprintf("PyPI quarantined %s: do not install it until the quarantine is cleared; check installs made since its last release.", dep)
	case KindTyposquat:
		return fmt.Sprintf("%s imitates a dependency of yours and was flagged: make sure no requirement names it by mistake.", dep)
	}
	if pinned {
		return fmt.Sprintf("Do not install %s %s: pin %s to the last version you had checked, or remove it; if it was installed, treat the machine as compromised and rotate its credentials.", dep, version, dep)
	}
	return fmt.Sprintf("Do not install %s %s: your range allows it; pin %s to the last good version (exclude %s), or remove it.", dep, version, dep, version)
}
