package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
	"github.com/safeguard-dev/safeguard/internal/web"
)

// schema is the part of a JSON Schema the check reads.
type schema struct {
	Ref        string             `json:"$ref"`
	Type       any                `json:"type"`
	Properties map[string]*schema `json:"properties"`
	Required   []string           `json:"required"`
	Items      *schema            `json:"items"`
	AllOf      []*schema          `json:"allOf"`
	Additional *schema            `json:"additionalProperties"`
}

type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		Parameters []struct{ Name, In string }
		Responses  map[string]struct {
			Ref     string `json:"$ref"`
			Content map[string]struct {
				Schema *schema `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

// resolve follows $ref and merges allOf into one object schema.
func (d *openAPIDoc) resolve(s *schema) *schema {
	for s != nil && s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	if s == nil || len(s.AllOf) == 0 {
		return s
	}
	out := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, part := range append(s.AllOf, &schema{Properties: s.Properties, Required: s.Required}) {
		p := d.resolve(part)
		for k, v := range p.Properties {
			out.Properties[k] = v
		}
		out.Required = append(out.Required, p.Required...)
	}
	return out
}

// check reports where v strays from s: a field the schema does not
// document, a required field missing, an array or object of another type.
func (d *openAPIDoc) check(at string, s *schema, v any) []string {
	s = d.resolve(s)
	if s == nil {
		return nil
	}
	var out []string
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an object", at, v)}
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				out = append(out, fmt.Sprintf("%s: required field %q missing", at, r))
			}
		}
		for k, fv := range obj {
			if ps, ok := s.Properties[k]; ok {
				out = append(out, d.check(at+"."+k, ps, fv)...)
			} else if s.Additional != nil {
				out = append(out, d.check(at+"."+k, s.Additional, fv)...)
			} else if s.Properties != nil {
				out = append(out, fmt.Sprintf("%s: field %q is not documented", at, k))
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an array", at, v)}
		}
		for i, item := range arr {
			out = append(out, d.check(fmt.Sprintf("%s[%d]", at, i), s.Items, item)...)
		}
	}
	return out
}

// apiFixture is a server with the dashboard, over a store holding one of
// everything the API lists.
func apiFixture(t *testing.T) (*httptest.Server, string) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "safeguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	read, _ := st.CreateToken(ctx, "read", store.RoleRead)
	st.PutVerdict(ctx, store.Verdict{SHA256: fmt.Sprintf("%064x", 1), Filename: "evil_pkg-1.0.tar.gz", Project: "evil-pkg", Version: "1.0",
		Verdict: "malicious", Score: 90, Engine: "test", ScannedAt: time.Now(),
		Findings: json.RawMessage(`[{"rule":"exec-obfuscated","severity":"critical","confidence":"high","context":"install","file":"setup.py","line":3,"snippet":"exec(x)","message":"m","evidence":["e"]}]`)})
	st.AddDecision(ctx, store.Decision{Project: "evil-pkg", Filename: "evil_pkg-1.0.tar.gz", Action: "block", Rule: "verdict", Reason: "malicious", Client: "10.0.0.1"})
	err = st.InTx(ctx, func(tx *store.Tx) error {
		tx.SetCursor(ctx, "pypi", 7)
		if err := tx.PutProject(ctx, store.Project{Name: "webshop", Source: "requirements.txt", Options: store.ProjectOptions{Notify: []string{"webhook:https://x.test/"}, WebhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}},
			[]store.Dependency{{Name: "evil-pkg", Version: "1.0", Direct: true, Scope: "runtime", File: "requirements.txt", Line: 1}}); err != nil {
			return err
		}
		_, err := tx.AddAlert(ctx, store.Alert{ID: "al1", Project: "webshop", Dependency: "evil-pkg", Version: "1.0", Kind: "malicious", Body: json.RawMessage(`{"a":1}`)}, []string{"webhook#1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.ClaimDeliveries(ctx, 1, time.Minute)
	st.RecordAttempt(ctx, ds[0], store.Attempt{N: 1, At: time.Now(), Status: "500", Error: "boom", Duration: time.Millisecond}, store.DeliveryPending, time.Now().Add(time.Hour))
	st.Enqueue(ctx, store.Job{Kind: "scan", Payload: `{}`})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(New(Options{Store: st, Known: knownbad.NewDB(), Logger: log,
		Web: web.New(web.Options{Store: st, Redact: Redacted, Logger: log})}))
	t.Cleanup(srv.Close)
	return srv, read
}

// Every documented operation answers with a documented status, and every
// successful answer holds the documented fields and no others.
func TestOpenAPIMatchesResponses(t *testing.T) {
	srv, read := apiFixture(t)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi.json: version %q, %v", doc.OpenAPI, err)
	}
	resp.Body.Close()
	params := map[string]string{"{name}": "evil-pkg", "{id}": "al1"}
	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for method, op := range doc.Paths[path] {
			url := path
			for k, v := range params {
				if strings.HasPrefix(path, "/api/v1/projects/") && k == "{name}" {
					v = "webshop"
				}
				url = strings.ReplaceAll(url, k, v)
			}
			if method == "delete" {
				url = strings.ReplaceAll(path, "{name}", "not-watched")
			}
			var body io.Reader
			if method == "post" {
				body = strings.NewReader(`{"name": ""}`)
			}
			req, _ := http.NewRequest(strings.ToUpper(method), srv.URL+url, body)
			// A read token: the changes are refused, with a documented answer.
			req.Header.Set("Authorization", "Bearer "+read)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var got any
			json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			documented, ok := op.Responses[fmt.Sprint(resp.StatusCode)]
			if !ok {
				t.Errorf("%s %s: status %d is not documented", method, url, resp.StatusCode)
				continue
			}
			if method != "get" {
				continue
			}
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d, want 200", url, resp.StatusCode)
				continue
			}
			for _, problem := range doc.check(url, documented.Content["application/json"].Schema, got) {
				t.Error(problem)
			}
		}
	}
	// Every API route of the dashboard is documented.
	for _, rt := range web.New(web.Options{}).API() {
		p := strings.TrimPrefix(rt.Pattern, "GET ")
		if _, ok := doc.Paths[p]["get"]; !ok {
			t.Errorf("%s is served but not documented", rt.Pattern)
		}
	}
}

// The dashboard's API needs a token like the rest; its pages are at /.
func TestDashboardMounted(t *testing.T) {
	srv, read := apiFixture(t)
	for _, path := range []string{"/api/v1/feed", "/api/v1/overview", "/api/v1/packages/evil-pkg", "/api/v1/decisions", "/api/v1/rules"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s without a token: %s", path, resp.Status)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/feed?verdict=malicious", nil)
	req.Header.Set("Authorization", "Bearer "+read)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page store.FeedPage
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if len(page.Verdicts) != 1 || page.Verdicts[0].Project != "evil-pkg" {
		t.Errorf("feed of malicious files: %+v", page)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("/ without a session: %s, CSP %q; want a redirect to sign in, with the CSP", resp.Status, resp.Header.Get("Content-Security-Policy"))
	}
	resp, err = client.Get(srv.URL + "/api/v1/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("unknown API path: %s %s; want the API's JSON 404", resp.Status, resp.Header.Get("Content-Type"))
	}
}
