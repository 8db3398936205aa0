package proxy

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/pep440"
	"github.com/safeguard-dev/safeguard/internal/pkgname"
)

// Media types of the simple API (PEP 691).
const (
	mediaJSON      = "application/vnd.pypi.simple.v1+json"
	mediaHTML      = "application/vnd.pypi.simple.v1+html"
	mediaLegacy    = "text/html"
	apiVersion     = "1.1"
	maxPageBytes   = 64 << 20
	maxIndexBytes  = 256 << 20
	maxProjectName = 200
)

// Project is one project page of the simple API.
type Project struct {
	Name     string      `json:"name"`
	Files    []File      `json:"files"`
	Versions []string    `json:"versions"` // PEP 700: required from API 1.1
	Status   *Status     `json:"project-status,omitempty"`
	Meta     ProjectMeta `json:"meta"`
}

// ProjectMeta is the page's meta table.
type ProjectMeta struct {
	APIVersion string `json:"api-version"`
	LastSerial *int64 `json:"_last-serial,omitempty"`
}

// Status is PEP 792 project status.
type Status struct {
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// File is one distribution file on a project page.
type File struct {
	Filename       string            `json:"filename"`
	URL            string            `json:"url"`
	Hashes         map[string]string `json:"hashes"`
	RequiresPython string            `json:"requires-python,omitempty"`
	// CoreMetadata is PEP 658/714: false, true, or the hashes of the
	// .metadata file.
	CoreMetadata json.RawMessage `json:"core-metadata,omitempty"`
	// Yanked is false, true or the reason (PEP 592).
	Yanked     json.RawMessage `json:"yanked,omitempty"`
	Size       *int64          `json:"size,omitempty"`
	UploadTime string          `json:"upload-time,omitempty"`
	Provenance json.RawMessage `json:"provenance,omitempty"`
	GPGSig     *bool           `json:"gpg-sig,omitempty"`

	// upstream is where the file really is (URL is rewritten to the proxy).
	upstream string
	// version caches Version (set when the page is read).
	version string
	// refused, set when the page is read, is why the file is never
	// fetched (see vet), or nil.
	refused *Decision
}

// IsYanked reports a yanked file and its reason.
func (f *File) IsYanked() (bool, string) {
	if len(f.Yanked) == 0 || string(f.Yanked) == "false" || string(f.Yanked) == "null" {
		return false, ""
	}
	var reason string
	if json.Unmarshal(f.Yanked, &reason) == nil {
		return true, reason
	}
	return true, ""
}

// SHA256 is the file's upstream SHA-256, lower-case hex, or "".
func (f *File) SHA256() string { return strings.ToLower(f.Hashes["sha256"]) }

// Kind is "wheel" or "sdist" (eggs and others count as sdist: they are
// not wheels, so pip may build or run them).
func (f *File) Kind() string {
	if strings.HasSuffix(strings.ToLower(f.Filename), ".whl") {
		return "wheel"
	}
	return "sdist"
}

// Version is the version the file name states, or "".
func (f *File) Version() string {
	if f.version != "" {
		return f.version
	}
	if fn, err := pkgname.Parse(f.Filename); err == nil {
		return fn.Version
	}
	return ""
}

// index fills the cached fields of a freshly read page.
func (p *Project) index() {
	for i := range p.Files {
		p.Files[i].version = p.Files[i].Version()
	}
}

// recomputeVersions sets Versions from the files present, sorted by PEP
// 440 (unparseable versions last, as strings).
func (p *Project) recomputeVersions() {
	seen := map[string]bool{}
	var vs []string
	for i := range p.Files {
		if v := p.Files[i].Version(); v != "" && !seen[v] {
			seen[v] = true
			vs = append(vs, v)
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
	p.Versions = vs
}

func versionLess(a, b string) bool {
	va, ea := pep440.Parse(a)
	vb, eb := pep440.Parse(b)
	switch {
	case ea == nil && eb == nil:
		return va.Compare(vb) < 0
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}
