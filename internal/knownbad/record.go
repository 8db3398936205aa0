package knownbad

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Record is an OSV record (https://ossf.github.io/osv-schema/), with the
// fields the malicious-packages feed uses.
type Record struct {
	SchemaVersion    string          `json:"schema_version,omitempty"`
	ID               string          `json:"id"`
	Aliases          []string        `json:"aliases,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Modified         time.Time       `json:"modified"`
	Published        *time.Time      `json:"published,omitempty"`
	Withdrawn        *time.Time      `json:"withdrawn,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	Credits          []Credit        `json:"credits,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Affected is one package a record names, with the versions it covers.
type Affected struct {
	Package          Package         `json:"package"`
	Versions         []string        `json:"versions,omitempty"`
	Ranges           []Range         `json:"ranges,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Package identifies a package in an ecosystem.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range is a span of affected versions, as ordered events.
type Range struct {
	Type   string  `json:"type"`
	Events []Event `json:"events"`
}

// Event is one boundary of a range; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link about the record.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Credit names who found or reported the package.
type Credit struct {
	Name    string   `json:"name"`
	Contact []string `json:"contact,omitempty"`
	Type    string   `json:"type,omitempty"`
}

// MaxRecordBytes bounds one record; real ones are a few KiB.
const MaxRecordBytes = 4 << 20

// ErrNoID is returned for a record without an id.
var ErrNoID = errors.New("osv record has no id")

// ParseRecord parses one OSV record.
func ParseRecord(data []byte) (*Record, error) {
	if len(data) > MaxRecordBytes {
		return nil, fmt.Errorf("osv record of %d bytes is larger than %d", len(data), MaxRecordBytes)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("parse osv record: %w", err)
	}
	if r.ID == "" {
		return nil, ErrNoID
	}
	return &r, nil
}

// IsWithdrawn reports a record withdrawn as a false positive.
func (r *Record) IsWithdrawn() bool { return r.Withdrawn != nil && !r.Withdrawn.IsZero() }

// hashes returns the SHA-256 digests of files a record names as evidence
// (database_specific.indicators.evidence_files, at the top or per affected
// package). The feed's "malicious-packages-origins" digests identify source
// reports, not files, and are not used.
func (r *Record) hashes() []string {
	var out []string
	add := func(raw json.RawMessage) {
		var ds struct {
			Indicators struct {
				EvidenceFiles []struct {
					SHA256 string `json:"sha256"`
				} `json:"evidence_files"`
			} `json:"indicators"`
		}
		if len(raw) == 0 || json.Unmarshal(raw, &ds) != nil {
			return
		}
		for _, e := range ds.Indicators.EvidenceFiles {
			if isSHA256(e.SHA256) {
				out = append(out, e.SHA256)
			}
		}
	}
	add(r.DatabaseSpecific)
	for _, a := range r.Affected {
		add(a.DatabaseSpecific)
	}
	return out
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
