// Package format is the registry shape every command's outputs share: the
// encoders of one kind of document (scan results, check reports, SBOMs)
// listed by the --format value that selects them. It knows no format
// itself; the packages that own the documents list theirs.
package format

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Registry maps --format values to encoders of type E.
type Registry[E any] map[string]E

// Get returns the encoder registered as name, or an error that lists the
// names there are.
func (r Registry[E]) Get(name string) (E, error) {
	e, ok := r[name]
	if !ok {
		return e, fmt.Errorf("unknown format %q (want %s)", name, r.List())
	}
	return e, nil
}

// Names returns the registered names, sorted.
func (r Registry[E]) Names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// List returns the names as a phrase: "json, sarif or text".
func (r Registry[E]) List() string {
	names := r.Names()
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// JSON writes v as one indented JSON document, the way every command's
// json format does.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
