//go:build !cloud

package all

import (
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/outputs/httpevent"
	"github.com/eventgen-go/eventgen/src/internal/outputs/splunkstream"
	"github.com/eventgen-go/eventgen/src/internal/outputs/syslogout"
	"github.com/eventgen-go/eventgen/src/internal/outputs/tcpout"
	"github.com/eventgen-go/eventgen/src/internal/outputs/udpout"
)

// The network outputs' checks for the js build (see validate_js.go).
func init() {
	outputs.Register("httpevent", nil, httpevent.Validate(false))
	outputs.Register("metric_httpevent", nil, httpevent.Validate(true))
	outputs.Register("splunkstream", nil, splunkstream.Validate)
	outputs.Register("syslogout", nil, syslogout.Validate)
	outputs.Register("tcpout", nil, tcpout.Validate)
	outputs.Register("udpout", nil, udpout.Validate)
}
