package notify

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec     string
		scheme   string
		redacted string
		secrets  []string // must not appear in the redacted form
	}{
		{"webhook:https://example.com/hooks/safeguard", "webhook", "webhook:https://example.com/***", []string{"hooks"}},
		{"webhook:http://127.0.0.1:8080", "webhook", "webhook:http://127.0.0.1:8080", nil},
		{"webhook:https://ci.example.com/hook?token=s3cr3t", "webhook", "webhook:https://ci.example.com/***", []string{"s3cr3t"}},
		{"webhook:https://bob:hunter2@example.com/", "webhook", "webhook:https://bob:***@example.com", []string{"hunter2"}},
		{"webhook:https://[::1]:8443/x", "webhook", "webhook:https://[::1]:8443/***", nil},
		{"slack:https://hooks.slack.com/services/T000/B000/XXXXSECRET", "slack", "slack:https://hooks.slack.com/***", []string{"XXXXSECRET", "T000"}},
		{"smtp://alerts:p%40ss@mail.example.com:587?from=safeguard@example.com&to=dev@example.com&to=ops@example.org", "smtp",
			"smtp://alerts:***@mail.example.com:587?from=safeguard@example.com&to=dev@example.com&to=ops@example.org", []string{"p@ss", "p%40ss"}},
		{"smtp://mail.example.com?from=a@example.com&to=b@example.com", "smtp", "smtp://mail.example.com:587?from=a@example.com&to=b@example.com", nil},
		{"smtp://mail.example.com:25?from=a@example.com&to=b@example.com&starttls=require", "smtp", "smtp://mail.example.com:25?from=a@example.com&starttls=require&to=b@example.com", nil},
		{"smtps://u:pw@mail.example.com?from=a@example.com&to=b@example.com", "smtps", "smtps://u:***@mail.example.com:465?from=a@example.com&to=b@example.com", []string{"pw"}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			target, err := Parse(tt.spec)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if target.Scheme() != tt.scheme || target.Spec() != tt.spec {
				t.Errorf("Scheme, Spec = %q, %q", target.Scheme(), target.Spec())
			}
			if got := target.String(); got != tt.redacted {
				t.Errorf("String() = %q, want %q", got, tt.redacted)
			}
			for _, s := range tt.secrets {
				if strings.Contains(target.String(), s) {
					t.Errorf("String() %q shows %q", target.String(), s)
				}
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"empty", "", "no scheme"},
		{"unknown scheme", "file:///etc/passwd", `unknown scheme "file"`},
		{"bare URL", "https://example.com/hook", `unknown scheme "https"`},
		{"webhook file URL", "webhook:file:///etc/passwd", `URL scheme "file" not allowed`},
		{"webhook javascript", "webhook:javascript:alert(1)", "not allowed"},
		{"webhook no scheme", "webhook://example.com/hook", `URL scheme "" not allowed`},
		{"webhook no host", "webhook:https:///hook", "no host"},
		{"webhook opaque", "webhook:https:example.com", "no //host"},
		{"webhook bad host", "webhook:https://exa_mple!.com/", "not a DNS name"},
		{"webhook bad port", "webhook:https://example.com:99999/", "out of range"},
		{"webhook fragment", "webhook:https://example.com/#x", "fragment"},
		{"webhook CRLF", "webhook:https://example.com/\r\nX-Evil: 1", "control character"},
		{"webhook NUL", "webhook:https://example.com/\x00", "control character"},
		{"slack http", "slack:http://hooks.slack.com/services/x", `URL scheme "http" not allowed`},
		{"slack user info", "slack:https://u:p@hooks.slack.com/services/x", "user info"},
		{"smtp no host", "smtp://?from=a@example.com&to=b@example.com", "no host"},
		{"smtp opaque", "smtp:mail.example.com?from=a@example.com&to=b@example.com", "want smtp://host"},
		{"smtp no from", "smtp://mail.example.com?to=b@example.com", "want from="},
		{"smtp no to", "smtp://mail.example.com?from=a@example.com", "want from="},
		{"smtp two from", "smtp://mail.example.com?from=a@example.com&from=c@example.com&to=b@example.com", "exactly one from="},
		{"smtp CRLF in to", "smtp://mail.example.com?from=a@example.com&to=b@example.com%0d%0aBcc:%20evil@example.net", "control character in address"},
		{"smtp LF in from", "smtp://mail.example.com?from=a@example.com%0aSubject:x&to=b@example.com", "control character in address"},
		{"smtp CR in password", "smtp://u:p%0d@mail.example.com?from=a@example.com&to=b@example.com", "control characters"},
		{"smtp display name", "smtp://mail.example.com?from=Eve%20%3Ca@example.com%3E&to=b@example.com", "not a bare e-mail address"},
		{"smtp not an address", "smtp://mail.example.com?from=a@example.com&to=nobody", "not a bare e-mail address"},
		{"smtp IP domain", "smtp://mail.example.com?from=a@example.com&to=b@[127.0.0.1]", "domain is not a DNS name"},
		{"smtp unknown parameter", "smtp://mail.example.com?from=a@example.com&to=b@example.com&cc=c@example.com", `unknown parameter "cc"`},
		{"smtp bad starttls", "smtp://mail.example.com?from=a@example.com&to=b@example.com&starttls=maybe", "require or opportunistic"},
		{"smtps starttls", "smtps://mail.example.com?from=a@example.com&to=b@example.com&starttls=require", "does not apply"},
		{"smtp path", "smtp://mail.example.com/inbox?from=a@example.com&to=b@example.com", "path not allowed"},
		{"smtp too many", "smtp://mail.example.com?from=a@example.com" + strings.Repeat("&to=b@example.com", 21), "more than 20"},
		{"too long", "webhook:https://example.com/" + strings.Repeat("a", 3000), "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, err := Parse(tt.spec)
			if err == nil {
				t.Fatalf("Parse accepted it: %v", target)
			}
			if !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want ErrSpec containing %q", err, tt.want)
			}
		})
	}
}

// TestParseErrorHidesPassword: an error about a spec never quotes the
// password in it.
func TestParseErrorHidesPassword(t *testing.T) {
	for _, spec := range []string{
		"smtp://u:hunter2@mail.example.com?from=a@example.com",
		"smtp://u:hunter2@mail.example.com:0?from=a@example.com&to=b@example.com",
		"webhook:https://u:hunter2@example.com:0/",
	} {
		_, err := Parse(spec)
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Parse(%q) error = %v", spec, err)
		}
	}
}

func TestKinds(t *testing.T) {
	var schemes []string
	for _, k := range Kinds() {
		schemes = append(schemes, k.Scheme)
		if _, err := Parse(k.Example); err != nil {
			t.Errorf("example of %s: %v", k.Scheme, err)
		}
	}
	if got := strings.Join(schemes, " "); got != "slack smtp smtps webhook" {
		t.Errorf("Kinds = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"webhook:https://example.com/hook?x=1",
		"slack:https://hooks.slack.com/services/T/B/X",
		"smtp://u:p@mail.example.com:587?from=a@example.com&to=b@example.com&starttls=require",
		"smtps://[::1]?from=a@example.com&to=b@example.com",
		"webhook:http://a:b@127.0.0.1:1/%0d%0a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		target, err := Parse(spec)
		if err != nil {
			if !errors.Is(err, ErrSpec) {
				t.Fatalf("error %v does not wrap ErrSpec", err)
			}
			return
		}
		red := target.String()
		if strings.ContainsFunc(red, isControl) || strings.ContainsFunc(target.Spec(), isControl) {
			t.Fatalf("control character in %q", red)
		}
		if s, ok := target.(*smtpTarget); ok {
			if s.password != "" && len(s.password) > 3 && strings.Contains(red, s.password) {
				t.Fatalf("redacted %q shows the password", red)
			}
			for _, a := range append([]string{s.from}, s.to...) {
				if _, err := address(a); err != nil {
					t.Fatalf("accepted address %q: %v", a, err)
				}
			}
		}
		again, err := Parse(target.Spec())
		if err != nil || again.String() != red {
			t.Fatalf("Parse(Spec()) = %v, %v; want %q", again, err, red)
		}
	})
}
