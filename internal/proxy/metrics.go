package proxy

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are the counters /-/metrics exposes in Prometheus text format.
type metrics struct {
	mu        sync.Mutex
	requests  map[string]int64 // "route status"
	decisions map[string]int64 // "action rule"

	scans        atomic.Int64
	scanMillis   atomic.Int64
	cacheHits    atomic.Int64
	cacheMisses  atomic.Int64
	bytesServed  atomic.Int64
	upstreamErrs atomic.Int64
	hashMismatch atomic.Int64
	started      time.Time
}

func newMetrics() *metrics {
	return &metrics{requests: map[string]int64{}, decisions: map[string]int64{}, started: time.Now()}
}

func (m *metrics) request(route string, status int) {
	m.mu.Lock()
	m.requests[fmt.Sprintf("%s\x00%d", route, status)]++
	m.mu.Unlock()
}

func (m *metrics) decision(action, rule string) {
	m.mu.Lock()
	m.decisions[action+"\x00"+rule]++
	m.mu.Unlock()
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP safeguard_proxy_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE safeguard_proxy_requests_total counter")
	for _, k := range slices.Sorted(maps.Keys(m.requests)) {
		route, code, _ := strings.Cut(k, "\x00")
		fmt.Fprintf(w, "safeguard_proxy_requests_total{route=%q,status=%q} %d\n", route, code, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP safeguard_proxy_decisions_total Files allowed or blocked, by rule.")
	fmt.Fprintln(w, "# TYPE safeguard_proxy_decisions_total counter")
	for _, k := range slices.Sorted(maps.Keys(m.decisions)) {
		action, rule, _ := strings.Cut(k, "\x00")
		fmt.Fprintf(w, "safeguard_proxy_decisions_total{action=%q,rule=%q} %d\n", action, rule, m.decisions[k])
	}
	counter := func(name, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("safeguard_proxy_scans_total", "Artifacts scanned.", m.scans.Load())
	fmt.Fprintf(w, "# HELP safeguard_proxy_scan_seconds_total Time spent scanning.\n# TYPE safeguard_proxy_scan_seconds_total counter\nsafeguard_proxy_scan_seconds_total %.3f\n", float64(m.scanMillis.Load())/1000)
	counter("safeguard_proxy_cache_hits_total", "File requests served from the cache.", m.cacheHits.Load())
	counter("safeguard_proxy_cache_misses_total", "File requests that fetched from upstream.", m.cacheMisses.Load())
	counter("safeguard_proxy_bytes_served_total", "File bytes sent to clients.", m.bytesServed.Load())
	counter("safeguard_proxy_upstream_errors_total", "Failed upstream requests.", m.upstreamErrs.Load())
	counter("safeguard_proxy_hash_mismatches_total", "Downloads refused because their bytes did not match the index's hash.", m.hashMismatch.Load())
	fmt.Fprintf(w, "# HELP safeguard_proxy_uptime_seconds Seconds since start.\n# TYPE safeguard_proxy_uptime_seconds gauge\nsafeguard_proxy_uptime_seconds %.0f\n", time.Since(m.started).Seconds())
}

// WriteMetrics writes the index's metrics in Prometheus text format, for
// a server that hosts it beside other parts.
func (s *Server) WriteMetrics(w io.Writer) { s.metrics.write(w) }
