// Package storetest gives tests outside the store a PostgreSQL database
// of their own: a fresh schema on the test server, dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
)

// ServerDSN is the test server: $SAFEGUARD_TEST_POSTGRES, or the local
// one.
func ServerDSN() string {
	if dsn := os.Getenv("SAFEGUARD_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Postgres returns the DSN of a new, empty schema on the test server,
// dropped when the test ends. Without a server the test is skipped,
// unless $SAFEGUARD_REQUIRE_POSTGRES is set (CI sets it), when it fails.
func Postgres(t testing.TB) string {
	t.Helper()
	base := ServerDSN()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("SAFEGUARD_REQUIRE_POSTGRES") != "" {
			t.Fatalf("PostgreSQL required but not reachable: %v", err)
		}
		t.Skipf("no PostgreSQL (%v): set SAFEGUARD_TEST_POSTGRES to a server to run this test", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "sgtest_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
