package proxy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/knownbad"
	"github.com/safeguard-dev/safeguard/internal/store"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("SAFEGUARD_PROXY_HELPER"); dir != "" {
		runHelper(dir, os.Getenv("SAFEGUARD_PROXY_UPSTREAM"), os.Getenv("SAFEGUARD_PROXY_SCAN_HANG") != "")
		return
	}
	os.Exit(m.Run())
}

// runHelper is the proxy process the crash test kills: a proxy over dir,
// its address written to dir/addr. With hang, a scan announces itself
// (dir/scanning) and then never finishes.
func runHelper(dir, upstream string, hang bool) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	u, err := NewUpstream(upstream, 10*time.Second)
	if err != nil {
		fail(err)
	}
	cache, err := OpenCache(filepath.Join(dir, "cache"))
	if err != nil {
		fail(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "store.db"))
	if err != nil {
		fail(err)
	}
	known, err := knownbad.Snapshot()
	if err != nil {
		fail(err)
	}
	p := DefaultPolicy()
	p.Prescan.Versions = 0 // scan on download only, so the test knows when
	opt := Options{Upstream: u, Cache: cache, Store: st, Known: known, Policy: p, Engine: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if hang {
		opt.beforeScan = func(string) {
			os.WriteFile(filepath.Join(dir, "scanning"), nil, 0o644)
			select {}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	os.WriteFile(filepath.Join(dir, "addr.tmp"), []byte(ln.Addr().String()), 0o644)
	os.Rename(filepath.Join(dir, "addr.tmp"), filepath.Join(dir, "addr"))
	Serve(context.Background(), ln, New(opt), time.Second)
}

// startHelper runs the proxy in a child process and returns it and its
// base URL.
func startHelper(t *testing.T, dir, upstream string, hang bool) (*exec.Cmd, string) {
	t.Helper()
	os.Remove(filepath.Join(dir, "addr"))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SAFEGUARD_PROXY_HELPER="+dir, "SAFEGUARD_PROXY_UPSTREAM="+upstream)
	if hang {
		cmd.Env = append(cmd.Env, "SAFEGUARD_PROXY_SCAN_HANG=1")
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := waitFile(t, filepath.Join(dir, "addr"))
	return cmd, "http://" + string(addr)
}

func waitFile(t *testing.T, p string) []byte {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", p)
	return nil
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// A proxy killed with SIGKILL in the middle of a download, and in the
// middle of a scan, restarts with a consistent cache and store: the
// partial download is gone and never served, no verdict is half there,
// and the file is fetched, verified and scanned again, so a malicious one
// is still refused.
func TestKilledProxyRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	// A clean wheel made large with incompressible data, served slowly
	// until the test lets it finish; and a malicious wheel.
	noise := make([]byte, 4<<20)
	rand.New(rand.NewSource(1)).Read(noise)
	big := wheel(t, "bigpkg", "1.0", map[string]string{"bigpkg/__init__.py": "", "bigpkg/blob.bin": string(noise)})
	bad := wheel(t, "startup-hook", "1.0", map[string]string{"startup_hook/__init__.py": "", "startup_hook.pth": hookPth})
	up := newFakeIndex()
	old := time.Now().Add(-30 * 24 * time.Hour)
	up.add("bigpkg", upFile{name: "bigpkg-1.0-py3-none-any.whl", data: big, uploaded: old})
	up.add("startup-hook", upFile{name: "startup_hook-1.0-py3-none-any.whl", data: bad, uploaded: old})
	var mu sync.Mutex
	stall := true
	halfSent := make(chan struct{}, 1)
	upSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		slow := stall && strings.HasSuffix(r.URL.Path, "bigpkg-1.0-py3-none-any.whl")
		mu.Unlock()
		if !slow {
			up.ServeHTTP(w, r)
			return
		}
		w.Write(big[:len(big)/2])
		w.(http.Flusher).Flush()
		select {
		case halfSent <- struct{}{}:
		default:
		}
		<-r.Context().Done() // never finishes: the proxy dies first
	}))
	defer upSrv.Close()
	dir := t.TempDir()
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	bigURL := "/files/bigpkg/" + sum(big) + "/bigpkg-1.0-py3-none-any.whl"
	badURL := "/files/startup-hook/" + sum(bad) + "/startup_hook-1.0-py3-none-any.whl"

	// 1. Killed mid-download.
	cmd, base := startHelper(t, dir, upSrv.URL+"/simple/", false)
	go http.Get(base + bigURL)
	select {
	case <-halfSent:
	case <-time.After(30 * time.Second):
		t.Fatal("the download never started")
	}
	waitPartial(t, filepath.Join(dir, "cache", "tmp"))
	kill(t, cmd)
	if _, err := os.Stat(filepath.Join(dir, "cache", "sha256", sum(big)[:2], sum(big))); err == nil {
		t.Fatal("a partial download is in the cache under its hash")
	}

	// 2. Killed mid-scan (the malicious file is cached, not yet judged).
	cmd, base = startHelper(t, dir, upSrv.URL+"/simple/", true)
	if left, _ := os.ReadDir(filepath.Join(dir, "cache", "tmp")); len(left) != 0 {
		t.Fatalf("restart left %d partial downloads", len(left))
	}
	go http.Get(base + badURL)
	waitFile(t, filepath.Join(dir, "scanning"))
	kill(t, cmd)

	// 3. Restart: everything is fetched, verified and scanned again.
	mu.Lock()
	stall = false
	mu.Unlock()
	_, base = startHelper(t, dir, upSrv.URL+"/simple/", false)
	resp, err := http.Get(base + bigURL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || sum(got) != sum(big) {
		t.Fatalf("after restart: HTTP %d, %d bytes, hash ok %v", resp.StatusCode, len(got), sum(got) == sum(big))
	}
	resp, err = http.Get(base + badURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "rule malicious") {
		t.Fatalf("the malicious file, cached before the crash: HTTP %d: %s", resp.StatusCode, body)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range []string{sum(big), sum(bad)} {
		if v, err := st.Verdict(context.Background(), s); err != nil || v.Filename == "" {
			t.Errorf("verdict for %s: %+v, %v", s[:12], v, err)
		}
	}
}

// waitPartial waits for a temporary download file with some bytes in it.
func waitPartial(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if es, _ := os.ReadDir(dir); len(es) > 0 {
			if info, err := es[0].Info(); err == nil && info.Size() > 0 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no partial download appeared")
}
