package pypi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

var epoch = time.Unix(1700000000, 0).UTC()

// start returns a fake PyPI with a fixed clock and a client of it.
func start(t *testing.T) (*pypitest.Server, *pypi.Client) {
	t.Helper()
	s := pypitest.Start()
	t.Cleanup(s.Close)
	s.SetClock(func() time.Time { return epoch })
	return s, pypi.New(s.URL(), nil)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestChangelogRows publishes, yanks, removes and quarantines on the fake
// and reads the journal back: every PyPI action arrives as its typed event.
func TestChangelogRows(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	must(t, s.Publish("Demo.Pkg", "1.0", "demo_pkg-1.0.tar.gz", []byte("sdist")))
	must(t, s.Publish("demo-pkg", "1.0", "demo_pkg-1.0-py3-none-any.whl", []byte("wheel")))
	must(t, s.Publish("demo-pkg", "1.1", "demo_pkg-1.1-cp312-cp312-manylinux_2_17_x86_64.whl", []byte("w2")))
	must(t, s.Publish("demo-pkg", "1.1", "demo_pkg-1.1-py2.py3-none-any.whl", []byte("w3")))
	must(t, s.Yank("demo-pkg", "1.0", "broken"))
	must(t, s.Unyank("demo-pkg", "1.0"))
	must(t, s.RemoveFile("demo-pkg", "1.1", "demo_pkg-1.1-py2.py3-none-any.whl"))
	must(t, s.RemoveRelease("demo-pkg", "1.1"))
	must(t, s.AddRole("demo-pkg", "Maintainer", "eve"))
	must(t, s.InviteRole("demo-pkg", "Owner", "bob"))
	must(t, s.AcceptRole("demo-pkg", "Owner", "bob"))
	must(t, s.ChangeRole("demo-pkg", "eve", "Maintainer", "Owner"))
	must(t, s.RemoveRole("demo-pkg", "Owner", "eve"))
	must(t, s.Quarantine("demo-pkg"))
	must(t, s.ClearQuarantine("demo-pkg"))
	must(t, s.Record("demo-pkg", "1.0", "docupdate … <b>&amp;"))
	must(t, s.RemoveProject("demo-pkg"))

	got, err := c.ChangelogSince(ctx, 0)
	must(t, err)
	type row struct {
		Name, Version string
		Kind          string
		Action        string
		PyVersion     string
		Filename      string
	}
	want := []row{
		{"Demo.Pkg", "", "create", "create", "", ""},
		{"Demo.Pkg", "", "role", "add Owner uploader", "", ""},
		{"Demo.Pkg", "1.0", "new-release", "new release", "", ""},
		{"Demo.Pkg", "1.0", "add-file", "add source file demo_pkg-1.0.tar.gz", "source", "demo_pkg-1.0.tar.gz"},
		{"Demo.Pkg", "1.0", "add-file", "add py3 file demo_pkg-1.0-py3-none-any.whl", "py3", "demo_pkg-1.0-py3-none-any.whl"},
		{"Demo.Pkg", "1.1", "new-release", "new release", "", ""},
		{"Demo.Pkg", "1.1", "add-file", "add cp312 file demo_pkg-1.1-cp312-cp312-manylinux_2_17_x86_64.whl", "cp312", "demo_pkg-1.1-cp312-cp312-manylinux_2_17_x86_64.whl"},
		{"Demo.Pkg", "1.1", "add-file", "add py2.py3 file demo_pkg-1.1-py2.py3-none-any.whl", "py2.py3", "demo_pkg-1.1-py2.py3-none-any.whl"},
		{"Demo.Pkg", "1.0", "yank", "yank release", "", ""},
		{"Demo.Pkg", "1.0", "unyank", "unyank release", "", ""},
		{"Demo.Pkg", "1.1", "remove-file", "remove file demo_pkg-1.1-py2.py3-none-any.whl", "", "demo_pkg-1.1-py2.py3-none-any.whl"},
		{"Demo.Pkg", "1.1", "remove-release", "remove release", "", ""},
		{"Demo.Pkg", "", "role", "add Maintainer eve", "", ""},
		{"Demo.Pkg", "", "role", "invite Owner bob", "", ""},
		{"Demo.Pkg", "", "role", "accepted Owner bob", "", ""},
		{"Demo.Pkg", "", "role", "change Maintainer eve to Owner", "", ""},
		{"Demo.Pkg", "", "role", "remove Owner eve", "", ""},
		{"Demo.Pkg", "", "quarantine", "project quarantined", "", ""},
		{"Demo.Pkg", "", "quarantine-cleared", "project quarantine cleared", "", ""},
		// PyPI turns what is not ASCII into character references.
		{"Demo.Pkg", "1.0", "other", "docupdate &#8230; <b>&amp;", "", ""},
		{"Demo.Pkg", "", "remove-project", "remove project", "", ""},
	}
	var rows []row
	for i, e := range got {
		if e.Serial != int64(i+1) || !e.Time.Equal(epoch) {
			t.Errorf("event %d: serial %d time %v, want serial %d time %v", i, e.Serial, e.Time, i+1, epoch)
		}
		rows = append(rows, row{e.Name, e.Version, e.Kind.String(), e.Action, e.PyVersion, e.Filename})
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("journal (-want +got):\n%s", d)
	}

	last, err := c.LastSerial(ctx)
	must(t, err)
	if last != int64(len(want)) {
		t.Errorf("LastSerial = %d, want %d", last, len(want))
	}
	after, err := c.ChangelogSince(ctx, last-2)
	must(t, err)
	if len(after) != 2 || after[0].Serial != last-1 || after[1].Serial != last {
		t.Errorf("ChangelogSince(%d) = %d rows from %v, want the last 2", last-2, len(after), after)
	}
	none, err := c.ChangelogSince(ctx, last)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("ChangelogSince(last) = %d rows, want none", len(none))
	}
}

// TestChangelogBatches pages through a journal longer than a batch: each
// answer holds at most the server's limit, in order, and together they
// hold every row once.
func TestChangelogBatches(t *testing.T) {
	tests := []struct {
		name  string
		limit int // 0: PyPI's 50,000
		rows  int
		want  []int // batch sizes
	}{
		{"small limit", 3, 10, []int{3, 3, 3, 1, 0}},
		{"exact multiple", 5, 10, []int{5, 5, 0}},
		{"pypi's limit", 0, pypi.MaxChangelogRows + 7, []int{pypi.MaxChangelogRows, 7, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := start(t)
			s.SetBatchLimit(tt.limit)
			for i := range tt.rows {
				must(t, s.Record(fmt.Sprintf("p%d", i%97), "", "new release"))
			}
			var sizes []int
			serial := int64(0)
			for range len(tt.want) + 1 {
				events, err := c.ChangelogSince(context.Background(), serial)
				must(t, err)
				sizes = append(sizes, len(events))
				for _, e := range events {
					if e.Serial != serial+1 {
						t.Fatalf("serial %d follows %d", e.Serial, serial)
					}
					serial = e.Serial
				}
				if len(events) == 0 {
					break
				}
			}
			if d := cmp.Diff(tt.want, sizes); d != "" {
				t.Errorf("batch sizes (-want +got):\n%s", d)
			}
			if serial != int64(tt.rows) {
				t.Errorf("read up to serial %d, want %d", serial, tt.rows)
			}
		})
	}
}

// TestFaults checks that PyPI's faults reach the caller typed: the rate
// limit as ErrRateLimited with the wait PyPI names, the retired changelog
// and unknown methods as *Fault.
func TestFaults(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	must(t, s.Publish("x", "1", "x-1.tar.gz", []byte("x")))

	_, err := c.Call(ctx, "changelog", 0)
	var f *pypi.Fault
	if !errors.As(err, &f) || f.Code != -32500 || !strings.Contains(f.String, "deprecated") || errors.Is(err, pypi.ErrRateLimited) {
		t.Errorf("changelog(0): %v, want fault -32500 saying it is deprecated", err)
	}
	_, err = c.Call(ctx, "no_such_method")
	if !errors.As(err, &f) || f.Code != -32601 {
		t.Errorf("no_such_method: %v, want fault -32601", err)
	}
	_, err = c.Call(ctx, "changelog_since_serial", "12")
	if !errors.As(err, &f) || f.Code != -32602 {
		t.Errorf("changelog_since_serial(\"12\"): %v, want fault -32602", err)
	}

	s.SetRateLimit(1)
	if _, err := c.LastSerial(ctx); err != nil {
		t.Fatalf("first call under the limit: %v", err)
	}
	_, err = c.ChangelogSince(ctx, 0)
	if !errors.Is(err, pypi.ErrRateLimited) {
		t.Fatalf("second call in the same second: %v, want ErrRateLimited", err)
	}
	if d, ok := pypi.RetryAfter(err); !ok || d != time.Second {
		t.Errorf("RetryAfter = %v, %v; want 1s, true", d, ok)
	}
	if got := s.Calls().RateLimited; got != 1 {
		t.Errorf("fake counted %d rate-limited calls, want 1", got)
	}
	time.Sleep(time.Second)
	if _, err := c.ChangelogSince(ctx, 0); err != nil {
		t.Errorf("after waiting: %v", err)
	}
}

// TestBadAnswers checks that broken upstream answers are clear errors of
// the right type, and that the next good answer is read normally.
func TestBadAnswers(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	for i := range 40 {
		must(t, s.Publish(fmt.Sprintf("p%d", i), "1.0", fmt.Sprintf("p%d-1.0.tar.gz", i), []byte("x")))
	}
	tests := []struct {
		name  string
		fault pypitest.Fault
		call  func() error
		want  error
		text  string
	}{
		{"malformed xml-rpc", pypitest.MalformedXMLRPC, func() error { _, err := c.ChangelogSince(ctx, 0); return err }, pypi.ErrMalformed, "xml-rpc changelog_since_serial: xml-rpc answer: line"},
		{"truncated json release", pypitest.TruncatedJSON, func() error { _, err := c.Release(ctx, "p1", "1.0"); return err }, pypi.ErrMalformed, "unexpected end of JSON input"},
		{"truncated json project", pypitest.TruncatedJSON, func() error { _, err := c.Project(ctx, "p1"); return err }, pypi.ErrMalformed, "unexpected end of JSON input"},
		{"503 on xml-rpc", pypitest.Unavailable, func() error { _, err := c.LastSerial(ctx); return err }, nil, "503 Service Unavailable"},
		{"503 on json", pypitest.Unavailable, func() error { _, err := c.Project(ctx, "p1"); return err }, nil, "503 Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Inject(tt.fault, 1)
			err := tt.call()
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("broken answer: %v, want an error wrapping %v saying %q", err, tt.want, tt.text)
			}
			if err := tt.call(); err != nil {
				t.Errorf("next answer: %v", err)
			}
		})
	}
}

// TestMaxBody checks the cap on XML-RPC and JSON answers.
func TestMaxBody(t *testing.T) {
	s, c := start(t)
	ctx := context.Background()
	for i := range 100 {
		must(t, s.Record("big", "", fmt.Sprintf("new release %d", i)))
	}
	c.MaxBody = 4096
	_, err := c.ChangelogSince(ctx, 0)
	if !errors.Is(err, pypi.ErrTooLarge) || !strings.Contains(err.Error(), "larger than 4096 bytes") {
		t.Errorf("large changelog: %v, want ErrTooLarge naming the cap", err)
	}
	if _, err := c.ChangelogSince(ctx, 95); err != nil {
		t.Errorf("small changelog under the cap: %v", err)
	}

	// Without a Content-Length the body is read up to the cap and no further.
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n")
		for range 1 << 20 {
			if _, err := io.WriteString(w, "<value><int>1</int></value>\n"); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}))
	defer endless.Close()
	c = &pypi.Client{BaseURL: endless.URL, MaxBody: 4096}
	if _, err := c.ChangelogSince(ctx, 0); !errors.Is(err, pypi.ErrTooLarge) {
		t.Errorf("endless answer: %v, want ErrTooLarge", err)
	}
}
