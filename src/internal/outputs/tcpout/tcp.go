//go:build !cloud && !js

// Package tcpout is the tcpout output: one line per event over a
// delivery.Stream TCP connection.
package tcpout

// tcpout sends each event as a line, _raw without trailing whitespace +
// "\n", to tcpDestinationHost:tcpDestinationPort (127.0.0.1:3333) over
// one persistent TCP connection. Eventgen 7.2.1 opened a new connection
// per flush and let errors propagate; here the connection is opened on
// the first event, kept, and reopened with backoff after an error without
// losing the chunk being written (see stream.go).

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Open is the tcpout Opener.
func Open(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
	log := env.Log
	addr, err := outputs.Addr(s, "tcpDestinationHost", "tcpDestinationPort")
	if err != nil {
		return nil, err
	}
	return &outputs.Output{Enc: delivery.LineEncoder{}, Dst: delivery.NewStream("tcpout tcp://"+addr, "tcp", addr, delivery.WireLine, log), Key: "tcpout:" + addr, DefaultQueueBytes: output.StreamQueueBytes}, nil
}
