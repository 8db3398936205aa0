package sbom

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
	"github.com/spdx/tools-golang/tagvalue"
)

// spdxChecksums maps hashlib names to SPDX 2.3 checksum algorithms.
var spdxChecksums = map[string]common.ChecksumAlgorithm{
	"md5": common.MD5, "sha1": common.SHA1, "sha256": common.SHA256, "sha384": common.SHA384,
	"sha512": common.SHA512, "sha3_256": common.SHA3_256, "sha3_384": common.SHA3_384,
	"sha3_512": common.SHA3_512, "blake2b": common.BLAKE2b_512,
}

// WriteSPDX writes d as SPDX 2.3 JSON, or tag-value when tv is set.
func WriteSPDX(w io.Writer, d *Document, meta Meta, tv bool) error {
	doc := SPDX(d, meta, tv)
	if tv {
		return tagvalue.Write(doc, w)
	}
	return spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false))
}

// SPDX builds the SPDX 2.3 document of d. Risk is written as annotations:
// in JSON on each package, in tag-value in the document's list (the two
// serialisations put them in different places).
func SPDX(d *Document, meta Meta, tagValue bool) *spdx.Document {
	created := meta.Timestamp
	if created.IsZero() {
		created = time.Unix(0, 0) // SPDX requires a date; a fixed one keeps output reproducible
	}
	date := created.UTC().Format("2006-01-02T15:04:05Z")
	serial := meta.serial(d)
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      d.Subject.Name,
		DocumentNamespace: "https://safeguard.dev/spdx/" + idSafe(d.Subject.Name) + "-" + serial,
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "safeguard-" + meta.toolVersion()}},
			Created:  date,
		},
	}
	ids := spdxIDs(d)
	others := map[string]string{} // licence name -> LicenseRef id
	addPackage := func(c Component, purpose string) {
		p := spdxPackage(c, ids[c.Ref], purpose, others)
		for _, prop := range c.Risk {
			a := spdx.Annotation{
				Annotator:                common.Annotator{AnnotatorType: "Tool", Annotator: "safeguard-" + meta.toolVersion()},
				AnnotationDate:           date,
				AnnotationType:           "OTHER",
				AnnotationSPDXIdentifier: common.MakeDocElementID("", string(p.PackageSPDXIdentifier)),
				AnnotationComment:        prop.Name + "=" + prop.Value,
			}
			if tagValue {
				doc.Annotations = append(doc.Annotations, &a)
			} else {
				p.Annotations = append(p.Annotations, a)
			}
		}
		doc.Packages = append(doc.Packages, p)
	}
	addPackage(d.Subject, "APPLICATION")
	for _, c := range d.Components {
		addPackage(c, "LIBRARY")
	}
	rel := func(a, b, kind string) {
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", a), RefB: common.MakeDocElementID("", b), Relationship: kind,
		})
	}
	rel("DOCUMENT", ids[d.Subject.Ref], "DESCRIBES")
	byRef := map[string]Component{}
	for _, c := range d.Components {
		byRef[c.Ref] = c
	}
	for _, on := range d.DependsOn[d.Subject.Ref] {
		c := byRef[on]
		switch {
		case c.Required:
			rel(ids[d.Subject.Ref], ids[on], "DEPENDS_ON")
		case isDev(c.Groups):
			rel(ids[on], ids[d.Subject.Ref], "DEV_DEPENDENCY_OF")
		default:
			rel(ids[on], ids[d.Subject.Ref], "OPTIONAL_DEPENDENCY_OF")
		}
	}
	for _, c := range d.Components {
		for _, on := range d.DependsOn[c.Ref] {
			rel(ids[c.Ref], ids[on], "DEPENDS_ON")
		}
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		doc.OtherLicenses = append(doc.OtherLicenses, &spdx.OtherLicense{LicenseIdentifier: others[n], ExtractedText: n, LicenseName: n})
	}
	return doc
}

func spdxPackage(c Component, id, purpose string, others map[string]string) *spdx.Package {
	p := &spdx.Package{
		PackageName:               c.Name,
		PackageSPDXIdentifier:     common.ElementID(id),
		PackageVersion:            c.Version,
		PackageDownloadLocation:   downloadLocation(c),
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseConcluded:   "NOASSERTION",
		PackageLicenseDeclared:    spdxLicense(c, others),
		PackageCopyrightText:      "NOASSERTION",
		PrimaryPackagePurpose:     purpose,
	}
	if c.PURL != "" {
		p.PackageExternalReferences = []*spdx.PackageExternalReference{{Category: "PACKAGE-MANAGER", RefType: "purl", Locator: c.PURL}}
	}
	for _, h := range c.Hashes {
		if alg, ok := spdxChecksums[h.Algorithm]; ok {
			p.PackageChecksums = append(p.PackageChecksums, common.Checksum{Algorithm: alg, Value: h.Value})
		}
	}
	var notes []string
	for _, g := range c.Groups {
		notes = append(notes, "group "+g)
	}
	for _, l := range c.Locations {
		notes = append(notes, "declared in "+l.String())
	}
	if c.Version == "" && c.Specifier != "" {
		notes = append(notes, "unpinned: "+c.Specifier)
	}
	p.PackageComment = strings.Join(notes, "; ")
	return p
}

// spdxLicense is the declared licence as an SPDX expression, named
// licences becoming LicenseRef- entries of the document.
func spdxLicense(c Component, others map[string]string) string {
	l := c.License
	if l.Empty() {
		return "NOASSERTION"
	}
	if e, ok := l.SPDX(); ok {
		return e
	}
	parts := append([]string(nil), l.IDs...)
	for _, n := range l.Names {
		ref, ok := others[n]
		if !ok {
			ref = fmt.Sprintf("LicenseRef-%d-%s", len(others)+1, idSafe(n))
			others[n] = ref
		}
		parts = append(parts, ref)
	}
	return strings.Join(parts, " AND ")
}

// downloadLocation is where the package comes from: its one file's URL,
// its VCS or URL source, else NOASSERTION.
func downloadLocation(c Component) string {
	switch {
	case (c.Source.Kind == "vcs" || c.Source.Kind == "url") && validURL(c.Source.URL):
		return c.Source.URL
	case len(c.Files) == 1 && validURL(c.Files[0].URL):
		return c.Files[0].URL
	}
	return "NOASSERTION"
}

var reIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

func idSafe(s string) string {
	s = strings.Trim(reIDUnsafe.ReplaceAllString(s, "-"), "-")
	if len(s) > 64 {
		s = s[:64]
	}
	if s == "" {
		return "x"
	}
	return s
}

// spdxIDs gives every component an SPDX element id made from its name and
// version, unique in the document (without the "SPDXRef-" prefix, which
// the writers add).
func spdxIDs(d *Document) map[string]string {
	ids := map[string]string{}
	used := map[string]bool{}
	add := func(c Component, prefix string) {
		id := prefix + idSafe(c.Name)
		if c.Version != "" {
			id += "-" + idSafe(c.Version)
		}
		base := id
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		ids[c.Ref] = id
	}
	add(d.Subject, "Root-")
	for _, c := range d.Components {
		add(c, "Package-pypi-")
	}
	return ids
}

// isDev reports development dependencies: dev sections and dependency
// groups (PEP 735 groups are for development, not for users of the
// package; extras are).
func isDev(groups []string) bool {
	for _, g := range groups {
		if g == "dev" || strings.HasPrefix(g, "group:") {
			return true
		}
	}
	return false
}
