package deps_test

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/sbom"
)

// An SBOM `safeguard sbom` writes reads back with the same packages,
// versions, hashes and graph, in every JSON format and version.
func TestSBOMRoundTrip(t *testing.T) {
	formats := []struct {
		format, version string
		parse           func(string, []byte) (*deps.Lock, error)
	}{
		{"cyclonedx-json", "1.4", deps.ParseCycloneDX},
		{"cyclonedx-json", "1.5", deps.ParseCycloneDX},
		{"cyclonedx-json", "1.6", deps.ParseCycloneDX},
		{"cyclonedx-json", "1.7", deps.ParseCycloneDX},
		{"spdx-json", "", deps.ParseSPDX},
	}
	for _, input := range []string{
		"testdata/uv/uv.lock",
		"testdata/formats",
		"testdata/reqs",
		"testdata/locks/pdm.lock",
		"testdata/locks/pylock.toml",
		"testdata/project",
		"../sbom/testdata/project",
	} {
		inv, err := deps.Collect(t.Context(), input)
		if err != nil {
			t.Fatal(err)
		}
		d := sbom.Build(inv, nil, "input")
		want := fromDocument(d)
		for _, f := range formats {
			t.Run(input+"/"+f.format+f.version, func(t *testing.T) {
				enc, err := sbom.Formats.Get(f.format)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := enc.Encode(&buf, d, sbom.Meta{ToolVersion: "test", SpecVersion: f.version}); err != nil {
					t.Fatal(err)
				}
				l, err := f.parse("sbom.json", buf.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, fromLock(l)); d != "" {
					t.Errorf("read back (-want +got):\n%s", d)
				}
			})
		}
	}
}

// packageRow is what a round trip keeps of a package.
type packageRow struct {
	Version  string
	Hashes   []string
	Requires []string
}

// fromDocument is what an SBOM written from d says: its packages by name
// and version, and the project when it is a PyPI package.
func fromDocument(d *sbom.Document) map[string]packageRow {
	names := map[string]string{}
	for _, c := range d.Components {
		names[c.Ref] = c.Name
	}
	row := func(c sbom.Component) packageRow {
		r := packageRow{Version: c.Version}
		for _, h := range c.Hashes {
			r.Hashes = append(r.Hashes, h.Algorithm+":"+h.Value)
		}
		for _, on := range d.DependsOn[c.Ref] {
			r.Requires = append(r.Requires, names[on])
		}
		return r
	}
	out := map[string]packageRow{}
	for _, c := range d.Components {
		out[c.Name+"@"+c.Version] = tidy(row(c))
	}
	if d.Subject.PURL != "" {
		out["project "+d.Subject.Name] = tidy(row(d.Subject))
	}
	return out
}

func fromLock(l *deps.Lock) map[string]packageRow {
	out := map[string]packageRow{}
	for _, p := range l.Packages {
		k := p.Name + "@" + p.Version
		if _, dup := out[k]; dup {
			k = fmt.Sprintf("%s (again, line %d)", k, p.Line)
		}
		out[k] = tidy(packageRow{Version: p.Version, Hashes: p.Hashes, Requires: p.Requires})
	}
	if p := l.Project; p != nil {
		out["project "+p.Name] = tidy(packageRow{Version: p.Version, Requires: p.Requires})
	}
	return out
}

// tidy sorts a row's lists and drops duplicates: the formats keep neither
// order nor repeats.
func tidy(r packageRow) packageRow {
	for _, s := range []*[]string{&r.Hashes, &r.Requires} {
		sort.Strings(*s)
		var u []string
		for i, x := range *s {
			if i == 0 || x != (*s)[i-1] {
				u = append(u, x)
			}
		}
		*s = u
	}
	return r
}
