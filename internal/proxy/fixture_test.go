package proxy

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// wheel builds a wheel of name==version holding files (paths relative to
// the wheel root), with METADATA, WHEEL and a correct RECORD.
func wheel(t testing.TB, name, version string, files map[string]string) []byte {
	t.Helper()
	dist := strings.ReplaceAll(name, "-", "_") + "-" + version
	all := map[string]string{}
	for k, v := range files {
		all[k] = v
	}
	all[dist+".dist-info/METADATA"] = fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", name, version)
	all[dist+".dist-info/WHEEL"] = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	var record strings.Builder
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h := sha256.Sum256([]byte(all[k]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", k, base64.RawURLEncoding.EncodeToString(h[:]), len(all[k]))
	}
	record.WriteString(dist + ".dist-info/RECORD,,\n")
	all[dist+".dist-info/RECORD"] = record.String()
	names = append(names, dist+".dist-info/RECORD")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, k := range names {
		w, _ := zw.Create(k)
		w.Write([]byte(all[k]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sdist builds a .tar.gz sdist with a PKG-INFO and files under name-version/.
func sdist(t testing.TB, name, version string, files map[string]string) []byte {
	t.Helper()
	root := name + "-" + version + "/"
	all := map[string]string{"PKG-INFO": fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\n", name, version)}
	for k, v := range files {
		all[k] = v
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for k, v := range all {
		tw.WriteHeader(&tar.Header{Name: root + k, Mode: 0o644, Size: int64(len(v)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)})
		tw.Write([]byte(v))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// upFile is one file of the fake upstream index.
type upFile struct {
	name     string
	data     []byte
	sha256   string // what the page claims; the real hash when empty
	uploaded time.Time
	yanked   string
	metadata []byte // served as <file>.metadata (PEP 658) when set
	metaHash string // what the page claims for it; the real hash when empty
	href     string // the link the page gives; /packages/<name> when empty
}

// fakeIndex is an upstream simple index served from memory: PEP 691 JSON
// or PEP 503 HTML by Accept, and the files. It counts file downloads.
type fakeIndex struct {
	mu        sync.Mutex
	projects  map[string][]upFile
	downloads map[string]int
	redirects map[string]string // path -> Location
	htmlOnly  bool              // serve PEP 503 HTML whatever the Accept
}

func newFakeIndex() *fakeIndex {
	return &fakeIndex{projects: map[string][]upFile{}, downloads: map[string]int{}, redirects: map[string]string{}}
}

func (x *fakeIndex) add(project string, f upFile) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if f.sha256 == "" {
		h := sha256.Sum256(f.data)
		f.sha256 = hex.EncodeToString(h[:])
	}
	x.projects[project] = append(x.projects[project], f)
}

func (x *fakeIndex) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if to, ok := x.redirects[r.URL.Path]; ok {
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	if name, ok := strings.CutPrefix(r.URL.Path, "/packages/"); ok {
		for _, files := range x.projects {
			for _, f := range files {
				if f.metadata != nil && f.name+".metadata" == name {
					w.Write(f.metadata)
					return
				}
				if f.name == name {
					x.downloads[name]++
					w.Write(f.data)
					return
				}
			}
		}
		http.NotFound(w, r)
		return
	}
	project := strings.Trim(strings.TrimPrefix(r.URL.Path, "/simple/"), "/")
	files, ok := x.projects[project]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), mediaJSON) && !x.htmlOnly {
		type jf struct {
			Filename   string            `json:"filename"`
			URL        string            `json:"url"`
			Hashes     map[string]string `json:"hashes"`
			Size       int               `json:"size"`
			UploadTime string            `json:"upload-time"`
			Yanked     any               `json:"yanked"`
			Meta       map[string]string `json:"core-metadata,omitempty"`
		}
		page := struct {
			Meta  map[string]string `json:"meta"`
			Name  string            `json:"name"`
			Files []jf              `json:"files"`
		}{Meta: map[string]string{"api-version": "1.1"}, Name: project}
		for _, f := range files {
			var y any = false
			if f.yanked != "" {
				y = f.yanked
			}
			var meta map[string]string
			if f.metadata != nil {
				h := f.metaHash
				if h == "" {
					h = hexSum(f.metadata)
				}
				meta = map[string]string{"sha256": h}
			}
			page.Files = append(page.Files, jf{f.name, cmp.Or(f.href, "/packages/"+f.name), map[string]string{"sha256": f.sha256}, len(f.data), f.uploaded.UTC().Format(time.RFC3339), y, meta})
		}
		w.Header().Set("Content-Type", mediaJSON)
		json.NewEncoder(w).Encode(page)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<html><body>\n")
	for _, f := range files {
		fmt.Fprintf(w, "<a href=\"%s#sha256=%s\">%s</a>\n", html.EscapeString(cmp.Or(f.href, "../../packages/"+f.name)), f.sha256, html.EscapeString(f.name))
	}
	fmt.Fprintf(w, "</body></html>\n")
}

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// pageJSON is what a test reads of a project page the proxy serves.
type pageJSON struct {
	Files []struct {
		Filename string            `json:"filename"`
		URL      string            `json:"url"`
		Meta     map[string]string `json:"core-metadata"`
	} `json:"files"`
}

// jsonPage asks the proxy at base for a project's page as PEP 691 JSON.
func jsonPage(t testing.TB, base, project string) pageJSON {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/simple/"+project+"/", nil)
	req.Header.Set("Accept", mediaJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page pageJSON
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatalf("page of %s: HTTP %d: %v", project, resp.StatusCode, err)
	}
	return page
}
