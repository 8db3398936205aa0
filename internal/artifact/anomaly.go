package artifact

import (
	"fmt"
	"sort"
)

// Severity orders anomalies by how much they should worry a reader.
type Severity int

// Severities, lowest first.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
)

var severityNames = [...]string{"info", "low", "medium", "high"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText encodes the severity by name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity parses "info", "low", "medium" or "high".
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if n == name {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium or high)", name)
}

// Anomaly is an irregularity in how an artifact is packed.
type Anomaly struct {
	Kind     string   `json:"kind"`
	Severity Severity `json:"severity"`
	// Entry is the archive member concerned, as stored (quoted when printed).
	Entry  string `json:"entry,omitempty"`
	Detail string `json:"detail,omitempty"`
}

func (a Anomaly) String() string {
	s := fmt.Sprintf("[%s] %s", a.Severity, a.Kind)
	if a.Entry != "" {
		s += fmt.Sprintf(" %q", a.Entry)
	}
	if a.Detail != "" {
		s += ": " + a.Detail
	}
	return s
}

// AnomalyKind describes one kind of anomaly; Kinds lists them all, and the
// documentation table is generated from it.
type AnomalyKind struct {
	ID          string
	Severity    Severity
	Description string
}

// Anomaly kinds.
const (
	AbsolutePath       = "absolute-path"
	PathTraversal      = "path-traversal"
	Symlink            = "symlink"
	SymlinkOutside     = "symlink-outside"
	Hardlink           = "hardlink"
	HardlinkOutside    = "hardlink-outside"
	SpecialFile        = "special-file"
	UnknownEntryType   = "unknown-entry-type"
	DuplicateEntry     = "duplicate-entry"
	CaseCollision      = "case-collision"
	InvalidUTF8Name    = "invalid-utf8-name"
	ControlCharName    = "control-char-name"
	BackslashName      = "backslash-name"
	EmptyName          = "empty-name"
	TrailingData       = "trailing-data"
	PrependedData      = "prepended-data"
	SizeMismatch       = "size-mismatch"
	ChecksumMismatch   = "checksum-mismatch"
	Truncated          = "truncated"
	OverlappingEntries = "overlapping-entries"
	Encrypted          = "encrypted-entry"
	UnsupportedMethod  = "unsupported-compression"
	ExtensionMismatch  = "extension-mismatch"
	NestedNotRead      = "nested-archive-not-read"
	NestedError        = "nested-archive-error"
	MetadataMismatch   = "metadata-mismatch"
	MetadataProblem    = "metadata-problem"
	MultipleDistInfo   = "multiple-dist-info"
	MissingMetadata    = "missing-metadata"
	RecordMissing      = "record-missing"
	RecordHashMismatch = "record-hash-mismatch"
	RecordSizeMismatch = "record-size-mismatch"
	RecordMissingFile  = "record-missing-file"
	RecordUnlisted     = "record-unlisted-file"
	RecordNoHash       = "record-no-hash"
	RecordWeakHash     = "record-weak-hash"
	SkippedDirectory   = "skipped-directory"
	UnreadableFile     = "unreadable-file"
	AnomaliesElided    = "anomalies-elided"
)

// Kinds lists every anomaly kind with its severity and meaning.
var Kinds = []AnomalyKind{
	{AbsolutePath, SeverityHigh, "entry name is an absolute path; an extractor that trusts it writes anywhere"},
	{PathTraversal, SeverityHigh, "entry name climbs out of the archive with `..`"},
	{Symlink, SeverityLow, "symbolic link to a path inside the archive (never followed)"},
	{SymlinkOutside, SeverityHigh, "symbolic link to an absolute path or out of the archive, such as /etc/passwd or ~/.ssh"},
	{Hardlink, SeverityLow, "hard link to another entry (never followed)"},
	{HardlinkOutside, SeverityHigh, "hard link to a path out of the archive"},
	{SpecialFile, SeverityHigh, "device, FIFO or socket entry; no distribution needs one"},
	{UnknownEntryType, SeverityMedium, "tar entry of an unknown type, which extractors write as a regular file"},
	{DuplicateEntry, SeverityMedium, "the same name appears twice; pip keeps the last, some scanners read the first"},
	{CaseCollision, SeverityLow, "two names differ only in case and overwrite each other on Windows and macOS"},
	{InvalidUTF8Name, SeverityMedium, "entry name is not valid UTF-8"},
	{ControlCharName, SeverityMedium, "entry name holds control characters that can disguise it in listings"},
	{BackslashName, SeverityLow, "entry name uses backslashes, which Windows extractors treat as separators"},
	{EmptyName, SeverityMedium, "entry with an empty name"},
	{TrailingData, SeverityMedium, "bytes after the end of the archive, invisible to most tools"},
	{PrependedData, SeverityMedium, "bytes before the first zip entry (a polyglot or self-extractor)"},
	{SizeMismatch, SeverityHigh, "an entry's header states a size its content does not have"},
	{ChecksumMismatch, SeverityHigh, "an entry's CRC-32 does not match its content"},
	{Truncated, SeverityMedium, "the archive ends in the middle of an entry or is corrupt from some point on"},
	{OverlappingEntries, SeverityHigh, "zip entries share compressed data, the trick behind non-recursive zip bombs"},
	{Encrypted, SeverityMedium, "encrypted zip entry; its content cannot be scanned"},
	{UnsupportedMethod, SeverityMedium, "zip entry compressed with a method the reader does not decode; content not scanned"},
	{ExtensionMismatch, SeverityMedium, "the file's content is not the format its name says"},
	{NestedNotRead, SeverityMedium, "archive inside an archive deeper than max-depth; its content was not scanned"},
	{NestedError, SeverityMedium, "archive inside the archive could not be read"},
	{MetadataMismatch, SeverityMedium, "name or version in the filename differs from the metadata inside"},
	{MetadataProblem, SeverityInfo, "a metadata file has lines or values the parser could not read"},
	{MultipleDistInfo, SeverityMedium, "a wheel with more than one .dist-info directory; installers refuse it"},
	{MissingMetadata, SeverityMedium, "a wheel or egg without its metadata file"},
	{RecordMissing, SeverityMedium, "a wheel without RECORD"},
	{RecordHashMismatch, SeverityHigh, "a file's hash differs from RECORD: the wheel was changed after it was built"},
	{RecordSizeMismatch, SeverityHigh, "a file's size differs from RECORD"},
	{RecordMissingFile, SeverityMedium, "RECORD lists a file the wheel does not contain"},
	{RecordUnlisted, SeverityMedium, "the wheel contains a file RECORD does not list"},
	{RecordNoHash, SeverityLow, "RECORD lists a file without a hash"},
	{RecordWeakHash, SeverityMedium, "RECORD uses md5 or sha1, which wheels may not use, or an unknown algorithm"},
	{SkippedDirectory, SeverityInfo, "a project directory's VCS, cache or virtual-environment directory was not read"},
	{UnreadableFile, SeverityLow, "a file in a project directory could not be read"},
	{AnomaliesElided, SeverityInfo, "more anomalies of one kind than are listed"},
}

var kindIndex = func() map[string]AnomalyKind {
	m := make(map[string]AnomalyKind, len(Kinds))
	for _, k := range Kinds {
		m[k.ID] = k
	}
	return m
}()

// maxPerKind bounds how many anomalies of one kind are listed per artifact.
const maxPerKind = 50

// anomalies collects anomalies, listing at most maxPerKind of each kind.
type anomalies struct {
	list   []Anomaly
	counts map[string]int
}

func (as *anomalies) add(kind, entry, detail string) {
	if as.counts == nil {
		as.counts = map[string]int{}
	}
	as.counts[kind]++
	if as.counts[kind] > maxPerKind {
		return
	}
	as.list = append(as.list, Anomaly{Kind: kind, Severity: kindIndex[kind].Severity, Entry: entry, Detail: detail})
}

// result returns the anomalies, with one summary per kind that overflowed.
func (as *anomalies) result() []Anomaly {
	out := as.list
	kinds := make([]string, 0, len(as.counts))
	for k, n := range as.counts {
		if n > maxPerKind {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		out = append(out, Anomaly{Kind: AnomaliesElided, Severity: SeverityInfo,
			Detail: fmt.Sprintf("%d more %s anomalies not listed", as.counts[k]-maxPerKind, k)})
	}
	return out
}
