package proxy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// loadClients is how many clients drive the server at once.
const loadClients = 64

// drive sends requests for urls (round robin) from loadClients clients
// over loopback for the benchmark's b.N requests, and reports requests
// per second and the median and 99th-percentile latency.
func drive(b *testing.B, urls []string) {
	b.Helper()
	tr := &http.Transport{MaxIdleConns: loadClients, MaxIdleConnsPerHost: loadClients}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	// Warm up: caches filled, connections open.
	for _, u := range urls {
		get(b, client, u)
	}
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var next int64
	var nextMu sync.Mutex
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, b.N/loadClients+1)
			for {
				nextMu.Lock()
				i := next
				next++
				nextMu.Unlock()
				if i >= int64(b.N) {
					break
				}
				t0 := time.Now()
				get(b, client, urls[int(i)%len(urls)])
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func get(b *testing.B, c *http.Client, u string) {
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("%s: HTTP %d", u, resp.StatusCode)
	}
}

// loadFixture is a project with 20 versions of a 200 KB wheel, behind the
// proxy, and the same wheels and a page in a plain static tree.
func loadFixture(b *testing.B) (proxyURL, staticURL string, files []string) {
	b.Helper()
	t := b
	up := newFakeIndex()
	static := b.TempDir()
	os.MkdirAll(filepath.Join(static, "packages"), 0o755)
	os.MkdirAll(filepath.Join(static, "simple", "loadpkg"), 0o755)
	page := "<html><body>\n"
	blob := make([]byte, 200<<10)
	for i := range 20 {
		blob[0] = byte(i)
		name := fmt.Sprintf("loadpkg-1.%d-py3-none-any.whl", i)
		data := wheel(t, "loadpkg", fmt.Sprintf("1.%d", i), map[string]string{"loadpkg/__init__.py": "", "loadpkg/data.bin": string(blob)})
		up.add("loadpkg", upFile{name: name, data: data, uploaded: time.Now().Add(-30 * 24 * time.Hour)})
		os.WriteFile(filepath.Join(static, "packages", name), data, 0o644)
		h := sha256.Sum256(data)
		page += fmt.Sprintf("<a href=\"../../packages/%s#sha256=%s\">%s</a>\n", name, hex.EncodeToString(h[:]), name)
		files = append(files, name)
	}
	os.WriteFile(filepath.Join(static, "simple", "loadpkg", "index.html"), []byte(page+"</body></html>\n"), 0o644)
	p := DefaultPolicy()
	p.Prescan.Versions = 100
	_, srv := testProxy(b, up, p)
	st := httptest.NewServer(http.FileServer(http.Dir(static)))
	b.Cleanup(st.Close)
	return srv.URL, st.URL, files
}

func BenchmarkLoad(b *testing.B) {
	proxyURL, staticURL, files := loadFixture(b)
	b.Run("page/proxy", func(b *testing.B) { drive(b, []string{proxyURL + "/simple/loadpkg/"}) })
	b.Run("page/static", func(b *testing.B) { drive(b, []string{staticURL + "/simple/loadpkg/"}) })
	var pf, sf []string
	resp, err := http.Get(proxyURL + "/simple/loadpkg/")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, f := range files {
		pf = append(pf, proxyURL+fileURLIn(b, string(body), f))
		sf = append(sf, staticURL+"/packages/"+f)
	}
	b.Run("file/proxy", func(b *testing.B) { drive(b, pf) })
	b.Run("file/static", func(b *testing.B) { drive(b, sf) })
}

// fileURLIn finds the proxy's URL for filename in an HTML page.
func fileURLIn(b *testing.B, page, filename string) string {
	for _, line := range strings.Split(page, "\n") {
		if strings.Contains(line, ">"+filename+"<") {
			start := strings.Index(line, `href="`) + len(`href="`)
			end := strings.IndexAny(line[start:], `#"`)
			return line[start : start+end]
		}
	}
	b.Fatalf("%s not on the page", filename)
	return ""
}
