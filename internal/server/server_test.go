package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

type fixture struct {
	srv         *httptest.Server
	st          *store.Store
	admin, read string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "safeguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := knownbad.NewDB()
	db.AddList(map[string][]string{"evil-pkg": {"6.6.6"}}, "test-list")
	f := &fixture{st: st}
	f.admin, _ = st.CreateToken(ctx, "admin", store.RoleAdmin)
	f.read, _ = st.CreateToken(ctx, "dashboard", store.RoleRead)
	f.srv = httptest.NewServer(New(Options{Store: st, Known: db, MaxBody: 64 << 10,
		Metrics: []func(io.Writer){func(w io.Writer) { fmt.Fprintln(w, "safeguard_test_metric 1") }}}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) do(t *testing.T, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

var registration = Registration{
	Name:   "shop",
	Files:  map[string]string{"requirements.txt": "evil-pkg==6.6.6\nrequests>=2\n"},
	Notify: []string{"webhook:https://hooks.example.test/safeguard/tok123"},
}

// Every API call needs a token; changing state needs an admin one.
func TestAuth(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		method, path, token string
		body                any
		want                int
	}{
		{"GET", "/api/v1/projects", "", nil, http.StatusUnauthorized},
		{"GET", "/api/v1/projects", "sgt_forged", nil, http.StatusUnauthorized},
		{"GET", "/api/v1/projects", f.read, nil, http.StatusOK},
		{"POST", "/api/v1/projects", f.read, registration, http.StatusForbidden},
		{"DELETE", "/api/v1/projects/shop", f.read, nil, http.StatusForbidden},
		{"POST", "/api/v1/projects", f.admin, registration, http.StatusCreated},
		{"GET", "/api/v1/alerts", "", nil, http.StatusUnauthorized},
		{"GET", "/-/health", "", nil, http.StatusOK},
	} {
		resp, body := f.do(t, c.method, c.path, c.token, c.body)
		if resp.StatusCode != c.want {
			t.Errorf("%s %s with %q: %d %s, want %d", c.method, c.path, c.token, resp.StatusCode, body, c.want)
		}
	}
}

// A registration records the dependencies, raises at once what is known
// (a known-malicious pin), hands out a webhook secret once, and never
// shows the target's secrets again.
func TestRegisterAndRead(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(t, "POST", "/api/v1/projects", f.admin, registration)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	var reg Registered
	json.Unmarshal(body, &reg)
	if len(reg.Dependencies) != 2 || len(reg.Alerts) != 1 || reg.Alerts[0].Kind != "known-malicious" || !strings.HasPrefix(reg.WebhookSecret, "whsec_") {
		t.Errorf("registration answer: %s", body)
	}
	if strings.Contains(string(body), "tok123") {
		t.Errorf("the webhook URL's token is shown: %s", body)
	}
	_, body = f.do(t, "GET", "/api/v1/projects/shop", f.read, nil)
	var view ProjectView
	json.Unmarshal(body, &view)
	if view.Project.Name != "shop" || len(view.Alerts) != 1 || strings.Contains(string(body), "tok123") || strings.Contains(string(body), reg.WebhookSecret) {
		t.Errorf("project view: %s", body)
	}
	resp, body = f.do(t, "GET", "/api/v1/alerts/"+reg.Alerts[0].ID, f.read, nil)
	var av AlertView
	json.Unmarshal(body, &av)
	if resp.StatusCode != http.StatusOK || len(av.Deliveries) != 1 || av.Deliveries[0].State != store.DeliveryPending {
		t.Errorf("alert view: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(t, "DELETE", "/api/v1/projects/shop", f.admin, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/projects/shop", f.read, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("after delete: %d", resp.StatusCode)
	}
}

// Bad registrations are refused with a reason, and nothing is written.
func TestRegisterRefusals(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]struct {
		body any
		want int
	}{
		"not json":         {[]byte("{"), http.StatusBadRequest},
		"too large":        {Registration{Name: "big", Files: map[string]string{"requirements.txt": strings.Repeat("a==1\n", 20000)}}, http.StatusRequestEntityTooLarge},
		"path in name":     {Registration{Name: "p", Files: map[string]string{"../requirements.txt": "a==1\n"}}, http.StatusBadRequest},
		"no files":         {Registration{Name: "p"}, http.StatusBadRequest},
		"bad target":       {Registration{Name: "p", Files: map[string]string{"requirements.txt": "a==1\n"}, Notify: []string{"file:///etc/passwd"}}, http.StatusBadRequest},
		"bad secret":       {Registration{Name: "p", Files: map[string]string{"requirements.txt": "a==1\n"}, WebhookSecret: "hunter2"}, http.StatusBadRequest},
		"slash in project": {Registration{Name: "a/b", Files: map[string]string{"requirements.txt": "a==1\n"}}, http.StatusBadRequest},
	} {
		resp, body := f.do(t, "POST", "/api/v1/projects", f.admin, c.body)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d %s, want %d", name, resp.StatusCode, body, c.want)
		}
	}
	if ps, _ := f.st.Projects(context.Background()); len(ps) != 0 {
		t.Errorf("refused registrations wrote %d projects", len(ps))
	}
}

func TestMetricsAndUnknown(t *testing.T) {
	f := newFixture(t)
	if _, body := f.do(t, "GET", "/-/metrics", "", nil); !strings.Contains(string(body), "safeguard_test_metric 1") {
		t.Errorf("metrics: %s", body)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/nothing", f.read, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown endpoint: %d", resp.StatusCode)
	}
}
