package monitor

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/safeguard-dev/safeguard/internal/store"
)

// Metrics count what the monitor's parts do in this process, for
// /-/metrics; the queue's depth and the cursor are read from the store.
type Metrics struct {
	mu         sync.Mutex
	scans      map[string]int64 // by verdict
	scanTime   time.Duration
	scanHist   [len(scanBuckets) + 1]int64 // scans by duration bucket; the last: over the largest
	deliveries map[[2]string]int64         // scheme, result
	rows       int64
	scanning   int64
	leading    bool
	lag        time.Duration
}

// scanBuckets are the upper bounds, in seconds, of the scan-duration
// histogram's buckets.
var scanBuckets = [...]float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300}

// NewMetrics returns empty counters.
func NewMetrics() *Metrics {
	return &Metrics{scans: map[string]int64{}, deliveries: map[[2]string]int64{}}
}

// Batch counts a journal batch (Follower.OnBatch).
func (m *Metrics) Batch(rows int, _ int64) {
	m.mu.Lock()
	m.rows += int64(rows)
	m.mu.Unlock()
}

// Scan counts a scan (Worker.OnScan).
func (m *Metrics) Scan(verdict string, took time.Duration) {
	m.mu.Lock()
	m.scans[verdict]++
	m.scanTime += took
	i := 0
	for i < len(scanBuckets) && took.Seconds() > scanBuckets[i] {
		i++
	}
	m.scanHist[i]++
	m.mu.Unlock()
}

// Leading records whether this process leads the follower role
// (Store.Lead's onLead).
func (m *Metrics) Leading(on bool) {
	m.mu.Lock()
	m.leading = on
	m.mu.Unlock()
}

// Lag records how far behind PyPI's journal the follower is
// (Follower.OnLag).
func (m *Metrics) Lag(behind time.Duration) {
	m.mu.Lock()
	m.lag = behind
	m.mu.Unlock()
}

// Scanning counts scans in progress (Worker.Scanning).
func (m *Metrics) Scanning(delta int) {
	m.mu.Lock()
	m.scanning += int64(delta)
	m.mu.Unlock()
}

// Attempt counts a delivery attempt (Sender.OnAttempt).
func (m *Metrics) Attempt(scheme string, ok bool) {
	result := "failed"
	if ok {
		result = "delivered"
	}
	m.mu.Lock()
	m.deliveries[[2]string{scheme, result}]++
	m.mu.Unlock()
}

// Write writes the metrics in Prometheus text format.
func (m *Metrics) Write(w io.Writer, st *store.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP safeguard_monitor_journal_rows_total PyPI journal rows read by this process.")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_journal_rows_total counter")
	fmt.Fprintf(w, "safeguard_monitor_journal_rows_total %d\n", m.rows)
	fmt.Fprintln(w, "# HELP safeguard_monitor_follower_leader 1 if this process follows PyPI's journal now (one process of those sharing a store does).")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_follower_leader gauge")
	fmt.Fprintf(w, "safeguard_monitor_follower_leader %d\n", boolInt(m.leading))
	if m.leading {
		fmt.Fprintln(w, "# HELP safeguard_monitor_follower_lag_seconds How far behind PyPI's journal the follower was at its last read (0: caught up).")
		fmt.Fprintln(w, "# TYPE safeguard_monitor_follower_lag_seconds gauge")
		fmt.Fprintf(w, "safeguard_monitor_follower_lag_seconds %.0f\n", m.lag.Seconds())
	}
	if serial, ok, err := st.Cursor(ctx, CursorName); err == nil && ok {
		fmt.Fprintln(w, "# HELP safeguard_monitor_serial The journal serial the follower has recorded.")
		fmt.Fprintln(w, "# TYPE safeguard_monitor_serial gauge")
		fmt.Fprintf(w, "safeguard_monitor_serial %d\n", serial)
	}
	fmt.Fprintln(w, "# HELP safeguard_monitor_scans_total Files scanned by this process, by verdict.")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_scans_total counter")
	for _, v := range slices.Sorted(maps.Keys(m.scans)) {
		fmt.Fprintf(w, "safeguard_monitor_scans_total{verdict=%q} %d\n", v, m.scans[v])
	}
	fmt.Fprintln(w, "# HELP safeguard_monitor_scans_in_progress Files being scanned by this process now.")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_scans_in_progress gauge")
	fmt.Fprintf(w, "safeguard_monitor_scans_in_progress %d\n", m.scanning)
	fmt.Fprintln(w, "# HELP safeguard_monitor_scan_seconds_total Time spent fetching and scanning.")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_scan_seconds_total counter")
	fmt.Fprintf(w, "safeguard_monitor_scan_seconds_total %.3f\n", m.scanTime.Seconds())
	fmt.Fprintln(w, "# HELP safeguard_monitor_scan_seconds How long this process's scans took (download and analysis).")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_scan_seconds histogram")
	var cum, total int64
	for _, n := range m.scanHist {
		total += n
	}
	for i, le := range scanBuckets {
		cum += m.scanHist[i]
		fmt.Fprintf(w, "safeguard_monitor_scan_seconds_bucket{le=\"%g\"} %d\n", le, cum)
	}
	fmt.Fprintf(w, "safeguard_monitor_scan_seconds_bucket{le=\"+Inf\"} %d\n", total)
	fmt.Fprintf(w, "safeguard_monitor_scan_seconds_sum %.3f\n", m.scanTime.Seconds())
	fmt.Fprintf(w, "safeguard_monitor_scan_seconds_count %d\n", total)
	fmt.Fprintln(w, "# HELP safeguard_monitor_delivery_attempts_total Notification attempts by channel and result.")
	fmt.Fprintln(w, "# TYPE safeguard_monitor_delivery_attempts_total counter")
	for _, k := range slices.SortedFunc(maps.Keys(m.deliveries), cmpPair) {
		fmt.Fprintf(w, "safeguard_monitor_delivery_attempts_total{channel=%q,result=%q} %d\n", k[0], k[1], m.deliveries[k])
	}
	if counts, err := st.JobCounts(ctx); err == nil {
		fmt.Fprintln(w, "# HELP safeguard_monitor_jobs Jobs in the queue by kind and state.")
		fmt.Fprintln(w, "# TYPE safeguard_monitor_jobs gauge")
		for _, k := range slices.SortedFunc(maps.Keys(counts), cmpPair) {
			fmt.Fprintf(w, "safeguard_monitor_jobs{kind=%q,state=%q} %d\n", k[0], k[1], counts[k])
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpPair(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }
