package netpolicy

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// ErrRefused is the error of every fetch the policy refuses:
// errors.Is(err, ErrRefused). The error itself is a *RefusedError.
var ErrRefused = errors.New("refused by the fetch policy")

// RefusedError says what was refused and why.
type RefusedError struct {
	// What is the URL, or the host and the address dialled.
	What string
	// Reason says which rule refused it.
	Reason string
	// Allowable is true when allowing the host or range (Policy.Allow)
	// would let it through; a scheme or the redirect cap cannot be.
	Allowable bool
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("fetch of %s refused: %s", e.What, e.Reason)
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// DefaultMaxRedirects is how many redirects a fetch follows by default.
const DefaultMaxRedirects = 5

// Policy is what a client may fetch. The zero value allows any host with
// a global address over http and https.
type Policy struct {
	// Hosts, when not nil, are the only hosts URLs may name: "host" (any
	// port) or "host:port". An address these names resolve to is still
	// checked. Hosts in Allow may be named too.
	Hosts []string
	// Allow are hosts ("host", "host:port") and ranges (a CIDR or one IP)
	// the operator allows: they may be named, and their addresses may be
	// non-global.
	Allow []string
	// Log are the non-global classes that are allowed, each dial logged;
	// the other non-global classes are refused.
	Log []Class
	// MaxRedirects caps the redirects of one fetch (0: DefaultMaxRedirects).
	MaxRedirects int
	// Logger hears of dials to the classes in Log (nil: slog.Default()).
	Logger *slog.Logger
	// Resolver looks names up (nil: net.DefaultResolver). The address it
	// gives is the one checked.
	Resolver *net.Resolver
}

// DefaultFileHosts are the hosts distribution files are fetched from
// besides the index's own origin: PyPI's file host.
var DefaultFileHosts = []string{"files.pythonhosted.org"}

// DefaultFileFetch is the policy for index pages and distribution files:
// the hosts DefaultFileHosts (callers add the index's own origin to Allow
// or Hosts), and no non-global address unless allowed.
func DefaultFileFetch() Policy {
	return Policy{Hosts: slices.Clone(DefaultFileHosts), MaxRedirects: DefaultMaxRedirects}
}

// DefaultNotify is the policy for notification targets: any host; private,
// unique-local, shared and loopback addresses allowed (internal chat bots
// are common) and logged; link-local (cloud metadata), multicast and the
// other non-global addresses refused unless allowed.
func DefaultNotify() Policy {
	return Policy{Log: []Class{Private, UniqueLocal, Shared, Loopback}, MaxRedirects: DefaultMaxRedirects}
}

// Guard is a Policy ready to check URLs and dials.
type Guard struct {
	hosts    map[string]bool // nil: any host; "host" or "host port"
	allow    map[string]bool // "host" or "host port"
	prefixes []netip.Prefix
	log      []Class
	max      int
	logger   *slog.Logger
	resolver *net.Resolver
}

// New checks p and returns its Guard. An Allow or Hosts entry that is not
// a host, host:port, IP or CIDR is an error.
func New(p Policy) (*Guard, error) {
	g := &Guard{allow: map[string]bool{}, log: slices.Clone(p.Log), max: p.MaxRedirects, logger: p.Logger, resolver: p.Resolver}
	if g.max == 0 {
		g.max = DefaultMaxRedirects
	}
	if g.logger == nil {
		g.logger = slog.Default()
	}
	if p.Hosts != nil {
		g.hosts = map[string]bool{}
		for _, h := range p.Hosts {
			key, err := hostKey(h)
			if err != nil {
				return nil, err
			}
			g.hosts[key] = true
		}
	}
	for _, a := range p.Allow {
		if pfx, err := netip.ParsePrefix(a); err == nil {
			g.prefixes = append(g.prefixes, pfx.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(a); err == nil {
			g.prefixes = append(g.prefixes, netip.PrefixFrom(ip.Unmap().WithZone(""), ip.Unmap().BitLen()))
			continue
		}
		key, err := hostKey(a)
		if err != nil {
			return nil, err
		}
		g.allow[key] = true
	}
	return g, nil
}

// hostKey reads "host" or "host:port" as a map key.
func hostKey(s string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("allowed host %q: %s; want HOST, HOST:PORT, an IP or a CIDR range", s, why)
	}
	if strings.Contains(s, "/") || strings.Contains(s, "@") {
		return "", bad("not a host")
	}
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", bad("not a port")
		}
		host, port = h, p
	}
	host = canonicalHost(host)
	if host == "" || strings.ContainsAny(host, " :[]") && !isIP(host) {
		return "", bad("not a host")
	}
	if port != "" {
		return host + " " + port, nil
	}
	return host, nil
}

// canonicalHost is host lower-cased without a trailing dot, or the
// canonical form of an IP.
func canonicalHost(host string) string {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// listed reports host (canonical) and port in a host set.
func listed(set map[string]bool, host, port string) bool {
	return set[host] || set[host+" "+port]
}

// allowedIP reports an address in an allowed range.
func (g *Guard) allowedIP(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, p := range g.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// CheckURL refuses a URL the policy does not let a client fetch: a scheme
// other than http and https, a host not listed, or an IP literal that is
// not global and not allowed. Names are checked again, on the address
// they resolve to, when they are dialled.
func (g *Guard) CheckURL(u *url.URL) error {
	refuse := func(format string, args ...any) error {
		return &RefusedError{What: u.Redacted(), Reason: fmt.Sprintf(format, args...), Allowable: true}
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return &RefusedError{What: u.Redacted(), Reason: fmt.Sprintf("scheme %q: only http and https are fetched", u.Scheme)}
	}
	if u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return &RefusedError{What: u.Redacted(), Reason: "no host"}
	}
	host, port := canonicalHost(u.Hostname()), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	if listed(g.allow, host, port) {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && g.allowedIP(ip) {
		return nil
	}
	if g.hosts != nil && !listed(g.hosts, host, port) {
		return refuse("host %s is not on the list of hosts fetched from", u.Host)
	}
	if err == nil {
		return g.checkIP(u.Host, ip, false)
	}
	return nil
}

// checkIP refuses a non-global address unless its class is logged (and
// logs it when dialled is true).
func (g *Guard) checkIP(what string, ip netip.Addr, dialled bool) error {
	class, note := classify(ip)
	if class == Global {
		return nil
	}
	if slices.Contains(g.log, class) {
		if dialled {
			g.logger.Info("fetch from a non-global address", "host", what, "address", ip.String(), "class", string(class))
		}
		return nil
	}
	return &RefusedError{What: what, Reason: fmt.Sprintf("%s is a %s address (%s), not allowed", ip, class, note), Allowable: true}
}
