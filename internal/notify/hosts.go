package notify

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// hostnameRegex is a DNS name: dot-separated labels of letters, digits and
// inner hyphens (underscores tolerated, as some internal names use them).
var hostnameRegex = regexp.MustCompile(`^(?i)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$`)

// checkHost checks the host and port of u: a DNS name or an IP literal,
// and a port, if any, from 1 to 65535.
func checkHost(u *url.URL) error {
	host := u.Hostname()
	if host == "" {
		return errors.New("no host")
	}
	if net.ParseIP(host) == nil && (len(host) > 253 || !hostnameRegex.MatchString(host)) {
		return fmt.Errorf("host %q is not a DNS name or an IP address", clip(host, 64))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q out of range", clip(p, 10))
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return errors.New("empty port")
	}
	return nil
}

// httpTarget is what webhook and Slack targets share: the spec and its URL.
type httpTarget struct {
	spec string
	url  *url.URL
}

func (h httpTarget) Spec() string { return h.spec }

// parseHTTPTarget reads "scheme:URL" where the URL has one of schemes.
func parseHTTPTarget(spec string, schemes ...string) (httpTarget, error) {
	_, raw, _ := strings.Cut(spec, ":")
	u, err := parseHTTPURL(raw, schemes...)
	return httpTarget{spec: spec, url: u}, err
}

// parseHTTPURL reads the URL of a webhook or Slack target: absolute,
// with one of the schemes allowed, a host, and no fragment.
func parseHTTPURL(raw string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok {
		return nil, fmt.Errorf("URL scheme %q not allowed (want %s)", clip(u.Scheme, 20), strings.Join(schemes, " or "))
	}
	if u.Opaque != "" {
		return nil, errors.New("URL has no //host")
	}
	if err := checkHost(u); err != nil {
		return nil, err
	}
	if u.Fragment != "" || u.RawFragment != "" || strings.Contains(raw, "#") {
		return nil, errors.New("URL has a fragment")
	}
	if u.User != nil && strings.ContainsFunc(u.User.String(), isControl) {
		return nil, errors.New("control character in user info")
	}
	return u, nil
}

// redactURL keeps the scheme, the user name and the host of u; a password
// becomes "***", and a path or query, which may hold tokens, becomes
// "/***".
func redactURL(u *url.URL) string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(url.PathEscape(u.User.Username()))
		if _, ok := u.User.Password(); ok {
			b.WriteString(":***")
		}
		b.WriteString("@")
	}
	b.WriteString(u.Host)
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery {
		b.WriteString("/***")
	}
	return b.String()
}
