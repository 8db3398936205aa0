package sbom

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/safeguard-dev/safeguard/internal/check"
	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/licenses"
)

// Document is an SBOM before it is written in a format.
type Document struct {
	// Subject is what the SBOM describes: the project or artifact.
	Subject    Component   `json:"subject"`
	Components []Component `json:"components"`
	// DependsOn maps a component's Ref to the Refs it depends on; the
	// subject's entry lists the direct dependencies.
	DependsOn map[string][]string `json:"depends_on"`
}

// Component is one package: every declaration of the same name and
// version merged.
type Component struct {
	Ref     string            `json:"ref"` // the purl, unique in the document
	Name    string            `json:"name"`
	Version string            `json:"version,omitempty"`
	PURL    string            `json:"purl"`
	Hashes  []Hash            `json:"hashes,omitempty"`
	Files   []deps.File       `json:"files,omitempty"`
	License *licenses.License `json:"license,omitempty"`
	// Required is false when every declaration is optional (dev, an extra,
	// a dependency group).
	Required  bool        `json:"required"`
	Groups    []string    `json:"groups,omitempty"` // "main", "dev", "optional:x", "group:x"
	Direct    bool        `json:"direct"`
	Source    deps.Source `json:"source"`
	Specifier string      `json:"specifier,omitempty"` // for an unpinned declaration
	Locations []Location  `json:"locations,omitempty"`
	Risk      []Property  `json:"risk,omitempty"`
	// GraphKnown is set when a file that declares the component records
	// the dependency graph, so no edges means no dependencies.
	GraphKnown bool `json:"graph_known,omitempty"`
}

// Hash is one digest of a distribution file.
type Hash struct {
	Algorithm string `json:"alg"` // hashlib name: sha256, sha512, md5...
	Value     string `json:"value"`
}

// Location is a file and line that declares a component.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

func (l Location) String() string {
	if l.Line == 0 {
		return l.File
	}
	return l.File + ":" + strconv.Itoa(l.Line)
}

// Property is one name/value pair in the safeguard: namespace.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Risk property names.
const (
	PropKnownMalicious      = "safeguard:known-malicious"
	PropTyposquatOf         = "safeguard:typosquat-of"
	PropInstallTimeCode     = "safeguard:install-time-code"
	PropDependencyConfusion = "safeguard:dependency-confusion"
	PropUnpinned            = "safeguard:unpinned"
	PropVerdict             = "safeguard:scan-verdict"
	PropGroup               = "safeguard:group"
	PropDirect              = "safeguard:direct"
	PropSpecifier           = "safeguard:specifier"
)

// riskProperty names the property a check finding becomes.
var riskProperty = map[string]string{
	"known-malicious":      PropKnownMalicious,
	"typosquat":            PropTyposquatOf,
	"install-time-code":    PropInstallTimeCode,
	"dependency-confusion": PropDependencyConfusion,
	"unpinned":             PropUnpinned,
}

// Build turns an inventory and its check report (nil for none) into a
// document. name names the subject when the inventory has no root (the
// directory or file name). Constraints are not components: they limit
// versions without asking for a package.
func Build(inv *deps.Inventory, rep *check.Report, name string) *Document {
	d := &Document{DependsOn: map[string][]string{}}
	if inv.Root != nil {
		d.Subject = newComponent(*inv.Root)
		d.Subject.Groups = nil // the subject is not in a group of itself
	} else {
		// Not a PyPI package, so no purl: a local name for the graph.
		d.Subject = Component{Name: name, Ref: "project:" + name, Required: true, Source: deps.Source{Kind: "path", URL: "."}}
	}
	byKey := map[string]*Component{}
	var order []string
	pinned := map[string][]string{} // name -> keys of pinned components
	pkgs := make([]deps.Package, 0, len(inv.Packages))
	var subjectRequires []string
	if inv.Root != nil {
		subjectRequires = inv.Root.Requires
	}
	for _, p := range inv.Packages {
		switch {
		case p.Name == "" || p.Scope == "constraint":
		case inv.Root != nil && p.Name == inv.Root.Name && p.Source.Kind == "path":
			// The project as its own lock records it: its edges are the
			// subject's.
			subjectRequires = append(subjectRequires, p.Requires...)
		default:
			pkgs = append(pkgs, p)
		}
	}
	graphFiles := map[string]bool{}
	for _, p := range pkgs {
		if len(p.Requires) > 0 {
			graphFiles[p.File] = true
		}
	}
	// Pinned packages first, so a declaration elsewhere (pyproject's
	// "requests>=2") merges into what the lock pins.
	sort.SliceStable(pkgs, func(i, j int) bool { return pkgs[i].Version != "" && pkgs[j].Version == "" })
	for _, p := range pkgs {
		keys := []string{p.Name + "@" + p.Version}
		if p.Version == "" && len(pinned[p.Name]) > 0 {
			keys = pinned[p.Name]
		}
		for _, k := range keys {
			c := byKey[k]
			if c == nil {
				nc := newComponent(p)
				c = &nc
				byKey[k] = c
				order = append(order, k)
				if p.Version != "" {
					pinned[p.Name] = append(pinned[p.Name], k)
				}
			}
			c.merge(p)
			c.GraphKnown = c.GraphKnown || graphFiles[p.File]
		}
	}
	refsByName := map[string][]string{}
	for _, k := range order {
		c := byKey[k]
		c.finish()
		d.Components = append(d.Components, *c)
		refsByName[c.Name] = append(refsByName[c.Name], c.Ref)
	}
	sort.Slice(d.Components, func(i, j int) bool { return d.Components[i].Ref < d.Components[j].Ref })
	// The graph: each package's recorded requirements, and the subject's
	// direct dependencies.
	for _, p := range pkgs {
		from := p.Name + "@" + p.Version
		c := byKey[from]
		if c == nil {
			continue
		}
		for _, r := range p.Requires {
			d.DependsOn[c.Ref] = append(d.DependsOn[c.Ref], refsByName[r]...)
		}
	}
	for _, r := range subjectRequires {
		d.DependsOn[d.Subject.Ref] = append(d.DependsOn[d.Subject.Ref], refsByName[r]...)
	}
	for _, c := range d.Components {
		if c.Direct {
			d.DependsOn[d.Subject.Ref] = append(d.DependsOn[d.Subject.Ref], c.Ref)
		}
	}
	if len(d.DependsOn[d.Subject.Ref]) == 0 {
		// Nothing says what the subject asks for directly (a lock without
		// its project): what no other component requires is a top level.
		required := map[string]bool{}
		for _, on := range d.DependsOn {
			for _, r := range on {
				required[r] = true
			}
		}
		for _, c := range d.Components {
			if !required[c.Ref] {
				d.DependsOn[d.Subject.Ref] = append(d.DependsOn[d.Subject.Ref], c.Ref)
			}
		}
	}
	for k, v := range d.DependsOn {
		d.DependsOn[k] = uniqueSorted(v)
	}
	if rep != nil {
		d.annotate(rep)
	}
	return d
}

func newComponent(p deps.Package) Component {
	c := Component{Name: p.Name, Version: p.Version, Source: p.Source, License: p.License, Required: p.Scope == "main"}
	c.PURL = purl(p.Name, p.Version, p.Source)
	c.Ref = c.PURL
	c.merge(p)
	return c
}

// merge adds one declaration of the component.
func (c *Component) merge(p deps.Package) {
	c.Required = c.Required || p.Scope == "main" || p.Scope == ""
	c.Direct = c.Direct || p.Direct
	c.Groups = append(c.Groups, p.Scope)
	if c.Version == "" && p.Specifier != "" && c.Specifier == "" {
		c.Specifier = p.Specifier
	}
	if c.License == nil {
		c.License = p.License
	}
	c.Files = append(c.Files, p.Files...)
	for _, h := range p.Hashes {
		if x, ok := parseHash(h); ok {
			c.Hashes = append(c.Hashes, x)
		}
	}
	if p.File != "" {
		c.Locations = append(c.Locations, Location{File: p.File, Line: p.Line})
	}
}

// finish sorts and de-duplicates what merging gathered.
func (c *Component) finish() {
	c.Groups = uniqueSorted(c.Groups)
	sort.Slice(c.Hashes, func(i, j int) bool {
		return c.Hashes[i].Algorithm+c.Hashes[i].Value < c.Hashes[j].Algorithm+c.Hashes[j].Value
	})
	c.Hashes = slices.Compact(c.Hashes)
	sort.SliceStable(c.Files, func(i, j int) bool {
		return c.Files[i].Kind+c.Files[i].Name+c.Files[i].URL < c.Files[j].Kind+c.Files[j].Name+c.Files[j].URL
	})
	c.Files = slices.Compact(c.Files)
	sort.Slice(c.Locations, func(i, j int) bool {
		a, b := c.Locations[i], c.Locations[j]
		return a.File < b.File || a.File == b.File && a.Line < b.Line
	})
	c.Locations = slices.Compact(c.Locations)
}

// annotate records the check findings as risk properties.
func (d *Document) annotate(rep *check.Report) {
	idx := map[string]int{}
	for i, c := range d.Components {
		idx[c.Name+"@"+c.Version] = i
	}
	for _, f := range rep.Findings {
		name, ok := riskProperty[f.Kind]
		i, found := idx[f.Package+"@"+f.Version]
		if !ok || !found {
			continue
		}
		value := "true"
		switch f.Kind {
		case "known-malicious", "typosquat":
			value = f.Ref
		case "install-time-code":
			value = "sdist-only"
		case "dependency-confusion":
			value = f.Version
		}
		d.Components[i].Risk = slices.Compact(sortedProps(append(d.Components[i].Risk, Property{name, value})))
	}
}

// purl is the package URL of a PyPI package; a VCS or URL source is a
// qualifier, as the purl spec asks.
func purl(name, version string, src deps.Source) string {
	var q packageurl.Qualifiers
	switch src.Kind {
	case "vcs":
		q = packageurl.QualifiersFromMap(map[string]string{"vcs_url": src.URL})
	case "url":
		q = packageurl.QualifiersFromMap(map[string]string{"download_url": src.URL})
	}
	return packageurl.NewPackageURL(packageurl.TypePyPi, "", name, version, q, "").ToString()
}

func sortedProps(ps []Property) []Property {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name+"\x00"+ps[i].Value < ps[j].Name+"\x00"+ps[j].Value })
	return ps
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// SetVerdict records the scan verdict of the subject (an artifact that was
// scanned).
func (d *Document) SetVerdict(verdict string) {
	d.Subject.Risk = sortedProps(append(d.Subject.Risk, Property{PropVerdict, verdict}))
}

// digestLen is the hex length of each digest SBOMs can carry.
var digestLen = map[string]int{
	"md5": 32, "sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128,
	"sha3_256": 64, "sha3_384": 96, "sha3_512": 128, "blake2b": 128,
}

// parseHash reads "alg:hex" as a lock writes it; a digest of the wrong
// length or not in hex is not a hash any SBOM consumer could check.
func parseHash(s string) (Hash, bool) {
	alg, val, ok := strings.Cut(s, ":")
	alg, val = strings.ToLower(alg), strings.ToLower(val)
	if !ok || len(val) != digestLen[alg] {
		return Hash{}, false
	}
	for i := 0; i < len(val); i++ {
		if c := val[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return Hash{}, false
		}
	}
	return Hash{Algorithm: alg, Value: val}, true
}
