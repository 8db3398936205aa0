package sbom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// CycloneDXVersions are the spec versions Safeguard writes.
var CycloneDXVersions = map[string]cdx.SpecVersion{
	"1.4": cdx.SpecVersion1_4, "1.5": cdx.SpecVersion1_5, "1.6": cdx.SpecVersion1_6, "1.7": cdx.SpecVersion1_7,
}

// cdxHashes maps hashlib names to CycloneDX algorithms.
var cdxHashes = map[string]cdx.HashAlgorithm{
	"md5": cdx.HashAlgoMD5, "sha1": cdx.HashAlgoSHA1, "sha256": cdx.HashAlgoSHA256,
	"sha384": cdx.HashAlgoSHA384, "sha512": cdx.HashAlgoSHA512,
	"sha3_256": cdx.HashAlgoSHA3_256, "sha3_384": cdx.HashAlgoSHA3_384, "sha3_512": cdx.HashAlgoSHA3_512,
	"blake2b": cdx.HashAlgoBlake2b_512,
}

// WriteCycloneDX writes d as CycloneDX JSON or XML (xml true) in the
// given spec version ("1.4" to "1.7").
func WriteCycloneDX(w io.Writer, d *Document, meta Meta, version string, xml bool) error {
	sv, ok := CycloneDXVersions[version]
	if !ok {
		return fmt.Errorf("CycloneDX spec version %q: want 1.4, 1.5, 1.6 or 1.7", version)
	}
	bom := CycloneDX(d, meta)
	format := cdx.BOMFileFormatJSON
	if xml {
		format = cdx.BOMFileFormatXML
		lineInLocation(bom)
	}
	if !xml {
		// Indent the compact encoding in one pass into a buffer sized for
		// it: the encoder's own indenting grows its buffer step by step
		// and took half the time on a large BOM.
		var compact bytes.Buffer
		if err := encodeCycloneDX(&compact, bom, sv, version, format, false); err != nil {
			return err
		}
		var out bytes.Buffer
		out.Grow(compact.Len() * 2)
		if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
			return err
		}
		_, err := w.Write(out.Bytes())
		return err
	}
	if err := encodeCycloneDX(w, bom, sv, version, format, true); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n") // the XML encoder ends without one; text files end with a newline
	return err
}

func encodeCycloneDX(w io.Writer, bom *cdx.BOM, sv cdx.SpecVersion, version string, format cdx.BOMFileFormat, pretty bool) error {
	enc := cdx.NewBOMEncoder(w, format).SetPretty(pretty).SetEscapeHTML(false)
	if sv < cdx.SpecVersion1_6 {
		// Older versions lack fields we set: the encoder converts a deep
		// copy (a gob round trip, a third of the time on a large BOM).
		return enc.EncodeVersion(bom, sv)
	}
	// 1.6 and 1.7 hold everything we write; label the BOM and encode it as
	// it is.
	bom.SpecVersion = sv
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-" + version + ".schema.json"
	bom.XMLNS = "http://cyclonedx.org/schema/bom/" + version
	return enc.Encode(bom)
}

// CycloneDX builds the BOM of d (in the newest spec version; the encoder
// drops what an older version cannot hold).
func CycloneDX(d *Document, meta Meta) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:" + meta.serial(d)
	subject := cdxComponent(d.Subject)
	subject.Type = cdx.ComponentTypeApplication
	subject.Scope = ""
	subject.Properties = nil
	if len(d.Subject.Risk) > 0 {
		props := make([]cdx.Property, len(d.Subject.Risk))
		for i, p := range d.Subject.Risk {
			props[i] = cdx.Property{Name: p.Name, Value: p.Value}
		}
		subject.Properties = &props
	}
	bom.Metadata = &cdx.Metadata{
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "safeguard", Version: meta.toolVersion(),
		}}},
		Component: &subject,
	}
	if !meta.Timestamp.IsZero() {
		bom.Metadata.Timestamp = meta.Timestamp.UTC().Format("2006-01-02T15:04:05Z")
	}
	comps := make([]cdx.Component, 0, len(d.Components))
	graph := []cdx.Dependency{dependency(d.Subject.Ref, d.DependsOn[d.Subject.Ref])}
	for _, c := range d.Components {
		comps = append(comps, cdxComponent(c))
		if on := d.DependsOn[c.Ref]; len(on) > 0 || c.GraphKnown {
			graph = append(graph, dependency(c.Ref, on))
		}
	}
	bom.Components = &comps
	bom.Dependencies = &graph
	return bom
}

func dependency(ref string, on []string) cdx.Dependency {
	dep := cdx.Dependency{Ref: ref}
	if len(on) > 0 {
		on := append([]string(nil), on...)
		dep.Dependencies = &on
	}
	return dep
}

func cdxComponent(c Component) cdx.Component {
	out := cdx.Component{
		BOMRef:     c.Ref,
		Type:       cdx.ComponentTypeLibrary,
		Name:       c.Name,
		Version:    c.Version,
		PackageURL: c.PURL,
		Scope:      cdx.ScopeRequired,
	}
	if !c.Required {
		out.Scope = cdx.ScopeOptional
	}
	var hashes []cdx.Hash
	for _, h := range c.Hashes {
		if alg, ok := cdxHashes[h.Algorithm]; ok {
			hashes = append(hashes, cdx.Hash{Algorithm: alg, Value: h.Value})
		}
	}
	if len(hashes) > 0 {
		out.Hashes = &hashes
	}
	if l := cdxLicenses(c); l != nil {
		out.Licenses = l
	}
	var refs []cdx.ExternalReference
	for _, f := range c.Files {
		if !validURL(f.URL) {
			continue
		}
		ref := cdx.ExternalReference{Type: cdx.ERTypeDistribution, URL: f.URL, Comment: f.Kind}
		if h, ok := parseHash(f.Hash); ok {
			if a, ok := cdxHashes[h.Algorithm]; ok {
				ref.Hashes = &[]cdx.Hash{{Algorithm: a, Value: h.Value}}
			}
		}
		refs = append(refs, ref)
	}
	if c.Source.Kind == "vcs" && validURL(c.Source.URL) {
		refs = append(refs, cdx.ExternalReference{Type: cdx.ERTypeVCS, URL: c.Source.URL})
	}
	if len(refs) > 0 {
		out.ExternalReferences = &refs
	}
	if len(c.Locations) > 0 {
		occ := make([]cdx.EvidenceOccurrence, 0, len(c.Locations))
		for _, l := range c.Locations {
			o := cdx.EvidenceOccurrence{Location: l.File}
			if l.Line > 0 {
				line := l.Line
				o.Line = &line
			}
			occ = append(occ, o)
		}
		out.Evidence = &cdx.Evidence{Occurrences: &occ}
	}
	if props := componentProperties(c); len(props) > 0 {
		cp := make([]cdx.Property, len(props))
		for i, p := range props {
			cp[i] = cdx.Property{Name: p.Name, Value: p.Value}
		}
		out.Properties = &cp
	}
	return out
}

// cdxLicenses states a licence as CycloneDX allows: one expression, or a
// list of identified and named licences.
func cdxLicenses(c Component) *cdx.Licenses {
	l := c.License
	if l.Empty() {
		return nil
	}
	if l.Expression != "" {
		return &cdx.Licenses{{Expression: l.Expression}}
	}
	var out cdx.Licenses
	for _, id := range l.IDs {
		out = append(out, cdx.LicenseChoice{License: &cdx.License{ID: id}})
	}
	for _, n := range l.Names {
		out = append(out, cdx.LicenseChoice{License: &cdx.License{Name: n}})
	}
	return &out
}

// componentProperties are the safeguard: properties of a component: its
// risk, groups, directness and (when unpinned) the specifier.
func componentProperties(c Component) []Property {
	props := append([]Property(nil), c.Risk...)
	for _, g := range c.Groups {
		props = append(props, Property{PropGroup, g})
	}
	props = append(props, Property{PropDirect, fmt.Sprint(c.Direct)})
	if c.Version == "" && c.Specifier != "" {
		props = append(props, Property{PropSpecifier, c.Specifier})
	}
	return sortedProps(props)
}

// lineInLocation moves evidence lines into the location ("uv.lock:35"):
// cyclonedx-go v0.12.0 writes an occurrence's line as an XML attribute,
// where the XSD wants an element, so XML with lines would not validate.
func lineInLocation(bom *cdx.BOM) {
	fix := func(c *cdx.Component) {
		if c.Evidence == nil || c.Evidence.Occurrences == nil {
			return
		}
		for i := range *c.Evidence.Occurrences {
			o := &(*c.Evidence.Occurrences)[i]
			if o.Line != nil {
				o.Location += ":" + strconv.Itoa(*o.Line)
				o.Line = nil
			}
		}
	}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		fix(bom.Metadata.Component)
	}
	if bom.Components != nil {
		for i := range *bom.Components {
			fix(&(*bom.Components)[i])
		}
	}
}

// validURL reports a URL a reference can carry: parseable, with a scheme.
// A lock's URL is whatever its author wrote; one that is not a URL stays
// in the evidence, not in a field the schemas require to be one.
func validURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme != ""
}
