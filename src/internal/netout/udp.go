//go:build !cloud

package netout

// udpout sends each event as one datagram, _raw without trailing
// whitespace + "\n", to udpDestinationHost:udpDestinationPort
// (127.0.0.1:3333), as Eventgen 7.2.1 did. An event larger than a UDP
// datagram can carry is truncated (a warning, and a count at Close).

import (
	"log/slog"

	"github.com/eventgen-go/eventgen/src/internal/config"
)

// openUDP is the udpout Opener.
func openUDP(s *config.Sample, log *slog.Logger) (*Output, error) {
	addr, err := streamAddr(s, "udpDestinationHost", "udpDestinationPort")
	if err != nil {
		return nil, err
	}
	return &Output{Enc: streamLineEncoder{}, Dst: newStreamDst("udpout udp://"+addr, "udp", addr, streamWireLine, log), Key: "udpout:" + addr}, nil
}
