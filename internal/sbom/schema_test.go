package sbom

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaDir holds the official schemas (see its README).
const schemaDir = "testdata/schema"

var (
	schemaOnce sync.Once
	schemas    map[string]*jsonschema.Schema
	schemaErr  error
)

// loadSchemas compiles the CycloneDX 1.4-1.7 and SPDX 2.3 JSON schemas,
// their references served from testdata under their $id addresses.
func loadSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		entries, err := os.ReadDir(schemaDir)
		if err != nil {
			schemaErr = err
			return
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			f, err := os.Open(filepath.Join(schemaDir, e.Name()))
			if err != nil {
				schemaErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				schemaErr = err
				return
			}
			url := "http://cyclonedx.org/schema/" + e.Name()
			if e.Name() == "spdx-2.3.schema.json" {
				url = "http://spdx.org/rdf/terms/2.3"
			}
			if err := c.AddResource(url, doc); err != nil {
				schemaErr = err
				return
			}
		}
		schemas = map[string]*jsonschema.Schema{}
		for _, v := range []string{"1.4", "1.5", "1.6", "1.7"} {
			s, err := c.Compile("http://cyclonedx.org/schema/bom-" + v + ".schema.json")
			if err != nil {
				schemaErr = err
				return
			}
			schemas["cyclonedx-"+v] = s
		}
		schemas["spdx-2.3"], schemaErr = c.Compile("http://spdx.org/rdf/terms/2.3")
	})
	if schemaErr != nil {
		t.Fatalf("schemas: %v", schemaErr)
	}
	return schemas
}

// validateJSON checks out against the named schema.
func validateJSON(t *testing.T, schema string, out []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: output is not JSON: %v", schema, err)
	}
	if err := loadSchemas(t)[schema].Validate(doc); err != nil {
		t.Fatalf("%s: output does not validate:\n%v\n%s", schema, err, head(out))
	}
}

// validateXML checks a CycloneDX XML document against the official XSD
// with xmllint, which .ci/run installs; without it the test says so and
// skips.
func validateXML(t *testing.T, version string, out []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils): XML not validated against the XSD")
	}
	f := filepath.Join(t.TempDir(), "bom.xml")
	if err := os.WriteFile(f, out, 0o644); err != nil {
		t.Fatal(err)
	}
	xsd, _ := filepath.Abs(filepath.Join(schemaDir, "bom-"+version+".xsd"))
	catalog, _ := filepath.Abs(filepath.Join(schemaDir, "catalog.xml"))
	cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, f)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+catalog)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CycloneDX %s XML does not validate: %v\n%s\n%s", version, err, msg, head(out))
	}
}

func head(b []byte) string {
	if len(b) > 4000 {
		b = b[:4000]
	}
	return string(b)
}

// The schema files are real schemas: a document missing a required field
// fails, so the validation tests can fail.
func TestSchemasReject(t *testing.T) {
	s := loadSchemas(t)
	bad := map[string]string{
		"cyclonedx-1.6": `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library"}]}`,
		"spdx-2.3":      `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT"}`,
	}
	for name, doc := range bad {
		v, _ := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err := s[name].Validate(v); err == nil {
			t.Errorf("%s accepted an invalid document", name)
		}
	}
}
