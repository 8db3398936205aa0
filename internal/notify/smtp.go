package notify

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// smtpTarget sends the message as an e-mail.
type smtpTarget struct {
	spec     string
	implicit bool // smtps: TLS from the first byte
	require  bool // starttls=require: refuse a server without STARTTLS
	host     string
	port     int
	user     string
	password string
	hasPass  bool
	from     string
	to       []string
}

// maxRecipients caps the to= addresses of one target.
const maxRecipients = 20

func parseSMTP(spec string) (Target, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	if u.Opaque != "" || !strings.HasPrefix(spec, u.Scheme+"://") {
		return nil, errors.New("want smtp://host or smtps://host")
	}
	if err := checkHost(u); err != nil {
		return nil, err
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("path not allowed")
	}
	if u.Fragment != "" || strings.Contains(spec, "#") {
		return nil, errors.New("fragment not allowed")
	}
	t := &smtpTarget{spec: spec, implicit: u.Scheme == "smtps", host: u.Hostname(), port: 587}
	if t.implicit {
		t.port = 465
	}
	if p := u.Port(); p != "" {
		t.port, _ = strconv.Atoi(p) // checked by checkHost
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, t.hasPass = u.User.Password()
		if t.user == "" || strings.ContainsFunc(t.user+t.password, isControl) {
			return nil, errors.New("user name empty or with control characters")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, errors.New("query is not URL-encoded")
	}
	for key, vs := range q {
		switch key {
		case "from":
			if len(vs) != 1 {
				return nil, errors.New("want exactly one from=")
			}
			if t.from, err = address(vs[0]); err != nil {
				return nil, fmt.Errorf("from: %w", err)
			}
		case "to":
			if len(vs) > maxRecipients {
				return nil, fmt.Errorf("more than %d to= addresses", maxRecipients)
			}
			for _, v := range vs {
				a, err := address(v)
				if err != nil {
					return nil, fmt.Errorf("to: %w", err)
				}
				t.to = append(t.to, a)
			}
		case "starttls":
			if len(vs) != 1 || (vs[0] != "require" && vs[0] != "opportunistic") {
				return nil, errors.New("starttls= must be require or opportunistic")
			}
			if t.implicit {
				return nil, errors.New("starttls= does not apply to smtps (TLS from the start)")
			}
			t.require = vs[0] == "require"
		default:
			return nil, fmt.Errorf("unknown parameter %q (want from, to, starttls)", clip(key, 20))
		}
	}
	if t.from == "" || len(t.to) == 0 {
		return nil, errors.New("want from= and at least one to=")
	}
	return t, nil
}

// address checks one bare e-mail address: "a@example.com", no display
// name, no comments, no control characters, a domain that is a DNS name.
func address(s string) (string, error) {
	if strings.ContainsFunc(s, isControl) {
		return "", errors.New("control character in address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", fmt.Errorf("%q is not a bare e-mail address", clip(s, 64))
	}
	_, domain, _ := strings.Cut(s[strings.LastIndex(s, "@"):], "@")
	if net.ParseIP(domain) != nil || !hostnameRegex.MatchString(domain) {
		return "", fmt.Errorf("%q: domain is not a DNS name", clip(s, 64))
	}
	return s, nil
}

func (t *smtpTarget) Scheme() string {
	if t.implicit {
		return "smtps"
	}
	return "smtp"
}

func (t *smtpTarget) Spec() string { return t.spec }

// String shows the user but not the password.
func (t *smtpTarget) String() string {
	u := url.URL{Scheme: t.Scheme(), Host: net.JoinHostPort(t.host, strconv.Itoa(t.port))}
	if t.user != "" {
		u.User = url.User(t.user)
		if t.hasPass {
			u.User = url.UserPassword(t.user, "xxx")
		}
	}
	q := url.Values{"from": {t.from}, "to": t.to}
	if t.require {
		q.Set("starttls", "require")
	}
	u.RawQuery = strings.ReplaceAll(q.Encode(), "%40", "@") // '@' may stand in a query
	return strings.Replace(u.String(), ":xxx@", ":***@", 1)
}
