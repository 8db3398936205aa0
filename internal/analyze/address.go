package analyze

import "strings"

// isPrivateOrLocal reports a URL whose host is a loopback, private or
// link-local IPv4 address: no server of an attacker.
func isPrivateOrLocal(u string) bool {
	host := u[strings.Index(u, "://")+3:]
	for _, p := range []string{"127.", "0.0.0.0", "10.", "192.168.", "169.254.", "172.16.", "172.17.", "172.18.", "172.19.", "172.2", "172.30.", "172.31."} {
		if strings.HasPrefix(host, p) {
			return true
		}
	}
	return false
}
