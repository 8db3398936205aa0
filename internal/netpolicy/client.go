package netpolicy

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Client returns an HTTP client that fetches only what g allows: every
// request's URL is checked (the first and each redirect's), redirects are
// capped, and every connection's address is checked as it is dialled. t
// carries the caller's tuning (nil: a clone of http.DefaultTransport);
// Client replaces its dial functions and its Proxy (none: a proxy would
// resolve names where the check cannot see them), and t must not be used
// elsewhere.
func (g *Guard) Client(t *http.Transport) *http.Client {
	if t == nil {
		t = http.DefaultTransport.(*http.Transport).Clone()
	}
	t.Proxy = nil
	t.Dial, t.DialTLS, t.DialTLSContext = nil, nil, nil
	t.DialContext = g.DialContext
	return &http.Client{Transport: checked{g, t}, CheckRedirect: g.checkRedirect}
}

// Client returns a client holding to p (see Guard.Client), for callers
// that need nothing else from the policy.
func (p Policy) Client() (*http.Client, error) {
	g, err := New(p)
	if err != nil {
		return nil, err
	}
	return g.Client(nil), nil
}

// checked refuses a request whose URL the policy does not allow before it
// reaches the transport.
type checked struct {
	g    *Guard
	next http.RoundTripper
}

func (c checked) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := c.g.CheckURL(r.URL); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	return c.next.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (c checked) CloseIdleConnections() {
	if t, ok := c.next.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

func (g *Guard) checkRedirect(r *http.Request, via []*http.Request) error {
	if len(via) > g.max {
		return &RefusedError{What: r.URL.Redacted(), Reason: fmt.Sprintf("more than %d redirects", g.max)}
	}
	if err := g.CheckURL(r.URL); err != nil {
		return fmt.Errorf("redirect from %s: %w", via[len(via)-1].URL.Redacted(), err)
	}
	return nil
}

// DialContext dials addr ("host:port") as net.Dialer does, and refuses,
// before connecting, an address the name resolved to that the policy
// does not allow. It is the check on the address actually dialled.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	host = canonicalHost(host)
	named := listed(g.allow, host, port)
	d := net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
		Resolver:  g.resolver,
		Control: func(_, address string, _ syscall.RawConn) error {
			if named {
				return nil
			}
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &RefusedError{What: addr, Reason: fmt.Sprintf("dialled %q, not an address", address)}
			}
			if g.allowedIP(ap.Addr()) {
				return nil
			}
			return g.checkIP(fmt.Sprintf("%s (%s)", addr, ap.Addr()), ap.Addr(), true)
		},
	}
	return d.DialContext(ctx, network, addr)
}
