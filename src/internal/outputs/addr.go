package outputs

import (
	"net"
	"strconv"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// Addr reads a host and a port setting (host names, IPv4 and IPv6
// addresses, with or without brackets) into host:port; it opens nothing.
func Addr(s *config.Sample, hostKey, portKey string) (string, error) {
	d := settings.NewDecoder(s.Values)
	addr := net.JoinHostPort(d.String(hostKey), strconv.Itoa(d.Port(portKey)))
	return addr, d.Err()
}
