package monitor

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/safeguard-dev/safeguard/internal/netpolicy"
	"github.com/safeguard-dev/safeguard/internal/notify"
	"github.com/safeguard-dev/safeguard/internal/pypi"
)

// PyPIClient returns the client the monitor reads PyPI with: the journal,
// the JSON API and the files go only to PyPI's own origin (on whatever
// address the operator's --pypi-url names) and to PyPI's file hosts, over
// http(s), never to another non-global address unless allow lets it —
// the same policy as the index's, checked on the address dialled and on
// every redirect, so a JSON API answer pointing a file at an internal
// host or the cloud metadata address fetches nothing.
func PyPIClient(base string, allow []string) (*pypi.Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--pypi-url %q: want an http(s) URL", base)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	pol := netpolicy.DefaultFileFetch()
	pol.Allow = append([]string{net.JoinHostPort(u.Hostname(), port)}, allow...)
	hc, err := pol.Client()
	if err != nil {
		return nil, fmt.Errorf("--allow-file-host: %w", err)
	}
	return pypi.New(strings.TrimSuffix(base, "/"), hc), nil
}

// NotifyConfig returns the configuration notifications are sent with:
// webhook and Slack requests and SMTP connections never reach link-local
// addresses (cloud metadata) unless allow lets them; private ones are
// allowed and logged (internal chat bots are common).
func NotifyConfig(allow []string) (notify.Config, error) {
	pol := netpolicy.DefaultNotify()
	pol.Allow = append(pol.Allow, allow...)
	g, err := netpolicy.New(pol)
	if err != nil {
		return notify.Config{}, fmt.Errorf("--allow-notify-host: %w", err)
	}
	hc, err := pol.Client()
	if err != nil {
		return notify.Config{}, err
	}
	return notify.Config{HTTP: hc, Dial: g.DialContext, Timeout: notify.DefaultTimeout}, nil
}
