package deps

import (
	"strconv"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/licenses"
)

// Package is one dependency as a file declares it.
type Package struct {
	Name      string   `json:"name"`                // PEP 503-normalised
	Version   string   `json:"version,omitempty"`   // the pinned version, "" when not pinned
	Specifier string   `json:"specifier,omitempty"` // as written, normalised
	Extras    []string `json:"extras,omitempty"`
	Marker    string   `json:"marker,omitempty"`
	Hashes    []string `json:"hashes,omitempty"` // "sha256:<hex>", as the file lists them
	// Files are the distribution files a lock records, sdist and wheels.
	Files []File `json:"files,omitempty"`
	// Requires names the packages this one depends on, where the format
	// records the graph (normalised names).
	Requires []string `json:"requires,omitempty"`
	Source   Source   `json:"source"`
	// License is what the package's metadata says, where the source has
	// it (installed environments, artifacts, the project's own metadata).
	License *licenses.License `json:"license,omitempty"`
	Direct  bool              `json:"direct"`
	Scope   string            `json:"scope"` // "main", "dev", "optional:<group>", "constraint"
	File    string            `json:"file"`
	Line    int               `json:"line"`
}

// Pinned reports a package held to one version.
func (p Package) Pinned() bool { return p.Version != "" || p.Source.Kind != "index" }

// Source is where a package comes from.
type Source struct {
	Kind     string `json:"kind"` // "index", "url", "vcs", "path"
	URL      string `json:"url,omitempty"`
	Editable bool   `json:"editable,omitempty"`
}

// Problem is a line a parser could not use; the rest of the file is kept.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (p Problem) Error() string { return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Message }

// File is one distribution file a lock records.
type File struct {
	Kind       string `json:"kind"` // "sdist" or "wheel"
	Name       string `json:"name,omitempty"`
	URL        string `json:"url,omitempty"`
	Hash       string `json:"hash,omitempty"` // "sha256:<hex>"
	Size       int64  `json:"size,omitempty"`
	UploadTime string `json:"upload_time,omitempty"`
}

// fileKind tells a wheel from an sdist by name.
func fileKind(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".whl") {
		return "wheel"
	}
	return "sdist"
}

// gitURL writes a repository address from a lock's git key the way pip
// and purl's vcs_url do: with the "git+" scheme prefix.
func gitURL(u string) string {
	if u == "" || strings.HasPrefix(u, "git+") {
		return u
	}
	return "git+" + u
}

// lockedSource is the source of a lock entry that names a git repository
// (at revision rev), a local path or a URL, in that order of precedence;
// false when it names none (it comes from an index).
func lockedSource(git, rev, path, url string, editable bool) (Source, bool) {
	switch {
	case git != "":
		return Source{Kind: "vcs", URL: gitURL(git) + "@" + rev, Editable: editable}, true
	case path != "":
		return Source{Kind: "path", URL: path, Editable: editable}, true
	case url != "":
		return Source{Kind: "url", URL: url}, true
	}
	return Source{}, false
}
