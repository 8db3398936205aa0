package notify_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/notify/notifytest"
)

func smtpConfig(r *notifytest.SMTPReceiver) notify.Config {
	cfg := notify.DefaultConfig()
	cfg.Timeout = 5 * time.Second
	cfg.TLS = r.ClientTLS()
	return cfg
}

func TestEmail(t *testing.T) {
	tests := []struct {
		name    string
		opts    notifytest.SMTPOptions
		wantTLS bool
	}{
		{"plain with AUTH", notifytest.SMTPOptions{User: "alerts", Password: "s3cret"}, false},
		{"no AUTH", notifytest.SMTPOptions{}, false},
		{"STARTTLS offered", notifytest.SMTPOptions{User: "alerts", Password: "s3cret", StartTLS: true}, true},
		{"smtps", notifytest.SMTPOptions{User: "alerts", Password: "s3cret", Implicit: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := notifytest.NewSMTPReceiver(t, tt.opts)
			target := mustParse(t, r.Spec("safeguard@example.com", "dev@example.com", "ops@example.org"))
			a := target.Send(context.Background(), smtpConfig(r), hostileMessage())
			if !a.Delivered || a.Error != "" {
				t.Fatalf("attempt = %+v", a)
			}
			mails := r.Mails()
			if len(mails) != 1 {
				t.Fatalf("%d mails", len(mails))
			}
			m := mails[0]
			if m.From != "safeguard@example.com" || strings.Join(m.To, " ") != "dev@example.com ops@example.org" || m.User != tt.opts.User || m.TLS != tt.wantTLS {
				t.Errorf("envelope: from %q, to %q, user %q, TLS %v", m.From, m.To, m.User, m.TLS)
			}
			checkEmail(t, m)
		})
	}
}

func checkEmail(t *testing.T, m notifytest.Mail) {
	t.Helper()
	p, err := m.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if want := "Safeguard: malicious release of <script>alert(1)</script> 1.0 & <!channel> (web-shop)"; p.Subject != want {
		t.Errorf("Subject = %q, want %q", p.Subject, want)
	}
	if got := p.Header.Get("Message-Id"); got != "<alert_01JEXAMPLE-1@example.com>" {
		t.Errorf("Message-ID = %q", got)
	}
	if p.Header.Get("From") != "<safeguard@example.com>" || p.Header.Get("Bcc") != "" {
		t.Errorf("From %q, Bcc %q", p.Header.Get("From"), p.Header.Get("Bcc"))
	}
	for _, want := range []string{"Package:    <script>alert(1)</script>", "requirements.txt:3", "exfiltrate-credentials", "setup.py:12", "MAL-2026-1234", "  | import os", "Remove <script>"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, p.Text)
		}
	}
	if strings.Contains(p.Text, "\x1b") || strings.Contains(p.Text, "\r\nBcc") {
		t.Errorf("control characters in the text part:\n%q", p.Text)
	}
	if strings.Contains(p.HTML, "<script>") || !strings.Contains(p.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML part does not escape the package name:\n%s", p.HTML)
	}
	if !strings.Contains(p.HTML, "<pre>import os\n") {
		t.Errorf("HTML part lacks the snippet:\n%s", p.HTML)
	}
}

func TestEmailRefused(t *testing.T) {
	tests := []struct {
		name      string
		opts      notifytest.SMTPOptions
		spec      func(r *notifytest.SMTPReceiver) string
		reject    int
		status    int
		permanent bool
	}{
		{"temporary", notifytest.SMTPOptions{}, nil, 451, 451, false},
		{"permanent", notifytest.SMTPOptions{}, nil, 550, 550, true},
		{"wrong password", notifytest.SMTPOptions{User: "alerts", Password: "s3cret"}, func(r *notifytest.SMTPReceiver) string {
			return strings.Replace(r.Spec("a@example.com", "b@example.com"), "s3cret", "guess", 1)
		}, 0, 535, true},
		{"STARTTLS required, not offered", notifytest.SMTPOptions{}, func(r *notifytest.SMTPReceiver) string {
			return r.Spec("a@example.com", "b@example.com") + "&starttls=require"
		}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := notifytest.NewSMTPReceiver(t, tt.opts)
			if tt.reject != 0 {
				r.RejectNext(1, tt.reject)
			}
			spec := r.Spec("a@example.com", "b@example.com")
			if tt.spec != nil {
				spec = tt.spec(r)
			}
			a := mustParse(t, spec).Send(context.Background(), smtpConfig(r), alert())
			if a.Delivered || a.Error == "" || a.Status != tt.status || a.Permanent != tt.permanent {
				t.Errorf("attempt = %+v, want status %d, permanent %v", a, tt.status, tt.permanent)
			}
			if strings.Contains(a.Error, "guess") || strings.Contains(a.Target, "guess") {
				t.Errorf("the password shows in the attempt: %+v", a)
			}
			if n := len(r.Mails()); n != 0 {
				t.Errorf("%d mails accepted", n)
			}
		})
	}
}

// TestEmailRetryKeepsMessageID: a refused and a retried attempt of one
// alert carry the same Message-ID.
func TestEmailRetryKeepsMessageID(t *testing.T) {
	r := notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{})
	r.RejectNext(1, 451)
	target := mustParse(t, r.Spec("a@example.com", "b@example.com"))
	for range 2 {
		target.Send(context.Background(), smtpConfig(r), alert())
	}
	mails, err := r.Wait(context.Background(), 1)
	if err != nil || len(mails) != 1 {
		t.Fatalf("mails %d, %v", len(mails), err)
	}
	p, err := mails[0].Parse()
	if err != nil || p.Header.Get("Message-Id") != "<alert_42@example.com>" {
		t.Errorf("Message-ID = %q, %v", p.Header.Get("Message-Id"), err)
	}
}

// TestEmailNoPasswordInTheClear: to a server that is not on localhost and
// offers no STARTTLS, the password is never sent; the attempt fails
// instead. The dialer (where the caller's address policy goes) sends the
// connection for mail.example.com to the local receiver.
func TestEmailNoPasswordInTheClear(t *testing.T) {
	r := notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{User: "alerts", Password: "s3cret"})
	cfg := smtpConfig(r)
	var dialed []string
	cfg.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = append(dialed, addr)
		return new(net.Dialer).DialContext(ctx, network, net.JoinHostPort(r.Host, strconv.Itoa(r.Port)))
	}
	spec := fmt.Sprintf("smtp://alerts:s3cret@mail.example.com:%d?from=a@example.com&to=b@example.com", r.Port)
	a := mustParse(t, spec).Send(context.Background(), cfg, alert())
	if a.Delivered || !strings.Contains(a.Error, "unencrypted") || len(r.Mails()) != 0 {
		t.Errorf("attempt = %+v", a)
	}
	if want := fmt.Sprintf("mail.example.com:%d", r.Port); len(dialed) != 1 || dialed[0] != want {
		t.Errorf("dialed %q, want %q", dialed, want)
	}
}

// TestEmailDialerSMTPS: a caller's dialer still gets TLS from the first
// byte for smtps.
func TestEmailDialerSMTPS(t *testing.T) {
	r := notifytest.NewSMTPReceiver(t, notifytest.SMTPOptions{User: "alerts", Password: "s3cret", Implicit: true})
	cfg := smtpConfig(r)
	cfg.Dial = new(net.Dialer).DialContext
	a := mustParse(t, r.Spec("a@example.com", "b@example.com")).Send(context.Background(), cfg, alert())
	if mails := r.Mails(); !a.Delivered || len(mails) != 1 || !mails[0].TLS {
		t.Errorf("attempt = %+v, mails %+v", a, mails)
	}
}

// TestEmailTimeout: a server that accepts the connection and never
// greets makes a retryable attempt within the timeout.
func TestEmailTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cfg := notify.DefaultConfig()
	cfg.Timeout = 300 * time.Millisecond
	spec := fmt.Sprintf("smtp://127.0.0.1:%d?from=a@example.com&to=b@example.com", l.Addr().(*net.TCPAddr).Port)
	start := time.Now()
	a := mustParse(t, spec).Send(context.Background(), cfg, alert())
	if a.Delivered || a.Permanent || a.Error != "no answer within 300ms" || time.Since(start) > 5*time.Second {
		t.Errorf("attempt = %+v after %v", a, time.Since(start))
	}
}
