package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/sbom"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// sbomFormats are the SBOM downloads of a watched project, by the last
// part of their path.
var sbomFormats = map[string]struct {
	contentType string
	write       func(*bytes.Buffer, *sbom.Document) error
}{
	"cyclonedx.json": {"application/vnd.cyclonedx+json", func(b *bytes.Buffer, d *sbom.Document) error {
		return sbom.WriteCycloneDX(b, d, sbom.Meta{}, sbom.DefaultSpecVersion, false)
	}},
	"spdx.json": {"application/spdx+json", func(b *bytes.Buffer, d *sbom.Document) error {
		return sbom.WriteSPDX(b, d, sbom.Meta{}, false)
	}},
}

// projectSBOM writes a watched project's SBOM from the dependencies it
// registered: what the monitor watches for it, as safeguard sbom would
// write it from the same files (without what only the files hold: hashes,
// the dependency graph, licences).
func (h *Handler) projectSBOM(w http.ResponseWriter, r *http.Request) {
	format, ok := sbomFormats[r.PathValue("format")]
	if !ok {
		h.notFound(w, r, "no SBOM format "+r.PathValue("format")+": cyclonedx.json or spdx.json")
		return
	}
	p, ds, err := h.opt.Store.Project(r.Context(), r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r, "no watched project "+r.PathValue("name"))
		return
	}
	if err != nil {
		h.fail(w, r, http.StatusServiceUnavailable, "the store is not answering", err)
		return
	}
	inv := &deps.Inventory{Files: strings.Split(p.Source, ", ")}
	for _, d := range ds {
		inv.Packages = append(inv.Packages, deps.Package{Name: d.Name, Version: d.Version, Specifier: d.Spec, Direct: d.Direct,
			Scope: d.Scope, File: d.File, Line: d.Line, Source: deps.Source{Kind: "index"}})
	}
	var b bytes.Buffer
	if err := format.write(&b, sbom.Build(inv, nil, p.Name)); err != nil {
		h.fail(w, r, http.StatusInternalServerError, "the SBOM could not be written", err)
		return
	}
	w.Header().Set("Content-Type", format.contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(p.Name)+"."+r.PathValue("format")+`"`)
	w.Write(b.Bytes())
}

// safeFilename keeps letters, digits, dots, dashes and underscores of a
// name for a download's file name (a project's name is the user's, but a
// header is no place for quotes or line breaks).
func safeFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
}
