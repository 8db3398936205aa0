package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Target is one place an alert can be delivered to.
type Target interface {
	// Scheme is the registry name of the target's kind: "webhook",
	// "slack", "smtp" or "smtps".
	Scheme() string
	// Spec is the spec as parsed, secrets included. It is for the
	// store only; never log it.
	Spec() string
	// String is the redacted spec: no passwords, no URL paths or
	// queries that may hold tokens. Safe for logs.
	String() string
	// Send makes one delivery attempt of m.
	Send(ctx context.Context, cfg Config, m Message) Attempt
}

// Config holds what a Send needs besides the target and the message.
type Config struct {
	// HTTP carries webhook and Slack requests. It is required: the
	// caller's client holds the policy of which addresses may be
	// reached. Its redirect policy is replaced: notify never follows
	// redirects (a 3xx is a failed attempt, as Standard Webhooks says).
	HTTP *http.Client
	// WebhookSecret is the whsec_ secret webhook bodies are signed with.
	// Required for webhook targets.
	WebhookSecret string
	// Timeout bounds one attempt, connection included.
	Timeout time.Duration
	// Dial opens SMTP connections; nil uses a net.Dialer. Like HTTP, it
	// is where the caller's address policy goes.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLS is the base TLS configuration for SMTP (roots, minimum
	// version); nil uses the system roots. ServerName is always set to
	// the target's host.
	TLS *tls.Config
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// DefaultTimeout bounds one attempt (Standard Webhooks recommends 15 to
// 30 seconds).
const DefaultTimeout = 15 * time.Second

// DefaultConfig returns a Config with the default timeout and clock and no
// HTTP client: set HTTP before sending to webhook or Slack targets.
func DefaultConfig() Config {
	return Config{Timeout: DefaultTimeout, Now: time.Now}
}

func (c Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// Kind describes one kind of target, as data for help texts and docs.
type Kind struct {
	Scheme      string
	Example     string
	Description string
	parse       func(spec string) (Target, error)
}

// kinds is the registry of target kinds, by scheme.
var kinds = map[string]Kind{
	"webhook": {
		Scheme:      "webhook",
		Example:     "webhook:https://example.com/hooks/safeguard",
		Description: "JSON POST signed per Standard Webhooks with the project's whsec_ secret",
		parse:       parseWebhook,
	},
	"slack": {
		Scheme:      "slack",
		Example:     "slack:https://hooks.slack.com/services/T000/B000/XXXX",
		Description: "Slack incoming-webhook message with blocks",
		parse:       parseSlack,
	},
	"smtp": {
		Scheme:      "smtp",
		Example:     "smtp://user:pass@mail.example.com:587?from=safeguard@example.com&to=dev@example.com",
		Description: "e-mail, plain text and HTML; STARTTLS when the server offers it (?starttls=require to insist); default port 587",
		parse:       parseSMTP,
	},
	"smtps": {
		Scheme:      "smtps",
		Example:     "smtps://user:pass@mail.example.com:465?from=safeguard@example.com&to=dev@example.com",
		Description: "e-mail over implicit TLS; default port 465",
		parse:       parseSMTP,
	},
}

var (
	_ Target = (*webhook)(nil)
	_ Target = (*slack)(nil)
	_ Target = (*smtpTarget)(nil)
)

// Kinds returns the kinds of target, sorted by scheme.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b Kind) int { return strings.Compare(a.Scheme, b.Scheme) })
	return out
}

// ErrSpec is wrapped by every error Parse returns.
var ErrSpec = errors.New("invalid notification target")

// maxSpec caps the length of a spec.
const maxSpec = 2048

// Parse reads a target spec: "webhook:URL", "slack:URL",
// "smtp://user:pass@host:port?from=...&to=..." or "smtps://...". Errors
// wrap ErrSpec and never quote the spec (it may hold a password).
func Parse(spec string) (Target, error) {
	if len(spec) > maxSpec {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrSpec, maxSpec)
	}
	if i := strings.IndexFunc(spec, isControl); i >= 0 {
		return nil, fmt.Errorf("%w: control character at byte %d", ErrSpec, i)
	}
	scheme, _, ok := strings.Cut(spec, ":")
	if !ok {
		return nil, fmt.Errorf("%w: no scheme (want %s)", ErrSpec, schemeList())
	}
	k, ok := kinds[scheme]
	if !ok {
		return nil, fmt.Errorf("%w: unknown scheme %q (want %s)", ErrSpec, clip(scheme, 20), schemeList())
	}
	t, err := k.parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSpec, scheme, err)
	}
	return t, nil
}

func schemeList() string {
	var names []string
	for _, k := range Kinds() {
		names = append(names, k.Scheme)
	}
	return strings.Join(names, ", ")
}

// isControl reports the characters no spec, header or address may hold:
// C0 controls (CR and LF above all), DEL, and the Unicode line separators.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085'
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }
