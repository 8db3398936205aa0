package artifact

import (
	"github.com/safeguard-dev/safeguard/internal/severity"

	"fmt"
	"sort"
)

// Anomaly is an irregularity in how an artifact is packed.
type Anomaly struct {
	Kind     string         `json:"kind"`
	Severity severity.Level `json:"severity"`
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
	Severity    severity.Level
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
	DenseEntry         = "dense-entry-skipped"
	ExtensionMismatch  = "extension-mismatch"
	NestedTooDeep      = "nested-too-deep"
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
	{AbsolutePath, severity.High, "entry name is an absolute path; an extractor that trusts it writes anywhere"},
	{PathTraversal, severity.High, "entry name climbs out of the archive with `..`"},
	{Symlink, severity.Low, "symbolic link to a path inside the archive (never followed)"},
	{SymlinkOutside, severity.High, "symbolic link to an absolute path or out of the archive, such as /etc/passwd or ~/.ssh"},
	{Hardlink, severity.Low, "hard link to another entry (never followed)"},
	{HardlinkOutside, severity.High, "hard link to a path out of the archive"},
	{SpecialFile, severity.High, "device, FIFO or socket entry; no distribution needs one"},
	{UnknownEntryType, severity.Medium, "tar entry of an unknown type, which extractors write as a regular file"},
	{DuplicateEntry, severity.Medium, "the same name appears twice; pip keeps the last, some scanners read the first"},
	{CaseCollision, severity.Low, "two names differ only in case and overwrite each other on Windows and macOS"},
	{InvalidUTF8Name, severity.Medium, "entry name is not valid UTF-8"},
	{ControlCharName, severity.Medium, "entry name holds control characters that can disguise it in listings"},
	{BackslashName, severity.Low, "entry name uses backslashes, which Windows extractors treat as separators"},
	{EmptyName, severity.Medium, "entry with an empty name"},
	{TrailingData, severity.Medium, "bytes after the end of the archive, invisible to most tools"},
	{PrependedData, severity.Medium, "bytes before the first zip entry (a polyglot or self-extractor)"},
	{SizeMismatch, severity.High, "an entry's header states a size its content does not have"},
	{ChecksumMismatch, severity.High, "an entry's CRC-32 does not match its content"},
	{Truncated, severity.Medium, "the archive ends in the middle of an entry or is corrupt from some point on"},
	{OverlappingEntries, severity.High, "zip entries share compressed data, the trick behind non-recursive zip bombs"},
	{Encrypted, severity.Medium, "encrypted zip entry; its content cannot be scanned"},
	{UnsupportedMethod, severity.Medium, "zip entry compressed with a method the reader does not decode; content not scanned"},
	{DenseEntry, severity.Low, "zip data file that compresses past max-ratio (test data often does), skipped; code and archives that do still stop the read"},
	{ExtensionMismatch, severity.Medium, "the file's content is not the format its name says"},
	{NestedTooDeep, severity.Medium, "archive inside an archive deeper than max-depth, not opened: its content was not scanned, and the result says so"},
	{NestedError, severity.Medium, "archive inside the archive could not be read"},
	{MetadataMismatch, severity.Medium, "name or version in the filename differs from the metadata inside"},
	{MetadataProblem, severity.Info, "a metadata file has lines or values the parser could not read"},
	{MultipleDistInfo, severity.Medium, "a wheel with more than one .dist-info directory; installers refuse it"},
	{MissingMetadata, severity.Medium, "a wheel or egg without its metadata file"},
	{RecordMissing, severity.Medium, "a wheel without RECORD"},
	{RecordHashMismatch, severity.High, "a file's hash differs from RECORD: the wheel was changed after it was built"},
	{RecordSizeMismatch, severity.High, "a file's size differs from RECORD"},
	{RecordMissingFile, severity.Medium, "RECORD lists a file the wheel does not contain"},
	{RecordUnlisted, severity.Medium, "the wheel contains a file RECORD does not list"},
	{RecordNoHash, severity.Low, "RECORD lists a file without a hash"},
	{RecordWeakHash, severity.Medium, "RECORD uses md5 or sha1, which wheels may not use, or an unknown algorithm"},
	{SkippedDirectory, severity.Info, "a project directory's VCS, cache or virtual-environment directory was not read"},
	{UnreadableFile, severity.Low, "a file in a project directory could not be read"},
	{AnomaliesElided, severity.Info, "more anomalies of one kind than are listed"},
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
		out = append(out, Anomaly{Kind: AnomaliesElided, Severity: severity.Info,
			Detail: fmt.Sprintf("%d more %s anomalies not listed", as.counts[k]-maxPerKind, k)})
	}
	return out
}
