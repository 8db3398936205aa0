package pypitest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func post(t *testing.T, s *Server, body string) string {
	t.Helper()
	resp, err := http.Post(s.URL()+"/pypi", "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml" {
		t.Errorf("status %s, content type %q; want 200 text/xml", resp.Status, resp.Header.Get("Content-Type"))
	}
	return string(out)
}

// callXML is a call as Python's xmlrpc.client writes it, with one int.
func callXML(method string, param int) string {
	return fmt.Sprintf("<?xml version='1.0'?>\n<methodCall>\n<methodName>%s</methodName>\n<params>\n<param>\n<value><int>%d</int></value>\n</param>\n</params>\n</methodCall>\n", method, param)
}

// TestWire checks the bytes the fake writes against what Python's
// xmlrpc.client writes for PyPI (warehouse answers through it): a
// changelog row with a nil version, an escaped action, and a fault.
func TestWire(t *testing.T) {
	s := Start()
	defer s.Close()
	s.SetClock(func() time.Time { return time.Unix(1700000000, 0) })
	if err := s.Record("demo", "", "add Owner a&b<c>"); err != nil {
		t.Fatal(err)
	}
	got := post(t, s, callXML("changelog_since_serial", 0))
	want := "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" +
		"<value><array><data>\n<value><array><data>\n" +
		"<value><string>demo</string></value>\n<value><nil/></value>\n<value><int>1700000000</int></value>\n" +
		"<value><string>add Owner a&amp;b&lt;c&gt;</string></value>\n<value><int>1</int></value>\n" +
		"</data></array></value>\n</data></array></value>\n" +
		"</param>\n</params>\n</methodResponse>\n"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("changelog_since_serial (-want +got):\n%s", d)
	}
	got = post(t, s, callXML("changelog", 0))
	want = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>-32500</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>ValueError: The changelog method has been deprecated, use changelog_since_serial instead.</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("changelog (-want +got):\n%s", d)
	}
	if c := s.Calls(); c.XMLRPC != 2 || c.Methods["changelog"] != 1 || c.Methods["changelog_since_serial"] != 1 {
		t.Errorf("Calls = %+v", c)
	}
}

// TestPublishRules checks what PyPI refuses and what a name redirect and a
// quarantine do.
func TestPublishRules(t *testing.T) {
	s := Start()
	defer s.Close()
	if err := s.Publish("demo", "1.0", "demo-1.0.tar.gz", []byte("a")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, version, filename, text string }{
		{"demo", "1.0", "demo-1.0.tar.gz", "already been used"},
		{"demo", "1.0", "../demo-1.0.tar.gz", "a filename, not a path"},
		{"demo", "1.0", "demo-1.0.exe", "not a Python distribution"},
		{"bad name!", "1.0", "x-1.0.tar.gz", "invalid project name"},
	} {
		err := s.Publish(tt.name, tt.version, tt.filename, []byte("b"))
		if err == nil || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("Publish(%q, %q, %q) = %v, want %q", tt.name, tt.version, tt.filename, err, tt.text)
		}
	}
	if err := s.RemoveProject("demo"); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish("demo", "1.0", "demo-1.0.tar.gz", []byte("a")); err == nil {
		t.Error("a removed project's filename was used again")
	}

	nofollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if err := s.Publish("Other_Name", "2.0", "other_name-2.0.tar.gz", []byte("o")); err != nil {
		t.Fatal(err)
	}
	resp, err := nofollow.Get(s.URL() + "/pypi/other-name/2.0/json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/pypi/Other_Name/2.0/json" {
		t.Errorf("non-canonical name: %s to %q, want 301 to /pypi/Other_Name/2.0/json", resp.Status, resp.Header.Get("Location"))
	}
}
