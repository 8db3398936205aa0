package notifytest

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configure an SMTPReceiver.
type SMTPOptions struct {
	// User and Password, when set, make the server offer AUTH PLAIN and
	// refuse MAIL FROM before a successful login.
	User, Password string
	// StartTLS makes the server offer STARTTLS with a self-signed
	// certificate; Implicit makes it speak TLS from the first byte
	// (smtps). Without either, AUTH is allowed in the clear.
	StartTLS, Implicit bool
}

// Mail is one message an SMTPReceiver accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
	// User is who logged in to send it ("" without AUTH); TLS whether
	// the session was encrypted when the message was sent.
	User string
	TLS  bool
}

// SMTPReceiver is a real SMTP server on 127.0.0.1 that records the mail
// it accepts.
type SMTPReceiver struct {
	// Host and Port are where it listens.
	Host string
	Port int
	opts SMTPOptions
	// roots trusts the self-signed certificate (nil without TLS).
	roots *tls.Config

	mu      sync.Mutex
	mails   []Mail
	rejects []int
	changed chan struct{}
}

// NewSMTPReceiver starts an SMTP server on 127.0.0.1 with opts. It stops
// when the test ends.
func NewSMTPReceiver(tb testing.TB, opts SMTPOptions) *SMTPReceiver {
	tb.Helper()
	r := &SMTPReceiver{Host: "127.0.0.1", opts: opts, changed: make(chan struct{})}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{r: r, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 1 << 20
	s.MaxRecipients = 50
	s.AllowInsecureAuth = !opts.StartTLS && !opts.Implicit
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	if opts.StartTLS || opts.Implicit {
		serverTLS, clientTLS, err := SelfSigned()
		if err != nil {
			tb.Fatal(err)
		}
		r.roots = clientTLS
		s.TLSConfig = serverTLS
		if opts.Implicit {
			l = tls.NewListener(l, serverTLS)
		}
	}
	r.Port = l.Addr().(*net.TCPAddr).Port
	go s.Serve(l)
	tb.Cleanup(func() { s.Close() })
	return r
}

// ClientTLS is the TLS configuration a client needs to trust the server's
// self-signed certificate (nil when the server has no TLS).
func (r *SMTPReceiver) ClientTLS() *tls.Config { return r.roots }

// Spec is the notification target spec that sends to this server, with
// the receiver's credentials, from and to the addresses given.
func (r *SMTPReceiver) Spec(from string, to ...string) string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(r.Host, strconv.Itoa(r.Port))}
	if r.opts.Implicit {
		u.Scheme = "smtps"
	}
	if r.opts.User != "" {
		u.User = url.UserPassword(r.opts.User, r.opts.Password)
	}
	u.RawQuery = url.Values{"from": {from}, "to": to}.Encode()
	return u.String()
}

// RejectNext makes the server answer code (such as 451 or 550) to the
// next n messages, after their data.
func (r *SMTPReceiver) RejectNext(n, code int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range n {
		r.rejects = append(r.rejects, code)
	}
}

// Mails returns the messages accepted so far, in order.
func (r *SMTPReceiver) Mails() []Mail {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Mail(nil), r.mails...)
}

// Wait returns the accepted messages once there are at least n, or an
// error when ctx ends first.
func (r *SMTPReceiver) Wait(ctx context.Context, n int) ([]Mail, error) {
	for {
		r.mu.Lock()
		changed, got := r.changed, append([]Mail(nil), r.mails...)
		r.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return got, fmt.Errorf("%d of %d mails received: %w", len(got), n, ctx.Err())
		}
	}
}

// session is one SMTP connection.
type session struct {
	r    *SMTPReceiver
	conn *smtp.Conn
	user string
	mail Mail
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if s.r.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.r.opts.User || password != s.r.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.opts.User != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.mail = Mail{From: from, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.mail.To = append(s.mail.To, to)
	return nil
}

func (s *session) Data(rd io.Reader) error {
	data, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	s.mail.Data = data
	_, s.mail.TLS = s.conn.TLSConnectionState()
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if len(s.r.rejects) > 0 {
		code := s.r.rejects[0]
		s.r.rejects = s.r.rejects[1:]
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "told to refuse"}
	}
	s.r.mails = append(s.r.mails, s.mail)
	close(s.r.changed)
	s.r.changed = make(chan struct{})
	return nil
}

func (s *session) Reset()        { s.mail = Mail{User: s.user} }
func (s *session) Logout() error { return nil }
