//go:build !cloud

package netout

import "github.com/eventgen-go/eventgen/src/internal/config"

func init() {
	Register("syslogout", openSyslog, validateSyslog)
	Register("tcpout", openTCP, validateAddr("tcpDestinationHost", "tcpDestinationPort"))
	Register("udpout", openUDP, validateAddr("udpDestinationHost", "udpDestinationPort"))
}

// validateAddr checks the host and port settings of tcpout or udpout.
func validateAddr(hostKey, portKey string) Validator {
	return func(s *config.Sample) error { _, err := streamAddr(s, hostKey, portKey); return err }
}
