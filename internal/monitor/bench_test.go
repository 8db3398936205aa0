package monitor

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
	"github.com/safeguard-dev/safeguard/internal/store"
)

// monitorRig is a whole monitor in one process against the fake PyPI.
type monitorRig struct {
	st   *store.Store
	fake *pypitest.Server
	hook *notifytest.HTTPReceiver
}

func startRig(b *testing.B, poll time.Duration, workers int, watch []store.Dependency) *monitorRig {
	b.Helper()
	rig := newRig(b, watch)
	rig.start(b, poll, workers)
	return rig
}

// newRig makes a store with a watched project, the fake PyPI and a
// webhook receiver; start starts the monitor on them.
func newRig(b *testing.B, watch []store.Dependency) *monitorRig {
	b.Helper()
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "safeguard.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	fake := pypitest.Start()
	b.Cleanup(fake.Close)
	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(b, secret)
	p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{hook.Spec()}, WebhookSecret: secret}}
	if _, err := Register(context.Background(), st, nil, p, watch); err != nil {
		b.Fatal(err)
	}
	return &monitorRig{st: st, fake: fake, hook: hook}
}

// start runs the follower (from the journal's start), workers and the
// sender until the benchmark ends.
func (rig *monitorRig) start(b *testing.B, poll time.Duration, workers int) {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	client := pypi.New(rig.fake.URL(), http.DefaultClient)
	f := &Follower{Store: rig.st, Journal: client, Poll: poll, Since: 0}
	go f.Run(ctx)
	for i := range workers {
		w := &Worker{Store: rig.st, Index: client, ScanAll: true, ID: fmt.Sprint("w", i)}
		go w.Run(ctx)
	}
	s := &Sender{Store: rig.st, Notify: notify.Config{HTTP: http.DefaultClient, Timeout: 5 * time.Second}}
	go s.Run(ctx)
}

// waitDone waits until n file jobs are done.
func (rig *monitorRig) waitDone(b *testing.B, n int) {
	for {
		c, err := rig.st.JobCounts(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if c[[2]string{JobFile, store.JobDone}]+c[[2]string{JobFile, store.JobFailed}] >= n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// publishFile uploads a corpus file as the only file of release 1.0 of a
// new project.
func (rig *monitorRig) publishFile(b *testing.B, name, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	filename := name + "-1.0" + suffix(path)
	if suffix(path) == ".whl" {
		filename = name + "-1.0-py3-none-any.whl"
	}
	if err := rig.fake.Publish(name, "1.0", filename, data); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAlertLatency measures, with the default poll interval and
// idle pauses, the time from a malicious release entering the journal to
// its signed webhook arriving; it reports the median and the 99th
// percentile.
func BenchmarkAlertLatency(b *testing.B) {
	rig := startRig(b, DefaultPoll, 2, []store.Dependency{{Name: "x", Scope: "main", File: "requirements.txt", Line: 1}})
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		version := fmt.Sprintf("2.%d", i)
		data := targz(b, map[string]string{"x-" + version + "/PKG-INFO": "Metadata-Version: 2.1\nName: x\nVersion: " + version + "\n",
			"x-" + version + "/setup.py": strings.Replace(stagedSetup, "2.0", version, 1)})
		start := time.Now()
		if err := rig.fake.Publish("x", version, "x-"+version+".tar.gz", data); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if _, err := rig.hook.Wait(ctx, i+1); err != nil {
			b.Fatal(err)
		}
		cancel()
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(lat[len(lat)/2].Seconds(), "p50-s")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)].Seconds(), "p99-s")
}

// BenchmarkThroughput publishes files of the evaluation corpus (when
// ../shared/corpus is beside the repository) through the fake PyPI and
// measures how many the follower and workers ($SAFEGUARD_BENCH_WORKERS,
// 2 by default) scan a second.
func BenchmarkThroughput(b *testing.B) {
	files := corpusFiles(b, 133, "malicious-dev", "benign-wheel-dev", "benign-sdist-dev")
	workers := 2
	if v := os.Getenv("SAFEGUARD_BENCH_WORKERS"); v != "" {
		fmt.Sscan(v, &workers)
	}
	rig := startRig(b, 100*time.Millisecond, workers, nil)
	n := 0
	for b.Loop() {
		start := time.Now()
		for _, p := range files {
			rig.publishFile(b, fmt.Sprintf("pkg%d", n), p)
			n++
		}
		rig.waitDone(b, n)
		b.ReportMetric(float64(len(files))/time.Since(start).Seconds(), "files/s")
	}
}

// BenchmarkBacklog is catch-up after an outage: a journal of new
// projects, each with one file drawn from the evaluation corpus (every
// corpus file once, or $SAFEGUARD_BACKLOG_FILES of them), waits for the
// follower, which starts at serial 0 with two workers. It reports the
// files scanned a second, the minutes a 12,000-file day of PyPI would
// take at that rate, and the process's peak resident memory.
func BenchmarkBacklog(b *testing.B) {
	limit := 3000
	if v := os.Getenv("SAFEGUARD_BACKLOG_FILES"); v != "" {
		fmt.Sscan(v, &limit)
	}
	files := corpusFiles(b, limit, "malicious-dev", "benign-wheel-dev", "benign-sdist-dev", "benign-wheel-dev-extra")
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	files = files[:min(limit, len(files))]
	for b.Loop() {
		rig := newRig(b, nil)
		for i, p := range files {
			rig.publishFile(b, fmt.Sprintf("pkg%d", i), p)
		}
		start := time.Now()
		rig.start(b, 100*time.Millisecond, 2)
		rig.waitDone(b, len(files))
		rate := float64(len(files)) / time.Since(start).Seconds()
		b.ReportMetric(float64(len(files)), "files")
		b.ReportMetric(float64(rig.fake.LastSerial()), "journal-rows")
		b.ReportMetric(rate, "files/s")
		b.ReportMetric(12000/rate/60, "min-per-12k-files")
	}
	b.ReportMetric(peakRSS(b)/(1<<20), "peak-RSS-MiB")
}

// peakRSS is the process's peak resident memory (VmHWM), in bytes.
func peakRSS(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb * 1024
		}
	}
	return 0
}

func isArchive(p string) bool {
	return suffix(p) != filepath.Ext(p) || strings.HasSuffix(p, ".whl") || strings.HasSuffix(p, ".zip")
}

func suffix(p string) string {
	for _, s := range []string{".tar.gz", ".whl", ".zip", ".tar.bz2", ".tgz"} {
		if strings.HasSuffix(p, s) {
			return s
		}
	}
	return filepath.Ext(p)
}

// corpusFiles lists up to perDir artifacts of each of the evaluation
// corpus's dirs, or skips when the corpus is not beside the repository.
func corpusFiles(b *testing.B, perDir int, dirs ...string) []string {
	root := "../../../shared/corpus"
	if _, err := os.Stat(root); err != nil {
		b.Skip("no ../shared/corpus beside the repository")
	}
	var out []string
	for _, dir := range dirs {
		taken := 0
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && isArchive(p) && taken < perDir {
				out = append(out, p)
				taken++
			}
			return nil
		})
	}
	return out
}
