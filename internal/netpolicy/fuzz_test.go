package netpolicy

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Any URL a page can hold: the check never panics, and what it allows is
// http or https, on a listed host, and never a non-global IP literal that
// no rule allows.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://files.pythonhosted.org/x.whl", "http://169.254.169.254/", "http://[::ffff:127.0.0.1]:80/",
		"file:///etc/passwd", "http://[fe80::1%25eth0]/", "HTTP://FILES.PYTHONHOSTED.ORG./", "http://0x7f000001/", "http://127.1/", "//x/y"} {
		f.Add(s)
	}
	fg, ng := testGuards(f)
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		for _, g := range []*Guard{fg, ng} {
			if g.CheckURL(u) != nil {
				continue
			}
			if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
				t.Fatalf("%q allowed with scheme %q", raw, u.Scheme)
			}
			host := canonicalHost(u.Hostname())
			if g == fg && !slices.Contains([]string{"files.pythonhosted.org", "index.internal", "mirror.internal", "fd00::5"}, host) && !strings.HasPrefix(host, "10.1.") {
				t.Fatalf("%q allowed with host %q", raw, host)
			}
			if ip, err := netip.ParseAddr(host); err == nil {
				if c := Classify(ip); g == ng && (c == LinkLocal || c == Multicast || c == Unspecified || c == Reserved) {
					t.Fatalf("%q allowed: %s address", raw, c)
				}
			}
		}
	})
}
