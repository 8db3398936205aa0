// Package metadata parses the metadata files found in Python
// distributions: core metadata (PKG-INFO, METADATA), the wheel WHEEL file,
// RECORD, entry_points.txt, top_level.txt, direct_url.json, pyproject.toml
// and setup.cfg.
//
// Every parser takes bytes that may have been crafted to hurt us: it never
// panics, bounds what it keeps, and reports what it could not understand as
// Problems rather than failing the whole file. It does not read archives;
// package artifact finds these files and hands their bytes here.
package metadata

import "fmt"

// Problem is something a parser could not understand, with its line.
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return p.Message
}
