package deps

import "strconv"

// Package is one dependency as a file declares it.
type Package struct {
	Name      string   `json:"name"`                // PEP 503-normalised
	Version   string   `json:"version,omitempty"`   // the pinned version, "" when not pinned
	Specifier string   `json:"specifier,omitempty"` // as written, normalised
	Extras    []string `json:"extras,omitempty"`
	Marker    string   `json:"marker,omitempty"`
	Hashes    []string `json:"hashes,omitempty"` // "sha256:<hex>", as the file lists them
	Source    Source   `json:"source"`
	Direct    bool     `json:"direct"`
	Scope     string   `json:"scope"` // "main", "dev", "optional:<group>", "constraint"
	File      string   `json:"file"`
	Line      int      `json:"line"`
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
