package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNegotiate(t *testing.T) {
	for accept, want := range map[string]string{
		"": mediaHTML,
		"application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01": mediaJSON, // pip
		"text/html":                                                  mediaLegacy,
		"application/vnd.pypi.simple.v1+html":                        mediaHTML,
		"application/vnd.pypi.simple.latest+json":                    mediaJSON,
		"text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.4": mediaLegacy,
		"*/*":             mediaHTML,
		"application/xml": "",
		"application/vnd.pypi.simple.v1+json;q=0": "",
	} {
		if got := negotiate(accept); got != want {
			t.Errorf("negotiate(%q) = %q, want %q", accept, got, want)
		}
	}
}

const htmlPage = `<!DOCTYPE html><html><head><meta name="pypi:project-status" content="archived"></head><body>
<a href="../../packages/demo-1.0.tar.gz#sha256=AABB" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</a>
<a href="https://files.example/demo-2.0-py3-none-any.whl#sha256=ccdd" data-yanked="broken build" data-core-metadata="sha256=eeff" data-provenance="https://p.example/x">demo-2.0-py3-none-any.whl</a>
<a href="/packages/demo-2.1-py3-none-any.whl#md5=1234" data-dist-info-metadata="true" data-yanked="">demo-2.1-py3-none-any.whl</a>
</body></html>`

func TestParseHTMLPage(t *testing.T) {
	base, _ := url.Parse("https://index.example/simple/demo/")
	p, err := parseHTMLPage("demo", strings.NewReader(htmlPage), base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status == nil || p.Status.Status != "archived" || len(p.Files) != 3 {
		t.Fatalf("page = %+v", p)
	}
	f := p.Files
	if f[0].upstream != "https://index.example/packages/demo-1.0.tar.gz" || f[0].SHA256() != "aabb" || f[0].RequiresPython != ">=3.8" || f[0].Kind() != "sdist" {
		t.Errorf("file 0 = %+v", f[0])
	}
	if y, reason := f[1].IsYanked(); !y || reason != "broken build" || metadataAttr(f[1].CoreMetadata) != "sha256=eeff" || string(f[1].Provenance) != `"https://p.example/x"` {
		t.Errorf("file 1 = %+v", f[1])
	}
	if y, _ := f[2].IsYanked(); !y || f[2].SHA256() != "" || metadataAttr(f[2].CoreMetadata) != "true" || f[2].upstream != "https://index.example/packages/demo-2.1-py3-none-any.whl" {
		t.Errorf("file 2 = %+v", f[2])
	}
	// What we write, we read back the same.
	for i := range f {
		f[i].URL = f[i].upstream
	}
	var buf bytes.Buffer
	writeHTMLPage(&buf, p)
	back, err := parseHTMLPage("demo", &buf, base)
	if err != nil {
		t.Fatal(err)
	}
	opt := cmp.Comparer(func(a, b File) bool {
		ya, ra := a.IsYanked()
		yb, rb := b.IsYanked()
		return a.Filename == b.Filename && a.upstream == b.upstream && a.SHA256() == b.SHA256() && a.RequiresPython == b.RequiresPython &&
			ya == yb && ra == rb && metadataAttr(a.CoreMetadata) == metadataAttr(b.CoreMetadata)
	})
	if d := cmp.Diff(p.Files, back.Files, opt); d != "" {
		t.Errorf("round trip (-wrote +read):\n%s", d)
	}
}

func TestParseJSONPage(t *testing.T) {
	body := `{"meta":{"api-version":"1.1","_last-serial":7},"name":"Demo","versions":["1.0","2.0"],
	"files":[{"filename":"demo-1.0.tar.gz","url":"../../packages/demo-1.0.tar.gz","hashes":{"SHA256":"AB"},"size":10,"upload-time":"2024-01-01T00:00:00Z","yanked":false},
	{"filename":"demo-2.0-py3-none-any.whl","url":"https://f.example/demo-2.0-py3-none-any.whl","hashes":{"sha256":"cd"},"dist-info-metadata":{"sha256":"ef"},"yanked":"oops"}]}`
	base, _ := url.Parse("https://index.example/simple/demo/")
	p, err := parseJSONPage(strings.NewReader(body), base)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Demo" || *p.Meta.LastSerial != 7 || p.Files[0].upstream != "https://index.example/packages/demo-1.0.tar.gz" || p.Files[0].SHA256() != "ab" {
		t.Fatalf("page = %+v", p)
	}
	if metadataAttr(p.Files[1].CoreMetadata) != "sha256=ef" {
		t.Errorf("PEP 714: dist-info-metadata not read as core-metadata: %s", p.Files[1].CoreMetadata)
	}
	if _, err := parseJSONPage(strings.NewReader(`{"files": 3}`), base); err == nil {
		t.Error("a malformed page was accepted")
	}
}

func TestPolicy(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "policy.toml")
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	p, err := LoadPolicy(write(`
allow = ["internal-*", "reqeusts"]
deny = ["evil", "django<4"]
[block]
suspicious = true
yanked = true
[only_binary]
enabled = true
allow = ["PyYAML"]
[cooldown]
min_age = "72h"
[prescan]
max_file_bytes = "8MiB"
`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Prescan.MaxFileBytes != 8<<20 || p.Prescan.Versions != 3 || !p.Block.Malicious {
		t.Errorf("defaults and sizes: %+v", p.Prescan)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	old := now.Add(-100 * time.Hour).Format(time.RFC3339)
	cases := []struct {
		project string
		f       File
		rule    string // "" = not decided statically
	}{
		{"evil", File{Filename: "evil-1.0-py3-none-any.whl", UploadTime: old}, "deny-list"},
		{"django", File{Filename: "django-3.2-py3-none-any.whl", UploadTime: old}, "deny-list"},
		{"django", File{Filename: "django-4.2-py3-none-any.whl", UploadTime: old}, ""},
		{"reqeusts", File{Filename: "reqeusts-1.0-py3-none-any.whl", UploadTime: old}, ""}, // allow-listed
		{"requestz", File{Filename: "requestz-1.0-py3-none-any.whl", UploadTime: old}, ""}, // the page decides: Typosquat
		{"demo", File{Filename: "demo-1.0.tar.gz", UploadTime: old}, "only-binary"},
		{"pyyaml", File{Filename: "pyyaml-6.0.tar.gz", UploadTime: old}, ""},
		{"internal-tool", File{Filename: "internal_tool-1.0.tar.gz", UploadTime: old}, ""},
		{"demo", File{Filename: "demo-1.0-py3-none-any.whl", UploadTime: now.Add(-time.Hour).Format(time.RFC3339)}, "cooldown"},
		{"demo", File{Filename: "demo-1.0-py3-none-any.whl", UploadTime: old, Yanked: json.RawMessage(`"bad"`)}, "yanked"},
	}
	for _, c := range cases {
		d, decided := p.Static(c.project, &c.f, now)
		got := ""
		if decided && !d.Allow {
			got = d.Rule
		}
		if got != c.rule {
			t.Errorf("%s %s: rule %q (%s), want %q", c.project, c.f.Filename, got, d.Reason, c.rule)
		}
	}
	if d := p.Verdict("demo", "1.0", "suspicious", false, "x"); d.Allow || d.Rule != "suspicious" {
		t.Errorf("suspicious with block.suspicious: %+v", d)
	}
	if d := p.Verdict("internal-tool", "1.0", "suspicious", false, "x"); !d.Allow {
		t.Errorf("an allow-listed project's suspicious verdict blocked: %+v", d)
	}
	if d := p.Verdict("internal-tool", "1.0", "malicious", false, "x"); d.Allow {
		t.Errorf("the allow list let a malicious file through")
	}
	for _, bad := range []string{"[block]\nmalicous = true\n", "deny = [\"x[\"]\n", "[cooldown]\nmin_age = \"soon\"\n"} {
		if _, err := LoadPolicy(write(bad)); err == nil {
			t.Errorf("policy %q accepted", bad)
		}
	}
}

// A look-alike of a far more popular project is blocked before a scan only
// when its page corroborates it (young, few releases or no wheels); an
// established look-alike, a version sibling or an allow-listed name is
// left to the scan.
func TestTyposquatCorroboration(t *testing.T) {
	p := DefaultPolicy()
	if err := p.compile(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	at := func(daysAgo int) string {
		return now.Add(-time.Duration(daysAgo) * 24 * time.Hour).Format(time.RFC3339)
	}
	page := func(name string, files ...File) *Project { return &Project{Name: name, Files: files} }
	established := func(name string) *Project {
		var fs []File
		for i := range 6 {
			fs = append(fs, File{Filename: fmt.Sprintf("%s-1.%d-py3-none-any.whl", name, i), UploadTime: at(700 - 100*i)})
		}
		return page(name, fs...)
	}
	cases := []struct {
		name string
		page *Project
		want string // "" = left to the scan; else words of the reason
	}{
		{"requestz", page("requestz", File{Filename: "requestz-1.0-py3-none-any.whl", UploadTime: at(4)}), "first upload 4 days ago, 1 release(s)"},
		{"requestz", established("requestz"), ""},
		{"requestz", page("requestz",
			File{Filename: "requestz-1.0.tar.gz", UploadTime: at(900)}, File{Filename: "requestz-1.1.tar.gz", UploadTime: at(800)},
			File{Filename: "requestz-1.2.tar.gz", UploadTime: at(700)}, File{Filename: "requestz-1.3.tar.gz", UploadTime: at(600)}), "no wheels"},
		{"jinja3", page("jinja3", File{Filename: "jinja3-1.0-py3-none-any.whl", UploadTime: at(1)}), ""},
		{"numpy", page("numpy", File{Filename: "numpy-1.0-py3-none-any.whl", UploadTime: at(1)}), ""},
	}
	for _, c := range cases {
		d, blocked := p.Typosquat(c.name, c.page, now)
		switch {
		case c.want == "" && blocked:
			t.Errorf("%s: blocked (%s), want it left to the scan", c.name, d.Reason)
		case c.want != "" && (!blocked || d.Rule != "typosquat" || !strings.Contains(d.Reason, c.want)):
			t.Errorf("%s: %v %q, want a typosquat block saying %q", c.name, blocked, d.Reason, c.want)
		}
	}
}

func TestCacheFill(t *testing.T) {
	c, err := OpenCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("wheel bytes")
	sum := "a6a0f4a3bcb1c79b2e1d0ef7ab0dc0d01f63c7d3ab3d5f21e32e9ae9e6c4e1f8"
	if _, err := c.Fill(sum, bytes.NewReader(data), 100); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("wrong hash: %v", err)
	}
	if c.Has(sum) {
		t.Fatal("a mismatched file was kept")
	}
	good := sha256hex(data)
	if _, err := c.Fill(good, bytes.NewReader(data), 5); err == nil {
		t.Fatal("an oversized file was kept")
	}
	if _, err := c.Fill(good, bytes.NewReader(data), 100); err != nil || !c.Has(good) {
		t.Fatalf("fill: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(c.dir, "tmp")); len(left) != 0 {
		t.Fatalf("%d temporary files left", len(left))
	}
}

// Unnormalised project names redirect; unknown ones are 404; pages say
// Vary: Accept.
func TestProjectURLs(t *testing.T) {
	up := newFakeIndex()
	up.add("tidy", upFile{name: "tidy-1.0-py3-none-any.whl", data: wheel(t, "tidy", "1.0", map[string]string{"tidy/__init__.py": ""}), uploaded: time.Now().Add(-time.Hour)})
	_, srv := testProxy(t, up, nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]int{"/simple/Tidy/": 301, "/simple/tidy": 301, "/simple/tidy/": 200, "/simple/nope/": 404, "/-/health": 200} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if want == 301 && resp.Header.Get("Location") != "/simple/tidy/" {
			t.Errorf("%s redirects to %q", path, resp.Header.Get("Location"))
		}
		if path == "/simple/tidy/" && resp.Header.Get("Vary") != "Accept" {
			t.Errorf("no Vary: Accept")
		}
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/simple/tidy/", nil)
	req.Header.Set("Accept", mediaJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Versions []string `json:"versions"`
		Files    []struct {
			URL  string `json:"url"`
			Size int    `json:"size"`
		} `json:"files"`
	}
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if len(page.Files) != 1 || !strings.HasPrefix(page.Files[0].URL, "/files/tidy/") || page.Files[0].Size == 0 || len(page.Versions) != 1 {
		t.Errorf("JSON page = %+v", page)
	}
	resp, _ = http.Get(srv.URL + "/-/metrics")
	var m bytes.Buffer
	m.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(m.String(), `safeguard_proxy_requests_total{route="project",status="200"}`) {
		t.Errorf("metrics lack the page requests:\n%s", m.String())
	}
}

func sha256hex(b []byte) string {
	return strings.ToLower(hexSum(b))
}

// PEP 658/714: core metadata is advertised with its hash and served,
// verified, from the proxy; a .metadata whose bytes do not match is
// refused.
func TestCoreMetadata(t *testing.T) {
	meta := []byte("Metadata-Version: 2.1\nName: tidy\nVersion: 1.0\n")
	old := time.Now().Add(-30 * 24 * time.Hour)
	up := newFakeIndex()
	up.add("tidy", upFile{name: "tidy-1.0-py3-none-any.whl", data: wheel(t, "tidy", "1.0", map[string]string{"tidy/__init__.py": ""}), uploaded: old, metadata: meta})
	up.add("tidy", upFile{name: "tidy-1.1-py3-none-any.whl", data: wheel(t, "tidy", "1.1", map[string]string{"tidy/__init__.py": ""}), uploaded: old, metadata: meta, metaHash: strings.Repeat("0", 64)})
	_, srv := testProxy(t, up, nil)
	page := jsonPage(t, srv.URL, "tidy")
	if len(page.Files) != 2 || page.Files[0].Meta["sha256"] != hexSum(meta) {
		t.Fatalf("page = %+v", page)
	}
	for i, want := range []int{200, 502} {
		resp, err := http.Get(srv.URL + page.Files[i].URL + ".metadata")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || want == 200 && !bytes.Equal(body, meta) {
			t.Errorf("%s.metadata: HTTP %d %q, want %d", page.Files[i].Filename, resp.StatusCode, body, want)
		}
	}
}
