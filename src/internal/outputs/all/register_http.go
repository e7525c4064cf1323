//go:build !cloud && !js

package all

import (
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/outputs/httpevent"
	"github.com/eventgen-go/eventgen/src/internal/outputs/splunkstream"
)

func init() {
	outputs.Register("httpevent", httpevent.Open(false), httpevent.Validate(false))
	outputs.Register("metric_httpevent", httpevent.Open(true), httpevent.Validate(true))
	outputs.Register("splunkstream", splunkstream.Open, splunkstream.Validate)
}
