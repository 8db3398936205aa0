package netpolicy

import "net/netip"

// Class is the kind of address an IP is, for the policy: Global or one of
// the non-global kinds.
type Class string

// The classes of addresses.
const (
	Global      Class = "global"
	Loopback    Class = "loopback"
	LinkLocal   Class = "link-local"
	Private     Class = "private"
	UniqueLocal Class = "unique-local"
	Shared      Class = "shared"
	Multicast   Class = "multicast"
	Unspecified Class = "unspecified"
	Reserved    Class = "reserved"
)

// special is one non-global range and what it is.
type special struct {
	prefix netip.Prefix
	class  Class
	note   string
}

// specials are the non-global ranges (IANA's IPv4 and IPv6 special-purpose
// registries, "globally reachable: false", and what they embed), most
// specific first. IPv4-mapped IPv6 addresses are classified as the IPv4
// address they carry, NAT64 ones by the IPv4 address they translate to.
var specials = func() []special {
	table := []struct{ cidr, class, note string }{
		{"0.0.0.0/32", string(Unspecified), "0.0.0.0"},
		{"0.0.0.0/8", string(Reserved), "0.0.0.0/8, this network"},
		{"10.0.0.0/8", string(Private), "10.0.0.0/8"},
		{"100.64.0.0/10", string(Shared), "100.64.0.0/10, carrier-grade NAT"},
		{"127.0.0.0/8", string(Loopback), "127.0.0.0/8"},
		{"169.254.0.0/16", string(LinkLocal), "169.254.0.0/16, where cloud metadata services answer"},
		{"172.16.0.0/12", string(Private), "172.16.0.0/12"},
		{"192.0.0.0/24", string(Reserved), "192.0.0.0/24, IETF protocol assignments"},
		{"192.0.2.0/24", string(Reserved), "192.0.2.0/24, documentation"},
		{"192.88.99.0/24", string(Reserved), "192.88.99.0/24, 6to4 relay"},
		{"192.168.0.0/16", string(Private), "192.168.0.0/16"},
		{"198.18.0.0/15", string(Reserved), "198.18.0.0/15, benchmarking"},
		{"198.51.100.0/24", string(Reserved), "198.51.100.0/24, documentation"},
		{"203.0.113.0/24", string(Reserved), "203.0.113.0/24, documentation"},
		{"224.0.0.0/4", string(Multicast), "224.0.0.0/4"},
		{"255.255.255.255/32", string(Reserved), "broadcast"},
		{"240.0.0.0/4", string(Reserved), "240.0.0.0/4, reserved for future use"},

		{"::/128", string(Unspecified), "::"},
		{"::1/128", string(Loopback), "::1"},
		{"::/96", string(Reserved), "::/96, IPv4-compatible (deprecated)"},
		{"64:ff9b:1::/48", string(Reserved), "64:ff9b:1::/48, local-use NAT64"},
		{"100::/64", string(Reserved), "100::/64, discard"},
		{"2001::/23", string(Reserved), "2001::/23, IETF protocol assignments (Teredo among them)"},
		{"2001:db8::/32", string(Reserved), "2001:db8::/32, documentation"},
		{"2002::/16", string(Reserved), "2002::/16, 6to4 (deprecated)"},
		{"3fff::/20", string(Reserved), "3fff::/20, documentation"},
		{"5f00::/16", string(Reserved), "5f00::/16, segment routing"},
		{"fc00::/7", string(UniqueLocal), "fc00::/7"},
		{"fe80::/10", string(LinkLocal), "fe80::/10"},
		{"fec0::/10", string(Reserved), "fec0::/10, site-local (deprecated)"},
		{"ff00::/8", string(Multicast), "ff00::/8"},
	}
	out := make([]special, len(table))
	for i, e := range table {
		out[i] = special{netip.MustParsePrefix(e.cidr), Class(e.class), e.note}
	}
	return out
}()

// nat64 is the well-known NAT64 prefix: its addresses reach the IPv4
// address in their last 32 bits.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// Classify returns the class of ip.
func Classify(ip netip.Addr) Class {
	c, _ := classify(ip)
	return c
}

// classify returns the class of ip and the range that gave it ("" for
// global addresses).
func classify(ip netip.Addr) (Class, string) {
	if !ip.IsValid() {
		return Unspecified, "not an address"
	}
	ip = ip.WithZone("") // a zoned address is in no prefix
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		v4 := netip.AddrFrom4([4]byte(b[12:]))
		if c, note := classify(v4); c != Global {
			return c, note + ", reached through NAT64 64:ff9b::/96"
		}
		return Global, ""
	}
	for _, s := range specials {
		if s.prefix.Contains(ip) {
			return s.class, s.note
		}
	}
	return Global, ""
}
