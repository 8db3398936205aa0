package proxy

import (
	"bytes"
	"net/url"
	"testing"
)

// Upstream pages are untrusted input: parsing never panics, and a parsed
// page written back as HTML parses again.
func FuzzProjectPage(f *testing.F) {
	f.Add([]byte(htmlPage), false)
	f.Add([]byte(`{"meta":{"api-version":"1.1"},"name":"x","files":[{"filename":"x-1.0.tar.gz","url":"x","hashes":{"sha256":"ab"},"yanked":"r"}]}`), true)
	base, _ := url.Parse("https://index.example/simple/x/")
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		var p *Project
		var err error
		if isJSON {
			p, err = parseJSONPage(bytes.NewReader(data), base)
		} else {
			p, err = parseHTMLPage("x", bytes.NewReader(data), base)
		}
		if err != nil {
			return
		}
		p.recomputeVersions()
		var buf bytes.Buffer
		if err := writeHTMLPage(&buf, p); err != nil {
			t.Fatal(err)
		}
		if _, err := parseHTMLPage("x", &buf, base); err != nil {
			t.Fatal(err)
		}
	})
}
