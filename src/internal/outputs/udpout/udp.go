//go:build !cloud && !js

// Package udpout is the udpout output: one datagram per event through a
// delivery.Stream UDP socket (sent in batches, one sendmmsg(2) per up to
// 256 datagrams on Linux: delivery/datagram.go).
package udpout

// udpout sends each event as one datagram, _raw without trailing
// whitespace + "\n", to udpDestinationHost:udpDestinationPort
// (127.0.0.1:3333), as Eventgen 7.2.1 did. An event larger than a UDP
// datagram can carry is truncated (a warning, and a count at Close).

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Open is the udpout Opener.
func Open(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
	log := env.Log
	addr, err := outputs.Addr(s, "udpDestinationHost", "udpDestinationPort")
	if err != nil {
		return nil, err
	}
	return &outputs.Output{Enc: delivery.LineEncoder{}, Dst: delivery.NewStream("udpout udp://"+addr, "udp", addr, delivery.WireLine, log), Key: "udpout:" + addr, DefaultQueueBytes: output.StreamQueueBytes}, nil
}
