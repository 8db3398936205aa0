package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDBServe runs `safeguard db serve` on a free port, asks it what an
// OSV client would, and stops it the way an interrupt does.
func TestDBServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"db", "serve", "--listen", "127.0.0.1:0", "--data-dir", t.TempDir()}, io.Discard, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no log line: %v (exit: %v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`from the embedded snapshot on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("log line %q does not say where it serves", line)
	}
	base := m[1]

	resp, err := http.Post(base+"/v1/query", "application/json", strings.NewReader(`{"package": {"name": "123bla", "ecosystem": "PyPI"}, "version": "0.0.1"}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Vulns []struct{ ID string } }
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(out.Vulns) == 0 || out.Vulns[0].ID != "MAL-2024-10238" {
		t.Errorf("query 123bla==0.0.1: status %d, %+v, %v; want MAL-2024-10238 first", resp.StatusCode, out, err)
	}
	resp, err = http.Get(base + "/v1/vulns/NO-SUCH-ID")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("unknown id: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after interrupt: %v, want a clean stop", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if _, err := http.Get(base + "/v1/vulns/MAL-2024-10238"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestDBServeBadAddress(t *testing.T) {
	err := Run(context.Background(), []string{"db", "serve", "--listen", "127.0.0.1:-1", "--data-dir", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Errorf("bad address: %v, want an error naming --listen", err)
	}
}
