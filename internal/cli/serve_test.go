package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
	"github.com/safeguard-dev/safeguard/internal/pypi/pypitest"
)

// monitorFixtures are a script's fake PyPI and receivers, by script.
type monitorFixtures struct {
	pypi *pypitest.Server
	hook *notifytest.HTTPReceiver
	mail *notifytest.SMTPReceiver
}

var fixtures sync.Map // *testscript.TestScript → *monitorFixtures

func fixturesOf(ts *testscript.TestScript) *monitorFixtures {
	f, ok := fixtures.Load(ts)
	if !ok {
		ts.Fatalf("no fake PyPI: run fake-pypi first")
	}
	return f.(*monitorFixtures)
}

// monitorCmds are the script commands of the monitor's end-to-end tests;
// t owns the receivers.
func monitorCmds(t *testing.T) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// fake-pypi: a fake PyPI ($PYPI), a webhook receiver that checks
		// signatures ($HOOK, $HOOK_SECRET) and an SMTP server ($SMTP).
		"fake-pypi": func(ts *testscript.TestScript, neg bool, args []string) {
			f := &monitorFixtures{pypi: pypitest.Start()}
			secret := notify.GenerateSecret()
			f.hook = notifytest.NewWebhookReceiver(t, secret)
			f.mail = notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{})
			fixtures.Store(ts, f)
			ts.Defer(func() { f.pypi.Close(); fixtures.Delete(ts) })
			ts.Setenv("PYPI", f.pypi.URL())
			ts.Setenv("HOOK", f.hook.Spec())
			ts.Setenv("HOOK_ADDR", f.hook.Server.Listener.Addr().String())
			ts.Setenv("HOOK_SECRET", secret)
			ts.Setenv("SMTP", f.mail.Spec("safeguard@example.test", "team@example.test"))
			ts.Setenv("SMTP_ADDR", strings.TrimPrefix(strings.Split(f.mail.Spec("a@b.c", "d@e.f"), "?")[0], "smtp://"))
		},
		// publish NAME VERSION FILE: uploads a file of the script's.
		"publish": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 3 {
				ts.Fatalf("usage: publish NAME VERSION FILE")
			}
			data, err := os.ReadFile(ts.MkAbs(args[2]))
			ts.Check(err)
			ts.Check(fixturesOf(ts).pypi.Publish(args[0], args[1], path.Base(args[2]), data))
		},
		// serial VAR: sets $VAR to the fake's newest journal serial.
		"serial": func(ts *testscript.TestScript, neg bool, args []string) {
			ts.Setenv(args[0], strconv.FormatInt(fixturesOf(ts).pypi.LastSerial(), 10))
		},
		// free-port VAR: sets $VAR to a loopback port free right now.
		"free-port": func(ts *testscript.TestScript, neg bool, args []string) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			ts.Check(err)
			ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
			ln.Close()
		},
		// port-free PORT: waits until the loopback PORT can be listened on
		// again (a killed server's socket is gone).
		"port-free": func(ts *testscript.TestScript, neg bool, args []string) {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if ln, err := net.Listen("tcp", "127.0.0.1:"+args[0]); err == nil {
					ln.Close()
					return
				}
			}
			ts.Fatalf("port %s still taken after 10s", args[0])
		},
		// stdout-env VAR: sets $VAR to the last command's standard output,
		// trimmed.
		"stdout-env": func(ts *testscript.TestScript, neg bool, args []string) {
			ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
		},
		// yank NAME VERSION
		"yank": func(ts *testscript.TestScript, neg bool, args []string) {
			ts.Check(fixturesOf(ts).pypi.Yank(args[0], args[1], "test"))
		},
		// grow DIR MB: writes about MB megabytes of ordinary Python modules
		// (which the scanner parses: they run commands and read files) under
		// DIR, so that a package packed from it takes a while to scan.
		"grow": func(ts *testscript.TestScript, neg bool, args []string) {
			mb, err := strconv.Atoi(args[1])
			ts.Check(err)
			dir := ts.MkAbs(args[0])
			ts.Check(os.MkdirAll(dir, 0o755))
			for i, size := 0, 0; size < mb<<20; i++ {
				var b strings.Builder
				fmt.Fprintf(&b, "import os\nimport subprocess\n\n\nclass Task%d:\n", i)
				for j := range 200 {
					fmt.Fprintf(&b, "    def step_%d(self, path):\n        out = subprocess.run([\"git\", \"log\", \"-n\", \"%d\"], capture_output=True)\n        return os.path.join(path, str(out.returncode), %q)\n\n", j, j, fmt.Sprint("part", i, j))
				}
				size += b.Len()
				ts.Check(os.WriteFile(filepath.Join(dir, fmt.Sprintf("task_%04d.py", i)), []byte(b.String()), 0o644))
			}
		},
		// wait-scanning PORT: waits until the safeguard serve on PORT says
		// in /-/metrics that it is scanning a file.
		"wait-scanning": func(ts *testscript.TestScript, neg bool, args []string) {
			url := "http://127.0.0.1:" + args[0] + "/-/metrics"
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				resp, err := http.Get(url)
				if err != nil {
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if strings.Contains(string(b), "\nsafeguard_monitor_scans_in_progress 1\n") {
					return
				}
			}
			ts.Fatalf("%s: no scan in progress within a minute", url)
		},
		// hold-webhook N: the webhook receiver holds the next N requests
		// unanswered until the sender goes away.
		"hold-webhook": func(ts *testscript.TestScript, neg bool, args []string) {
			n, _ := strconv.Atoi(args[0])
			fixturesOf(ts).hook.HoldNext(n)
		},
		// wait-held N: waits until the webhook receiver holds N requests.
		"wait-held": func(ts *testscript.TestScript, neg bool, args []string) {
			n, _ := strconv.Atoi(args[0])
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			ts.Check(fixturesOf(ts).hook.WaitHeld(ctx, n))
		},
		// wait-alerts N [MAILS]: waits until the webhook has accepted N
		// deliveries and the SMTP server N (or MAILS) mails, then prints
		// each webhook's type, package and version, sorted, and how many
		// distinct webhook-ids.
		"wait-alerts": func(ts *testscript.TestScript, neg bool, args []string) {
			n, _ := strconv.Atoi(args[0])
			mails := n
			if len(args) > 1 {
				mails, _ = strconv.Atoi(args[1])
			}
			f := fixturesOf(ts)
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			if _, err := f.hook.Wait(ctx, n); err != nil {
				ts.Fatalf("webhook: %v; received %d", err, len(f.hook.Accepted()))
			}
			if _, err := f.mail.Wait(ctx, mails); err != nil {
				ts.Fatalf("e-mail: %v; received %d", err, len(f.mail.Mails()))
			}
			time.Sleep(time.Second) // anything more that would come
			var lines []string
			ids := map[string]bool{}
			for _, d := range f.hook.Accepted() {
				var body struct {
					Type string         `json:"type"`
					Data notify.Message `json:"data"`
				}
				ts.Check(json.Unmarshal(d.Body, &body))
				ids[d.ID()] = true
				lines = append(lines, fmt.Sprintf("%s %s %s declared %v", body.Type, body.Data.Package, body.Data.Version, body.Data.Declared))
			}
			sort.Strings(lines)
			for _, l := range lines {
				fmt.Fprintln(ts.Stdout(), l)
			}
			fmt.Fprintf(ts.Stdout(), "%d deliveries, %d webhook ids, %d mails, %d refused\n", len(f.hook.Accepted()), len(ids), len(f.mail.Mails()), len(f.hook.Deliveries())-len(f.hook.Accepted()))
		},
	}
}
