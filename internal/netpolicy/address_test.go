package netpolicy

import (
	"net/netip"
	"testing"
)

func TestClassify(t *testing.T) {
	for addr, want := range map[string]Class{
		"8.8.8.8":         Global,
		"151.101.0.223":   Global, // files.pythonhosted.org
		"0.0.0.0":         Unspecified,
		"0.1.2.3":         Reserved,
		"10.0.0.1":        Private,
		"10.255.255.255":  Private,
		"100.64.0.1":      Shared,
		"100.127.255.255": Shared,
		"100.128.0.1":     Global,
		"127.0.0.1":       Loopback,
		"127.9.9.9":       Loopback,
		"169.254.169.254": LinkLocal,
		"172.16.0.1":      Private,
		"172.31.255.255":  Private,
		"172.32.0.1":      Global,
		"192.0.0.8":       Reserved,
		"192.0.2.1":       Reserved,
		"192.88.99.1":     Reserved,
		"192.168.1.1":     Private,
		"198.18.0.1":      Reserved,
		"198.51.100.1":    Reserved,
		"203.0.113.1":     Reserved,
		"224.0.0.1":       Multicast,
		"239.255.255.250": Multicast,
		"240.0.0.1":       Reserved,
		"255.255.255.255": Reserved,

		"2606:4700::1111":           Global,
		"::":                        Unspecified,
		"::1":                       Loopback,
		"::127.0.0.1":               Reserved, // IPv4-compatible
		"::ffff:127.0.0.1":          Loopback,
		"::ffff:169.254.169.254":    LinkLocal,
		"::ffff:10.0.0.1":           Private,
		"::ffff:100.64.0.1":         Shared,
		"::ffff:0.0.0.0":            Unspecified,
		"::ffff:8.8.8.8":            Global,
		"64:ff9b::a9fe:a9fe":        LinkLocal, // NAT64 to 169.254.169.254
		"64:ff9b::7f00:1":           Loopback,
		"64:ff9b::808:808":          Global,
		"64:ff9b:1::1":              Reserved,
		"100::1":                    Reserved,
		"2001::1":                   Reserved, // Teredo
		"2001:db8::1":               Reserved,
		"2002:a9fe:a9fe::1":         Reserved, // 6to4
		"3fff::1":                   Reserved,
		"fc00::1":                   UniqueLocal,
		"fd12:3456::1":              UniqueLocal,
		"fe80::1":                   LinkLocal,
		"fe80::1%eth0":              LinkLocal,
		"febf::1":                   LinkLocal,
		"fec0::1":                   Reserved,
		"ff02::1":                   Multicast,
		"fd00:ec2::254":             UniqueLocal, // AWS metadata over IPv6
		"[::ffff:169.254.169.254]":  Unspecified, // not an address at all
		"::ffff:a9fe:a9fe":          LinkLocal,
		"0:0:0:0:0:ffff:7f00:0001":  Loopback,
		"2001:4860:4860::8888":      Global,
		"2a00:1450:4001:80b::200e":  Global,
		"fe80::a9fe:a9fe%25enp0s31": LinkLocal,
	} {
		ip, _ := netip.ParseAddr(addr)
		if got := Classify(ip); got != want {
			t.Errorf("Classify(%s) = %s, want %s", addr, got, want)
		}
	}
}
