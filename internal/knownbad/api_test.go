package knownbad

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// apiTestDB holds ranges, a withdrawn record and two name lists, one from
// a source whose name is not usable in an id as it is.
func apiTestDB() *DB {
	db := NewDB()
	db.Add(rec("MAL-1", "Evil_Pkg", "2024-01-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "0")}}}}), "test")
	db.Add(rec("MAL-2", "fixedpkg", "2024-02-01T00:00:00Z", Affected{Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{ev("introduced", "1.2"), ev("fixed", "1.7")}}}}), "test")
	withdrawn := rec("MAL-6", "fastapi", "2024-03-01T00:00:00Z", Affected{Versions: []string{"0.1"}})
	wt := withdrawn.Modified
	withdrawn.Withdrawn = &wt
	db.Add(withdrawn, "test")
	db.AddList(map[string][]string{"Typo.Squat": {"0.0.1"}, "anyver": nil, "evil-pkg": nil}, "list")
	db.AddList(map[string][]string{"Typo.Squat": nil}, "other-src:x/y")
	return db
}

// apiStores returns the test database in memory and written to SQLite:
// the API must answer the same from both.
func apiStores(t *testing.T) map[string]Store {
	db := apiTestDB()
	path := filepath.Join(t.TempDir(), DBFile)
	if err := WriteSQLite(context.Background(), path, db, map[string]string{}); err != nil {
		t.Fatal(err)
	}
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return map[string]Store{"memory": db, "sqlite": s}
}

type apiAnswer struct {
	status int
	header http.Header
	body   []byte
}

func call(t testing.TB, srv *httptest.Server, method, path, body string) apiAnswer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return apiAnswer{resp.StatusCode, resp.Header, b}
}

func vulnIDs(t testing.TB, body []byte) ([]string, []*Record) {
	t.Helper()
	var out struct{ Vulns []*Record }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("answer %s: %v", body, err)
	}
	var ids []string
	for _, v := range out.Vulns {
		ids = append(ids, v.ID)
	}
	return ids, out.Vulns
}

func TestAPIQuery(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"range, any name spelling", `{"package": {"name": "evil.PKG", "ecosystem": "PyPI"}, "version": "1.0"}`, []string{"MAL-1", "SAFEGUARD-LIST-list-evil-pkg"}},
		{"no version", `{"package": {"name": "fixedpkg", "ecosystem": "PyPI"}}`, []string{"MAL-2"}},
		{"inside range", `{"package": {"name": "fixedpkg", "ecosystem": "PyPI"}, "version": "1.6.9"}`, []string{"MAL-2"}},
		{"fixed version", `{"package": {"name": "fixedpkg", "ecosystem": "PyPI"}, "version": "1.7"}`, nil},
		{"purl with version", `{"package": {"purl": "pkg:pypi/fixedpkg@1.3"}}`, []string{"MAL-2"}},
		{"purl, version beside it", `{"package": {"purl": "pkg:pypi/typo-squat"}, "version": "0.0.1"}`, []string{"SAFEGUARD-LIST-list-typo-squat", "SAFEGUARD-LIST-other-src_x_y-typo-squat"}},
		{"purl with qualifiers", `{"package": {"purl": "PKG:PyPI/Typo_Squat@0.0.1?extension=whl#sub"}}`, []string{"SAFEGUARD-LIST-list-typo-squat", "SAFEGUARD-LIST-other-src_x_y-typo-squat"}},
		{"listed version only in one list", `{"package": {"name": "typo.squat", "ecosystem": "PyPI"}, "version": "0.0.2"}`, []string{"SAFEGUARD-LIST-other-src_x_y-typo-squat"}},
		{"withdrawn record", `{"package": {"name": "fastapi", "ecosystem": "PyPI"}, "version": "0.1"}`, nil},
		{"other ecosystem", `{"package": {"name": "evil-pkg", "ecosystem": "npm"}, "version": "1.0"}`, nil},
		{"other purl type", `{"package": {"purl": "pkg:npm/%40scope/evil-pkg@1.0"}}`, nil},
		{"unknown package", `{"package": {"name": "requests", "ecosystem": "PyPI"}, "version": "2.31.0"}`, nil},
		{"not a package name", `{"package": {"name": "../../etc/passwd", "ecosystem": "PyPI"}}`, nil},
		{"page token ignored", `{"package": {"name": "fixedpkg", "ecosystem": "PyPI"}, "page_token": "x"}`, []string{"MAL-2"}},
	}
	for storeName, store := range apiStores(t) {
		srv := httptest.NewServer(NewAPI(store))
		defer srv.Close()
		for _, tt := range tests {
			t.Run(storeName+"/"+tt.name, func(t *testing.T) {
				a := call(t, srv, "POST", "/v1/query", tt.body)
				if a.status != 200 || a.header.Get("Content-Type") != "application/json" {
					t.Fatalf("status %d, Content-Type %q: %s", a.status, a.header.Get("Content-Type"), a.body)
				}
				if tt.want == nil && string(a.body) != "{}\n" {
					t.Errorf("no match answered %q, want {}", a.body)
				}
				got, vulns := vulnIDs(t, a.body)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				for _, v := range vulns {
					if strings.HasPrefix(v.ID, "MAL-") {
						want, _ := store.Record(context.Background(), v.ID)
						if diff := cmp.Diff(want, v); diff != "" {
							t.Errorf("%s is not the full record (-want +got):\n%s", v.ID, diff)
						}
					}
				}
			})
		}
	}
}

func TestAPIVuln(t *testing.T) {
	db := apiTestDB()
	mal6, _ := db.Record(context.Background(), "MAL-6")
	listed := &Record{
		ID: "SAFEGUARD-LIST-list-typo-squat", Summary: "listed as malicious by list",
		Details:          `"Typo.Squat" is named in the known-malicious list "list", which gives names and versions but no OSV record.`,
		Affected:         []Affected{{Package: Package{Ecosystem: "PyPI", Name: "Typo.Squat", Purl: "pkg:pypi/typo-squat"}, Versions: []string{"0.0.1"}}},
		DatabaseSpecific: json.RawMessage(`{"source":"list"}`),
	}
	every := &Record{
		ID: "SAFEGUARD-LIST-list-anyver", Summary: "listed as malicious by list",
		Details:          `"anyver" is named in the known-malicious list "list", which gives names and versions but no OSV record.`,
		Affected:         []Affected{{Package: Package{Ecosystem: "PyPI", Name: "anyver", Purl: "pkg:pypi/anyver"}, Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}}}}}},
		DatabaseSpecific: json.RawMessage(`{"source":"list"}`),
	}
	tests := []struct {
		id     string
		status int
		want   *Record // nil: an error body
	}{
		{"MAL-6", 200, mal6}, // withdrawn: served by id, with its withdrawn field
		{"SAFEGUARD-LIST-list-typo-squat", 200, listed},
		{"SAFEGUARD-LIST-list-anyver", 200, every},
		{"SAFEGUARD-LIST-other-src_x_y-typo-squat", 200, nil},
		{"SAFEGUARD-LIST-list-Typo.Squat", 404, nil}, // ids are exact
		{"SAFEGUARD-LIST-nosuch-typo-squat", 404, nil},
		{"SAFEGUARD-LIST-list-nosuch", 404, nil},
		{"SAFEGUARD-LIST-", 404, nil},
		{"MAL-999", 404, nil},
		{"mal-6", 404, nil},
		{strings.Repeat("A", 10000), 404, nil},
	}
	for storeName, store := range apiStores(t) {
		srv := httptest.NewServer(NewAPI(store))
		defer srv.Close()
		for _, tt := range tests {
			t.Run(storeName+"/"+tt.id[:min(len(tt.id), 40)], func(t *testing.T) {
				a := call(t, srv, "GET", "/v1/vulns/"+url.PathEscape(tt.id), "")
				if a.status != tt.status {
					t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
				}
				if tt.status != 200 {
					checkError(t, a)
					return
				}
				var got Record
				if err := json.Unmarshal(a.body, &got); err != nil {
					t.Fatal(err)
				}
				if got.ID != tt.id {
					t.Errorf("id %q, want %q", got.ID, tt.id)
				}
				if tt.want != nil {
					if diff := cmp.Diff(tt.want, &got); diff != "" {
						t.Errorf("record (-want +got):\n%s", diff)
					}
				}
			})
		}
	}
}

func TestAPIQueryBatch(t *testing.T) {
	srv := httptest.NewServer(NewAPI(apiTestDB()))
	defer srv.Close()
	a := call(t, srv, "POST", "/v1/querybatch", `{"queries": [
		{"package": {"name": "fixedpkg", "ecosystem": "PyPI"}, "version": "1.2"},
		{"package": {"name": "requests", "ecosystem": "PyPI"}, "version": "2.31.0"},
		{"package": {"purl": "pkg:pypi/anyver@9"}},
		{"package": {"name": "fastapi", "ecosystem": "PyPI"}}]}`)
	want := `{"results":[{"vulns":[{"id":"MAL-2","modified":"2024-02-01T00:00:00Z"}]},{},` +
		`{"vulns":[{"id":"SAFEGUARD-LIST-list-anyver","modified":"0001-01-01T00:00:00Z"}]},{}]}` + "\n"
	if a.status != 200 || string(a.body) != want {
		t.Errorf("status %d, answer\n%s\nwant\n%s", a.status, a.body, want)
	}
	if a := call(t, srv, "POST", "/v1/querybatch", `{"queries": []}`); string(a.body) != `{"results":[]}`+"\n" {
		t.Errorf("empty batch answered %s", a.body)
	}
}

// checkError checks an error answer: JSON, osv.dev's shape, the gRPC code
// that goes with the status.
func checkError(t testing.TB, a apiAnswer) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var e struct {
		Code    *int
		Message string
	}
	if err := json.Unmarshal(a.body, &e); err != nil || e.Code == nil || e.Message == "" {
		t.Fatalf("error body %q is not {code, message}: %v", a.body, err)
	}
	if want := grpcCodes[a.status]; *e.Code != want {
		t.Errorf("code %d for status %d, want %d", *e.Code, a.status, want)
	}
}

func batchOf(n int, q string) string {
	return `{"queries": [` + strings.TrimSuffix(strings.Repeat(q+",", n), ",") + `]}`
}

func TestAPIErrors(t *testing.T) {
	q := `{"package": {"name": "x", "ecosystem": "PyPI"}}`
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"GET query", "GET", "/v1/query", "", 405},
		{"PUT querybatch", "PUT", "/v1/querybatch", batchOf(1, q), 405},
		{"POST vulns", "POST", "/v1/vulns/MAL-1", "{}", 405},
		{"DELETE vulns", "DELETE", "/v1/vulns/MAL-1", "", 405},
		{"unknown id", "GET", "/v1/vulns/MAL-999", "", 404},
		{"no id", "GET", "/v1/vulns/", "", 404},
		{"unknown endpoint", "GET", "/v2/query", "", 404},
		{"not JSON", "POST", "/v1/query", "package=x", 400},
		{"empty body", "POST", "/v1/query", "", 400},
		{"two values", "POST", "/v1/query", q + q, 400},
		{"truncated", "POST", "/v1/query", q[:20], 400},
		{"wrong type", "POST", "/v1/query", `{"package": "x"}`, 400},
		{"array", "POST", "/v1/query", `[]`, 400},
		{"no package", "POST", "/v1/query", `{"version": "1.0"}`, 400},
		{"commit", "POST", "/v1/query", `{"commit": "6879efc2c1596d11a6a6ad296f80063b558d5e0f"}`, 400},
		{"name without ecosystem", "POST", "/v1/query", `{"package": {"name": "x"}}`, 400},
		{"purl and name", "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/x", "name": "x"}}`, 400},
		{"not a purl", "POST", "/v1/query", `{"package": {"purl": "pypi/x"}}`, 400},
		{"purl without name", "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/"}}`, 400},
		{"pypi purl with namespace", "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/a/b@1"}}`, 400},
		{"bad escape in purl", "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/x%zz@1"}}`, 400},
		{"two versions", "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/x@1"}, "version": "2"}`, 400},
		{"query too large", "POST", "/v1/query", `{"version": "` + strings.Repeat("1", MaxQueryBytes) + `"}`, 413},
		{"batch not a list", "POST", "/v1/querybatch", `{"queries": {}}`, 400},
		{"batch bad query", "POST", "/v1/querybatch", `{"queries": [` + q + `, {"commit": "abc"}]}`, 400},
		{"batch null query", "POST", "/v1/querybatch", `{"queries": [null]}`, 400},
		{"batch of 1001", "POST", "/v1/querybatch", batchOf(MaxBatchQueries+1, q), 400},
		{"batch too large", "POST", "/v1/querybatch", `{"queries": [], "x": "` + strings.Repeat("a", MaxBatchBytes) + `"}`, 413},
	}
	srv := httptest.NewServer(NewAPI(apiTestDB()))
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, tt.method, tt.path, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			checkError(t, a)
			if tt.status == 405 && a.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	// The largest batch allowed is answered.
	if a := call(t, srv, "POST", "/v1/querybatch", batchOf(MaxBatchQueries, q)); a.status != 200 {
		t.Errorf("batch of %d: status %d: %.200s", MaxBatchQueries, a.status, a.body)
	}
}

// snapshotBatch returns a querybatch body of 1,000 queries against the
// embedded snapshot, alternating listed names (at a listed version) and
// clean ones, with the ids each query must answer.
func snapshotBatch(t testing.TB) (string, [][]string) {
	data, err := os.ReadFile("../../data/known-malicious/pypi_malregistry.json")
	if err != nil {
		t.Fatal(err)
	}
	list, err := ParseList(data)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n, vs := range list {
		if len(vs) > 0 && n != "123bla" && n != "3web-py" { // those two also have OSV records
			names = append(names, n)
		}
	}
	sort.Strings(names)
	type query struct {
		Package struct {
			Name      string `json:"name,omitempty"`
			Ecosystem string `json:"ecosystem,omitempty"`
			Purl      string `json:"purl,omitempty"`
		} `json:"package"`
		Version string `json:"version,omitempty"`
	}
	var qs []query
	var want [][]string
	for i := 0; len(qs) < MaxBatchQueries; i++ {
		var q query
		q.Package.Ecosystem = "PyPI"
		switch {
		case i == 500:
			q.Package.Ecosystem, q.Package.Purl = "", "pkg:pypi/123bla@0.0.1"
			want = append(want, []string{"MAL-2024-10238", "SAFEGUARD-LIST-pypi_malregistry-123bla"})
		case i == 501:
			q.Package.Name, q.Version = "requests", "2.31.0"
			want = append(want, nil)
		case i%2 == 0:
			n := names[(i*7)%len(names)]
			q.Package.Name, q.Version = n, list[n][len(list[n])-1]
			want = append(want, []string{"SAFEGUARD-LIST-pypi_malregistry-" + strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(n))})
		default:
			q.Package.Name, q.Version = fmt.Sprintf("safeguard-clean-%04d", i), "1.0"
			want = append(want, nil)
		}
		qs = append(qs, q)
	}
	b, err := json.Marshal(map[string]any{"queries": qs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b), want
}

func TestAPISnapshot(t *testing.T) {
	db, err := Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewAPI(db))
	defer srv.Close()

	t.Run("querybatch of 1000 in order", func(t *testing.T) {
		body, want := snapshotBatch(t)
		a := call(t, srv, "POST", "/v1/querybatch", body)
		if a.status != 200 {
			t.Fatalf("status %d: %.300s", a.status, a.body)
		}
		var out struct {
			Results []struct{ Vulns []batchVuln }
		}
		if err := json.Unmarshal(a.body, &out); err != nil {
			t.Fatal(err)
		}
		var got [][]string
		for _, r := range out.Results {
			var ids []string
			for _, v := range r.Vulns {
				ids = append(ids, v.ID)
			}
			got = append(got, ids)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
		mal, _ := db.Record(context.Background(), "MAL-2024-10238")
		if m := out.Results[500].Vulns[0].Modified; !m.Equal(mal.Modified) {
			t.Errorf("modified %v, want %v", m, mal.Modified)
		}
		// Every id a batch answers can be fetched.
		for _, i := range []int{0, 2, 500, 998} {
			for _, v := range out.Results[i].Vulns {
				if a := call(t, srv, "GET", "/v1/vulns/"+v.ID, ""); a.status != 200 {
					t.Errorf("GET %s: %d %s", v.ID, a.status, a.body)
				}
			}
		}
	})

	t.Run("purl", func(t *testing.T) {
		a := call(t, srv, "POST", "/v1/query", `{"package": {"purl": "pkg:pypi/123bla@0.0.1"}}`)
		ids, vulns := vulnIDs(t, a.body)
		if diff := cmp.Diff([]string{"MAL-2024-10238", "SAFEGUARD-LIST-pypi_malregistry-123bla"}, ids); diff != "" {
			t.Fatalf("ids (-want +got):\n%s", diff)
		}
		want, _ := db.Record(context.Background(), "MAL-2024-10238")
		if diff := cmp.Diff(want, vulns[0]); diff != "" {
			t.Errorf("record (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"0.0.1"}, vulns[1].Affected[0].Versions); diff != "" {
			t.Errorf("listed versions (-want +got):\n%s", diff)
		}
	})

	t.Run("no version", func(t *testing.T) {
		a := call(t, srv, "POST", "/v1/query", `{"package": {"name": "3WEB_py", "ecosystem": "PyPI"}}`)
		ids, _ := vulnIDs(t, a.body)
		if len(ids) == 0 || ids[0] != "MAL-2024-9934" {
			t.Errorf("ids %v, want MAL-2024-9934 first", ids)
		}
	})

	t.Run("withdrawn", func(t *testing.T) {
		a := call(t, srv, "POST", "/v1/query", `{"package": {"name": "fastapi", "ecosystem": "PyPI"}, "version": "0.136.3"}`)
		if string(a.body) != "{}\n" {
			t.Errorf("withdrawn record matched: %s", a.body)
		}
		a = call(t, srv, "GET", "/v1/vulns/MAL-2026-4750", "")
		var r Record
		if err := json.Unmarshal(a.body, &r); err != nil || a.status != 200 || !r.IsWithdrawn() {
			t.Errorf("GET withdrawn record: %d %v withdrawn=%v", a.status, err, r.Withdrawn)
		}
	})
}

// FuzzAPI posts arbitrary bodies to the query endpoints and asks for
// arbitrary ids: every answer is JSON, and none is a server error.
func FuzzAPI(f *testing.F) {
	for _, s := range []string{
		`{"package": {"name": "evil-pkg", "ecosystem": "PyPI"}, "version": "1.0"}`,
		`{"package": {"purl": "pkg:pypi/typo-squat@0.0.1?a=b#c"}}`,
		`{"queries": [{"package": {"purl": "pkg:pypi/anyver"}}, {"package": {"name": "fixedpkg", "ecosystem": "PyPI"}, "version": "1.7rc1"}]}`,
		`{"commit": "abc"}`, `{"package": {"purl": "pkg:/@"}}`, `{"package": {"purl": "pkg:pypi/%"}}`,
		`SAFEGUARD-LIST-other-src_x_y-typo-squat`, `SAFEGUARD-LIST-list-`, "",
	} {
		for sel := range byte(3) {
			f.Add(sel, []byte(s))
		}
	}
	h := NewAPI(apiTestDB())
	f.Fuzz(func(t *testing.T, sel byte, body []byte) {
		var req *http.Request
		switch sel % 3 {
		case 0:
			req = httptest.NewRequest("POST", "/v1/query", bytes.NewReader(body))
		case 1:
			req = httptest.NewRequest("POST", "/v1/querybatch", bytes.NewReader(body))
		default:
			req = httptest.NewRequest("GET", "/v1/vulns/"+url.PathEscape(string(body)), nil)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if w.Code < 300 && (!json.Valid(w.Body.Bytes()) || w.Header().Get("Content-Type") != "application/json") {
			t.Fatalf("answer to %q is not JSON: %q", body, w.Body)
		}
		if w.Code >= 400 {
			checkError(t, apiAnswer{w.Code, w.Header(), w.Body.Bytes()})
		}
	})
}

// BenchmarkQueryBatch1000 measures a querybatch of 1,000 packages against
// the embedded snapshot, over HTTP on the loopback.
func BenchmarkQueryBatch1000(b *testing.B) {
	db, err := Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(NewAPI(db))
	defer srv.Close()
	body, _ := snapshotBatch(b)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		resp, err := srv.Client().Post(srv.URL+"/v1/querybatch", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
