package monitor

import (
	"strings"
	"testing"
	"time"
)

// The metrics page counts scans by verdict and duration (a Prometheus
// histogram whose buckets add up), scans in progress and the lead.
func TestMetricsWrite(t *testing.T) {
	st := openStore(t)
	m := NewMetrics()
	m.Scan("clean", 30*time.Millisecond)
	m.Scan("malicious", 700*time.Millisecond)
	m.Scan("clean", 20*time.Minute)
	m.Scanning(1)
	m.Leading(true)
	var b strings.Builder
	m.Write(&b, st)
	out := b.String()
	for _, want := range []string{
		`safeguard_monitor_scans_total{verdict="clean"} 2`,
		`safeguard_monitor_scans_total{verdict="malicious"} 1`,
		`safeguard_monitor_scan_seconds_bucket{le="0.05"} 1`,
		`safeguard_monitor_scan_seconds_bucket{le="1"} 2`,
		`safeguard_monitor_scan_seconds_bucket{le="300"} 2`,
		`safeguard_monitor_scan_seconds_bucket{le="+Inf"} 3`,
		`safeguard_monitor_scan_seconds_count 3`,
		`safeguard_monitor_scans_in_progress 1`,
		`safeguard_monitor_follower_leader 1`,
		`safeguard_monitor_follower_lag_seconds 0`,
	} {
		if !strings.Contains(out, "\n"+want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
}
