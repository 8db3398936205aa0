package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net"
	"net/textproto"
	"strings"
	texttemplate "text/template"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/safeguard-dev/safeguard/internal/buildinfo"
)

// Send e-mails m to the target's recipients. The Message-ID is derived
// from m.ID, so a retried alert keeps its Message-ID. STARTTLS is used
// when the server offers it (required with starttls=require); smtps
// speaks TLS from the start. AUTH PLAIN or LOGIN is only sent over TLS
// (or to a server on localhost), so a password never crosses the network
// in the clear.
func (t *smtpTarget) Send(ctx context.Context, cfg Config, m Message) Attempt {
	if err := m.Check(); err != nil {
		return failed(t, cfg, err)
	}
	msg, err := t.message(m, cfg.now())
	if err != nil {
		return failed(t, cfg, err)
	}
	client, err := t.client(cfg)
	if err != nil {
		return failed(t, cfg, err)
	}
	start := cfg.now()
	a := Attempt{Target: t.String(), Start: start}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	err = client.DialAndSendWithContext(ctx, msg)
	a.Duration = cfg.now().Sub(start)
	if err == nil {
		a.Delivered, a.Status, a.Response = true, 250, "250 accepted"
		return a
	}
	a.Error = err.Error()
	if t.password != "" {
		a.Error = strings.ReplaceAll(a.Error, t.password, "***")
	}
	if a.Status = replyCode(err); a.Status != 0 {
		a.Response = clip(strings.ToValidUTF8(a.Error, "\uFFFD"), MaxResponse)
		a.Permanent = a.Status >= 500 && a.Status <= 599
	}
	if a.Status == 0 && timedOut(ctx, err) {
		a.Error = fmt.Sprintf("no answer within %s", cfg.timeout())
	}
	return a
}

// replyCode is the SMTP reply code of a refusal (a refused MAIL, RCPT,
// DATA or AUTH), or 0 when the server gave none.
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() != 0 {
		return se.ErrorCode()
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// client builds the go-mail client for one attempt.
func (t *smtpTarget) client(cfg Config) (*mail.Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLS != nil {
		tlsConf = cfg.TLS.Clone()
	}
	tlsConf.ServerName = t.host
	policy := mail.TLSOpportunistic
	if t.require {
		policy = mail.TLSMandatory
	}
	opts := []mail.Option{
		mail.WithPort(t.port),
		mail.WithTimeout(cfg.timeout()),
		mail.WithTLSConfig(tlsConf),
		mail.WithTLSPolicy(policy),
	}
	if t.implicit {
		opts = append(opts, mail.WithSSL())
	}
	if dial := t.dialer(cfg, tlsConf); dial != nil {
		opts = append(opts, mail.WithDialContextFunc(dial))
	}
	if t.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(t.user), mail.WithPassword(t.password))
	}
	return mail.NewClient(t.host, opts...)
}

// dialer wraps cfg.Dial; go-mail does not add TLS around a dialer of its
// own for smtps, so this one does.
func (t *smtpTarget) dialer(cfg Config, tlsConf *tls.Config) mail.DialContextFunc {
	if cfg.Dial == nil {
		return nil
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := cfg.Dial(ctx, network, addr)
		if err != nil || !t.implicit {
			return conn, err
		}
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

// message builds the e-mail: a plain-text part and an HTML alternative.
func (t *smtpTarget) message(m Message, now time.Time) (*mail.Msg, error) {
	text, html, err := EmailBodies(m)
	if err != nil {
		return nil, err
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(t.from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.To(t.to...); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	msg.Subject(oneLine(m.Title(), 200))
	_, domain, _ := strings.Cut(t.from, "@")
	msg.SetMessageIDWithValue(m.ID + "@" + domain)
	msg.SetDateWithValue(now)
	msg.SetUserAgent("safeguard/" + buildinfo.Version)
	msg.SetGenHeader("X-Safeguard-Alert-Type", m.Type)
	msg.SetBodyString(mail.TypeTextPlain, text)
	msg.AddAlternativeString(mail.TypeTextHTML, html)
	return msg, nil
}

// EmailBodies renders m as the plain text and the HTML of an e-mail. The
// HTML is built with html/template, so attacker text is escaped.
func EmailBodies(m Message) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := emailText.Execute(&t, m); err != nil {
		return "", "", fmt.Errorf("render text e-mail: %w", err)
	}
	if err := emailHTML.Execute(&h, m); err != nil {
		return "", "", fmt.Errorf("render HTML e-mail: %w", err)
	}
	return t.String(), h.String(), nil
}

var emailFuncs = map[string]any{
	"rfc3339":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"line":         func(s string) string { return oneLine(s, 500) },
	"snippetLines": snippetLines,
	"head":         reasonHead,
}

var emailText = texttemplate.Must(texttemplate.New("text").Funcs(emailFuncs).Parse(`{{line .Title}}

{{with .Summary}}{{line .}}

{{end}}Project:    {{line .Project}}
Package:    {{line .Package}}{{with .Version}}
Version:    {{line .}}{{end}}{{range .Declared}}
Declared:   {{line .String}}{{end}}
{{with .Reasons}}
Why:{{range .}}
- {{head .}}{{with .Message}}
  {{line .}}{{end}}{{range snippetLines .Snippet}}
  | {{.}}{{end}}{{end}}
{{end}}{{with .Advice}}
What to do: {{line .}}
{{end}}{{with .URL}}
Details: {{line .}}
{{end}}
--
Safeguard alert {{.ID}} ({{.Type}}), {{rfc3339 .Time}}
`))

var emailHTML = htmltemplate.Must(htmltemplate.New("html").Funcs(emailFuncs).Parse(`<!DOCTYPE html>
<html><body style="font-family: sans-serif">
<h2>{{line .Title}}</h2>
{{with .Summary}}<p>{{line .}}</p>
{{end}}<table>
<tr><th align="left">Project</th><td>{{line .Project}}</td></tr>
<tr><th align="left">Package</th><td><code>{{line .Package}}</code></td></tr>
{{with .Version}}<tr><th align="left">Version</th><td><code>{{line .}}</code></td></tr>
{{end}}{{range .Declared}}<tr><th align="left">Declared in</th><td><code>{{line .String}}</code></td></tr>
{{end}}</table>
{{with .Reasons}}<h3>Why</h3>
<ul>
{{range .}}<li><b>{{head .}}</b>{{with .Message}}<br>{{line .}}{{end}}{{with .Snippet}}
<pre>{{range snippetLines .}}{{.}}
{{end}}</pre>{{end}}</li>
{{end}}</ul>
{{end}}{{with .Advice}}<h3>What to do</h3>
<p>{{line .}}</p>
{{end}}{{with .URL}}<p><a href="{{.}}">Details</a></p>
{{end}}<p style="color: gray">Safeguard alert {{.ID}} ({{.Type}}), {{rfc3339 .Time}}</p>
</body></html>
`))

// snippetLines splits an attacker's snippet into at most 20 lines of at
// most 200 bytes, with control characters (escape sequences, CR) shown
// as spaces.
func snippetLines(s string) []string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if s == "" {
		return nil
	}
	if len(lines) > 20 {
		lines = append(lines[:20], "…")
	}
	for i, l := range lines {
		lines[i] = clip(strings.TrimRight(blankControls(strings.ReplaceAll(l, "\t", "    ")), " "), 200)
	}
	return lines
}

// reasonHead is the first line of a reason in an e-mail: "MAL-2026-1",
// or "rule (severity) in file:line".
func reasonHead(r Reason) string {
	var parts []string
	for _, p := range []string{r.Advisory, r.Rule} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if r.Severity != "" {
		parts = append(parts, "("+r.Severity+")")
	}
	if w := r.Where(); w != "" {
		parts = append(parts, "in "+w)
	}
	return oneLine(strings.Join(parts, " "), 500)
}
