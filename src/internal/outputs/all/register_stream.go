//go:build !cloud && !js

package all

import (
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/outputs/syslogout"
	"github.com/eventgen-go/eventgen/src/internal/outputs/tcpout"
	"github.com/eventgen-go/eventgen/src/internal/outputs/udpout"
)

func init() {
	outputs.Register("syslogout", syslogout.Open, syslogout.Validate)
	outputs.Register("tcpout", tcpout.Open, tcpout.Validate)
	outputs.Register("udpout", udpout.Open, udpout.Validate)
}
