// Package loopback says whether a host names this machine: there, splunkd
// and Splunk's HEC listen with their self-signed default certificate
// (splunk-platform.md §2.4), so the outputs and the REST client accept it
// without splunkInsecure.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host (a host name or an IP address, IPv6 with or
// without brackets, as in a URL's host or a conf value) is "localhost", a
// name under ".localhost", or a loopback IP address. Other names are not
// resolved: what a name resolves to can change, the decision must not.
func Host(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
