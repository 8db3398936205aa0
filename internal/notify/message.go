package notify

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Message types. A message's Type says what happened; receivers switch
// on it.
const (
	TypeMalicious      = "alert.malicious"       // a release the project can install was scanned malicious (or suspicious)
	TypeKnownMalicious = "alert.known_malicious" // a known-malicious record (OSV MAL-...) names a version the project can install
	TypeYanked         = "alert.yanked"          // a version the project pins was yanked or removed
	TypeQuarantined    = "alert.quarantined"     // PyPI quarantined a project the project depends on
	TypeTyposquat      = "alert.typosquat"       // a new project imitating a dependency's name was scanned malicious or suspicious
	TypeTest           = "test"                  // safeguard alerts test PROJECT
)

// Message is what one alert says, as plain data. The monitor fills it;
// every channel renders the same fields. Everything but ID, Type and Time
// may come from an attacker (package names, file paths, snippets) and is
// escaped by each channel.
type Message struct {
	// ID is stable per alert: every attempt to deliver the alert, on
	// every channel, carries it (webhook-id, e-mail Message-ID). Letters,
	// digits, '_' and '-', at most 128.
	ID string `json:"id"`
	// Type is one of the Type constants (letters, digits, '_' and '.').
	Type string `json:"type"`
	// Time is when the event happened, not when it is delivered.
	Time time.Time `json:"-"`
	// Project is the watched project the alert is for.
	Project string `json:"project"`
	// Package and Version are the dependency that turned bad (Version is
	// empty when the whole project is concerned, as in a quarantine).
	Package string `json:"package"`
	Version string `json:"version,omitempty"`
	// Summary is one line saying what happened.
	Summary string `json:"summary"`
	// Reasons are the evidence: findings, advisories.
	Reasons []Reason `json:"reasons,omitempty"`
	// Declared says where the project declares the dependency.
	Declared []Location `json:"declared,omitempty"`
	// Advice says what to do.
	Advice string `json:"advice,omitempty"`
	// URL links to the alert on the server, if it has a dashboard.
	URL string `json:"url,omitempty"`
}

// Reason is one piece of evidence: a finding of a scan rule, or an
// advisory such as an OSV MAL- record.
type Reason struct {
	Rule     string `json:"rule,omitempty"`
	Severity string `json:"severity,omitempty"`
	Advisory string `json:"advisory,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Snippet  string `json:"snippet,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Location is a place in the project's own files.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

// String is "file:line", or "file" when the line is unknown.
func (l Location) String() string {
	if l.Line > 0 {
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return l.File
}

// Where says where a reason points: "file:line", "file", or "".
func (r Reason) Where() string {
	if r.File == "" {
		return ""
	}
	return Location{File: r.File, Line: r.Line}.String()
}

var (
	idRegex   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	typeRegex = regexp.MustCompile(`^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$`)
)

// ErrMessage is wrapped by the error of a message that cannot be sent.
var ErrMessage = errors.New("invalid message")

// Check reports whether m can be sent: an ID and a Type of the allowed
// characters (Standard Webhooks forbids '.' in the ID, which is signed
// between dots) and a Time.
func (m Message) Check() error {
	switch {
	case !idRegex.MatchString(m.ID):
		return fmt.Errorf("%w: id %q must be 1 to 128 letters, digits, '_' or '-'", ErrMessage, clip(m.ID, 40))
	case len(m.Type) > 64 || !typeRegex.MatchString(m.Type):
		return fmt.Errorf("%w: type %q must be dot-separated words", ErrMessage, clip(m.Type, 40))
	case m.Time.IsZero():
		return fmt.Errorf("%w: no time", ErrMessage)
	}
	return nil
}

// Title is the one-line headline of m, used as the e-mail subject and the
// Slack header.
func (m Message) Title() string {
	dep := m.Package
	if m.Version != "" {
		dep += " " + m.Version
	}
	var what string
	switch m.Type {
	case TypeMalicious:
		what = "malicious release of " + dep
	case TypeKnownMalicious:
		what = "known-malicious " + dep
	case TypeYanked:
		what = dep + " was yanked"
	case TypeQuarantined:
		what = dep + " was quarantined"
	case TypeTyposquat:
		what = "typosquat " + dep
	case TypeTest:
		return "Safeguard test alert for " + m.Project
	default:
		what = m.Type + " " + dep
	}
	return fmt.Sprintf("Safeguard: %s (%s)", what, m.Project)
}

// oneLine makes attacker text fit on one line: control characters become
// spaces, and the result is clipped to n bytes.
func oneLine(s string, n int) string {
	return clip(strings.TrimSpace(blankControls(s)), n)
}

// blankControls replaces control characters with spaces.
func blankControls(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}
