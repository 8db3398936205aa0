package sbom

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	spdxtv "github.com/spdx/tools-golang/tagvalue"

	"github.com/safeguard-dev/safeguard/internal/check"
	"github.com/safeguard-dev/safeguard/internal/deps"
	"github.com/safeguard-dev/safeguard/internal/licenses"
)

var testMeta = Meta{ToolVersion: "test"}

func projectDoc(t *testing.T) *Document {
	t.Helper()
	inv, err := deps.Collect(context.Background(), "testdata/project")
	if err != nil {
		t.Fatal(err)
	}
	rep := &check.Report{Findings: []check.Finding{
		{Kind: "known-malicious", Package: "idna", Version: "3.6", Ref: "MAL-2099-1"},
		{Kind: "install-time-code", Package: "exceptiongroup", Version: "1.2.0"},
	}}
	return Build(inv, rep, "project")
}

func write(t *testing.T, d *Document, meta Meta, format, version string) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := Formats.Get(format)
	if err != nil {
		t.Fatal(err)
	}
	meta.SpecVersion = version
	if err := enc.Encode(&buf, d, meta); err != nil {
		t.Fatalf("%s %s: %v", format, version, err)
	}
	return buf.Bytes()
}

// Every format and version validates against its official schema.
func TestOutputsValidate(t *testing.T) {
	d := projectDoc(t)
	for _, v := range []string{"1.4", "1.5", "1.6", "1.7"} {
		t.Run("cyclonedx-json-"+v, func(t *testing.T) {
			validateJSON(t, "cyclonedx-"+v, write(t, d, testMeta, "cyclonedx-json", v))
		})
		t.Run("cyclonedx-xml-"+v, func(t *testing.T) {
			validateXML(t, v, write(t, d, testMeta, "cyclonedx-xml", v))
		})
	}
	t.Run("spdx-json", func(t *testing.T) {
		validateJSON(t, "spdx-2.3", write(t, d, testMeta, "spdx-json", ""))
	})
	t.Run("spdx-tv", func(t *testing.T) {
		// Tag-value has no schema: read it back with the SPDX library and
		// validate what it holds as JSON.
		tv := write(t, d, testMeta, "spdx-tv", "")
		doc, err := spdxtv.Read(bytes.NewReader(tv))
		if err != nil {
			t.Fatalf("tag-value does not parse: %v\n%s", err, head(tv))
		}
		if len(doc.Packages) != len(d.Components)+1 || len(doc.Annotations) != 2 {
			t.Fatalf("tag-value read back %d packages and %d annotations, want %d and 2", len(doc.Packages), len(doc.Annotations), len(d.Components)+1)
		}
		var buf bytes.Buffer
		d2 := *d
		if err := WriteSPDX(&buf, &d2, testMeta, false); err != nil {
			t.Fatal(err)
		}
		validateJSON(t, "spdx-2.3", buf.Bytes())
	})
}

type cdxOut struct {
	SerialNumber string `json:"serialNumber"`
	Metadata     struct {
		Timestamp string `json:"timestamp"`
		Component struct {
			Ref      string `json:"bom-ref"`
			Name     string `json:"name"`
			Licenses []struct {
				Expression string `json:"expression"`
			} `json:"licenses"`
		} `json:"component"`
	} `json:"metadata"`
	Components []struct {
		Ref    string `json:"bom-ref"`
		PURL   string `json:"purl"`
		Scope  string `json:"scope"`
		Hashes []struct {
			Alg     string `json:"alg"`
			Content string `json:"content"`
		} `json:"hashes"`
		ExternalReferences []struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"externalReferences"`
		Properties []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"properties"`
		Evidence struct {
			Occurrences []struct {
				Location string `json:"location"`
				Line     int    `json:"line"`
			} `json:"occurrences"`
		} `json:"evidence"`
	} `json:"components"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

func TestCycloneDXContent(t *testing.T) {
	var bom cdxOut
	if err := json.Unmarshal(write(t, projectDoc(t), testMeta, "cyclonedx-json", "1.6"), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.Metadata.Component.Name != "demo" || len(bom.Metadata.Component.Licenses) != 1 || bom.Metadata.Component.Licenses[0].Expression != "MIT" {
		t.Errorf("subject = %+v", bom.Metadata.Component)
	}
	if bom.Metadata.Timestamp != "" {
		t.Errorf("timestamp %q written without being asked for", bom.Metadata.Timestamp)
	}
	byPURL := map[string]int{}
	var purls []string
	for i, c := range bom.Components {
		byPURL[c.PURL] = i
		purls = append(purls, c.PURL)
	}
	want := []string{
		"pkg:pypi/anyio@4.3.0", "pkg:pypi/exceptiongroup@1.2.0", "pkg:pypi/idna@3.6", "pkg:pypi/iniconfig@2.0.0",
		"pkg:pypi/pytest@8.0.0", "pkg:pypi/sphinx-lite@1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Fsphinx-lite%3Frev%3Dv1%230123456789abcdef",
	}
	if diff := cmp.Diff(want, purls); diff != "" {
		t.Fatalf("components (-want +got):\n%s", diff)
	}
	anyio := bom.Components[byPURL["pkg:pypi/anyio@4.3.0"]]
	if len(anyio.Hashes) != 2 || anyio.Scope != "required" || len(anyio.ExternalReferences) != 2 {
		t.Errorf("anyio: hashes %v scope %q refs %v", anyio.Hashes, anyio.Scope, anyio.ExternalReferences)
	}
	if o := anyio.Evidence.Occurrences; len(o) == 0 || o[0].Location != "pyproject.toml" && o[0].Location != "uv.lock" || o[0].Line == 0 {
		t.Errorf("anyio evidence = %+v", o)
	}
	props := func(purl string) map[string]string {
		m := map[string]string{}
		for _, p := range bom.Components[byPURL[purl]].Properties {
			m[p.Name] += p.Value
		}
		return m
	}
	if p := props("pkg:pypi/idna@3.6"); p[PropKnownMalicious] != "MAL-2099-1" {
		t.Errorf("idna properties = %v", p)
	}
	if p := props("pkg:pypi/exceptiongroup@1.2.0"); p[PropInstallTimeCode] != "sdist-only" {
		t.Errorf("exceptiongroup properties = %v", p)
	}
	pytest := bom.Components[byPURL["pkg:pypi/pytest@8.0.0"]]
	if pytest.Scope != "optional" || props("pkg:pypi/pytest@8.0.0")[PropGroup] != "group:dev" {
		t.Errorf("pytest scope %q properties %v", pytest.Scope, props("pkg:pypi/pytest@8.0.0"))
	}
	graph := map[string][]string{}
	for _, d := range bom.Dependencies {
		graph[d.Ref] = d.DependsOn
	}
	if diff := cmp.Diff([]string{"pkg:pypi/exceptiongroup@1.2.0", "pkg:pypi/idna@3.6"}, graph["pkg:pypi/anyio@4.3.0"]); diff != "" {
		t.Errorf("anyio's edges (-want +got):\n%s", diff)
	}
	if got := graph[bom.Metadata.Component.Ref]; len(got) < 3 || got[0] != "pkg:pypi/anyio@4.3.0" {
		t.Errorf("subject's edges = %v", got)
	}
	if _, ok := graph["pkg:pypi/idna@3.6"]; !ok {
		t.Errorf("idna, a leaf of a lock that records the graph, has no (empty) dependency entry")
	}
}

func TestSPDXContent(t *testing.T) {
	out := string(write(t, projectDoc(t), testMeta, "spdx-tv", ""))
	for _, want := range []string{
		"Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Root-demo-0.1.0",
		"Relationship: SPDXRef-Root-demo-0.1.0 DEPENDS_ON SPDXRef-Package-pypi-anyio-4.3.0",
		"Relationship: SPDXRef-Package-pypi-pytest-8.0.0 DEV_DEPENDENCY_OF SPDXRef-Root-demo-0.1.0",
		"Relationship: SPDXRef-Package-pypi-sphinx-lite-1.0 OPTIONAL_DEPENDENCY_OF SPDXRef-Root-demo-0.1.0",
		"Relationship: SPDXRef-Package-pypi-anyio-4.3.0 DEPENDS_ON SPDXRef-Package-pypi-idna-3.6",
		"ExternalRef: PACKAGE-MANAGER purl pkg:pypi/anyio@4.3.0",
		"PackageChecksum: SHA256: 048e05d0f6caeed70d731f3db756d35dcc1f35747c8c403364a8332c630441b8",
		"AnnotationComment: safeguard:known-malicious=MAL-2099-1",
		"PackageLicenseDeclared: MIT",
		"Created: 1970-01-01T00:00:00Z",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tag-value lacks %q", want)
		}
	}
}

// The same input gives the same bytes; a different input or a random
// serial gives a different serial; a timestamp is written when asked for.
func TestDeterministic(t *testing.T) {
	a := write(t, projectDoc(t), testMeta, "cyclonedx-json", "1.6")
	b := write(t, projectDoc(t), testMeta, "cyclonedx-json", "1.6")
	if !bytes.Equal(a, b) {
		t.Fatal("two runs on the same input differ")
	}
	serial := func(out []byte) string {
		var bom cdxOut
		json.Unmarshal(out, &bom)
		return bom.SerialNumber
	}
	d := projectDoc(t)
	d.Components[0].Version = "4.3.1"
	if serial(write(t, d, testMeta, "cyclonedx-json", "1.6")) == serial(a) {
		t.Error("a different inventory kept the serial number")
	}
	rnd := testMeta
	rnd.RandomSerial = true
	if serial(write(t, projectDoc(t), rnd, "cyclonedx-json", "1.6")) == serial(a) {
		t.Error("--random-serial kept the content serial")
	}
	ts := testMeta
	ts.Timestamp = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var bom cdxOut
	json.Unmarshal(write(t, projectDoc(t), ts, "cyclonedx-json", "1.6"), &bom)
	if bom.Metadata.Timestamp != "2026-12-01T10:00:00Z" {
		t.Errorf("timestamp = %q", bom.Metadata.Timestamp)
	}
}

// Named licences (no SPDX id) become LicenseRef- entries in SPDX and
// names in CycloneDX, and still validate.
func TestNamedLicences(t *testing.T) {
	inv := &deps.Inventory{Packages: []deps.Package{
		{Name: "a", Version: "1", Scope: "main", Direct: true, Source: deps.Source{Kind: "index"}, License: &licenses.License{IDs: []string{"MIT"}, Names: []string{"BSD License"}}},
		{Name: "b", Version: "2", Scope: "main", Direct: true, Source: deps.Source{Kind: "index"}, License: &licenses.License{IDs: []string{"Apache-2.0", "MIT"}}},
		{Name: "c", Specifier: ">=1", Scope: "main", Direct: true, Source: deps.Source{Kind: "index"}},
	}}
	d := Build(inv, nil, "env")
	out := write(t, d, testMeta, "spdx-json", "")
	validateJSON(t, "spdx-2.3", out)
	for _, want := range []string{`"licenseDeclared": "MIT AND LicenseRef-1-BSD-License"`, `"licenseId": "LicenseRef-1-BSD-License"`, `"licenseDeclared": "Apache-2.0 AND MIT"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("SPDX JSON lacks %s", want)
		}
	}
	for _, v := range []string{"1.4", "1.7"} {
		out := write(t, d, testMeta, "cyclonedx-json", v)
		validateJSON(t, "cyclonedx-"+v, out)
		if !bytes.Contains(out, []byte(`"name": "BSD License"`)) || !bytes.Contains(out, []byte(`"name": "safeguard:specifier"`)) {
			t.Errorf("CycloneDX %s lacks the named licence or c's specifier:\n%s", v, head(out))
		}
	}
}
