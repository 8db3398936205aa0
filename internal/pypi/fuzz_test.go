package pypi

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/fuzzseed"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

// FuzzDecodeResponse: any XML-RPC answer decodes without panicking to a
// value, a *Fault or an ErrMalformed error; a value encodes and decodes
// back to itself, and reading it as a changelog never panics.
func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(head + "<value><int>1</int></value>" + tail))
	f.Add([]byte(head + "<value><array><data><value><array><data><value><string>x</string></value><value><nil/></value><value><int>1</int></value><value><string>create</string></value><value><int>2</int></value></data></array></value></data></array></value>" + tail))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeResponse(data)
		if err != nil {
			var fault *Fault
			if !errors.As(err, &fault) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error neither a fault nor malformed: %v", err)
			}
			return
		}
		if d := cmp.Diff(v.any(), roundTrip(t, v.any())); d != "" {
			t.Fatalf("round trip (-decoded +again):\n%s", d)
		}
		if _, err := eventsOf(v, 0); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("changelog error not malformed: %v", err)
		}
	})
}

// FuzzParseJSON: any JSON API answer parses without panicking, or fails
// with ErrMalformed.
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"info":{"name":"x","version":"1"},"last_serial":3,"urls":[{"filename":"x-1.tar.gz","url":"https://h/x-1.tar.gz","digests":{"sha256":"AB"},"size":3,"packagetype":"sdist","upload_time_iso_8601":"2024-01-01T00:00:00.123456Z","yanked":true,"yanked_reason":null}]}`))
	f.Add([]byte(`{"info":{"name":"x"},"releases":{"1":[],"2":[{"filename":"x-2.tar.gz"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) error{
			func(b []byte) error { _, err := parseRelease(b); return err },
			func(b []byte) error { _, err := parseProject(b); return err },
		} {
			if err := parse(data); err != nil && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not malformed: %v", err)
			}
		}
	})
}

// FuzzParseAction: any action parses without panicking, and the parts of
// a file action rebuild it.
func FuzzParseAction(f *testing.F) {
	f.Add("add cp312 file demo-1.0-cp312-cp312-win_amd64.whl")
	f.Add("change Owner bob to Maintainer")
	f.Fuzz(func(t *testing.T, action string) {
		kind, py, fn := ParseAction(action)
		switch kind {
		case KindAddFile:
			if action != "add "+py+" file "+fn || py == "" || fn == "" {
				t.Fatalf("%q: add file %q %q does not rebuild it", action, py, fn)
			}
		case KindRemoveFile:
			if action != "remove file "+fn || fn == "" {
				t.Fatalf("%q: remove file %q does not rebuild it", action, fn)
			}
		default:
			if py != "" || fn != "" {
				t.Fatalf("%q: %v with a file %q %q", action, kind, py, fn)
			}
		}
	})
}

var writeSeeds = flag.Bool("write-seeds", false, "write the fuzz seed corpus to testdata/fuzz")

// TestWriteFuzzSeeds records real answers of the fake PyPI (which writes
// what PyPI writes) as seeds: a changelog with every kind of row, faults,
// and JSON API answers.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-seeds to regenerate testdata/fuzz")
	}
	s := pypitest.Start()
	defer s.Close()
	check(t, s.Publish("demo", "1.0", "demo-1.0.tar.gz", []byte("a")))
	check(t, s.Publish("demo", "1.0", "demo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", []byte("b")))
	check(t, s.Yank("demo", "1.0", "bad <build> & more"))
	check(t, s.ChangeRole("demo", "eve", "Maintainer", "Owner"))
	check(t, s.Record("demo", "", "docupdate é"))
	check(t, s.Quarantine("demo"))
	check(t, s.ClearQuarantine("demo"))
	check(t, s.RemoveProject("demo"))
	post := func(method string, params ...any) []byte {
		body, err := encodeCall(method, params...)
		check(t, err)
		resp, err := http.Post(s.URL()+"/pypi", "text/xml", bytes.NewReader(body))
		check(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		check(t, err)
		return out
	}
	get := func(path string) []byte {
		resp, err := http.Get(s.URL() + path)
		check(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		check(t, err)
		return out
	}
	answers := [][]byte{post("changelog_since_serial", 0), post("changelog_last_serial"), post("changelog", 0)}
	s.SetRateLimit(1)
	post("changelog_last_serial")
	answers = append(answers, post("changelog_last_serial"))
	for _, a := range answers {
		check(t, fuzzseed.Write(".", "FuzzDecodeResponse", a))
		check(t, fuzzseed.Write(".", "FuzzScanner", a))
	}

	check(t, s.Publish("json-demo", "1.0", "json_demo-1.0.tar.gz", []byte("a")))
	check(t, s.Publish("json-demo", "2.0", "json_demo-2.0-py3-none-any.whl", []byte("b")))
	check(t, s.Yank("json-demo", "2.0", "oops"))
	check(t, fuzzseed.Write(".", "FuzzParseJSON", get("/pypi/json-demo/2.0/json")))
	check(t, fuzzseed.Write(".", "FuzzParseJSON", get("/pypi/json-demo/json")))

	for _, a := range []string{"create", "new release", "add source file x-1.tar.gz", "remove file x-1.tar.gz",
		"remove release", "remove project", "yank release", "unyank release", "add Owner a", "invite Maintainer b",
		"project quarantined", "project quarantine cleared", "add py2.py3 file x-1-py2.py3-none-any.whl", strings.Repeat("add ", 20)} {
		check(t, fuzzseed.Write(".", "FuzzParseAction", a))
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
