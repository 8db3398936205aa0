package monitor

import (
	"context"
	"fmt"
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
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "safeguard.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	fake := pypitest.Start()
	b.Cleanup(fake.Close)
	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(b, secret)
	p := store.Project{Name: "app", Options: store.ProjectOptions{Notify: []string{hook.Spec()}, WebhookSecret: secret}}
	if _, err := Register(ctx, st, nil, p, watch); err != nil {
		b.Fatal(err)
	}
	client := pypi.New(fake.URL(), http.DefaultClient)
	f := &Follower{Store: st, Journal: client, Poll: poll, Since: 0}
	go f.Run(ctx)
	for i := range workers {
		w := &Worker{Store: st, Index: client, ScanAll: true, ID: fmt.Sprint("w", i)}
		go w.Run(ctx)
	}
	s := &Sender{Store: st, Notify: notify.Config{HTTP: http.DefaultClient, Timeout: 5 * time.Second}}
	go s.Run(ctx)
	return &monitorRig{st: st, fake: fake, hook: hook}
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
// measures how many the follower and workers scan a second.
func BenchmarkThroughput(b *testing.B) {
	files := corpusFiles(b, 400)
	rig := startRig(b, 100*time.Millisecond, 2, nil)
	n := 0
	for b.Loop() {
		start := time.Now()
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("pkg%d", n)
			n++
			filename := name + "-1.0" + suffix(p)
			if suffix(p) == ".whl" {
				filename = name + "-1.0-py3-none-any.whl"
			}
			if err := rig.fake.Publish(name, "1.0", filename, data); err != nil {
				b.Fatal(err)
			}
		}
		for {
			c, err := rig.st.JobCounts(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if c[[2]string{JobFile, store.JobDone}] >= n {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		b.ReportMetric(float64(len(files))/time.Since(start).Seconds(), "files/s")
	}
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

// corpusFiles lists up to n corpus artifacts, a third from each of the
// malicious, benign-wheel and benign-sdist folders, or skips.
func corpusFiles(b *testing.B, n int) []string {
	root := "../../../shared/corpus"
	if _, err := os.Stat(root); err != nil {
		b.Skip("no ../shared/corpus beside the repository")
	}
	var out []string
	for _, dir := range []string{"malicious-dev", "benign-wheel-dev", "benign-sdist-dev"} {
		taken := 0
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && isArchive(p) {
				if taken < n/3 {
					out = append(out, p)
					taken++
				}
			}
			return nil
		})
	}
	return out
}
