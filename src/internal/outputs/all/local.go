//go:build !js

package all

import (
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/outputs/devnull"
	"github.com/eventgen-go/eventgen/src/internal/outputs/file"
	"github.com/eventgen-go/eventgen/src/internal/outputs/spool"
	"github.com/eventgen-go/eventgen/src/internal/outputs/stdout"
)

// The local outputs: every build has them (the js build their checks
// only, validate_js.go).
func init() {
	outputs.Register("modinput", stdout.OpenModinput, stdout.Validate)
	outputs.Register("stdout", stdout.Open, stdout.Validate)
	outputs.Register("devnull", devnull.Open, devnull.Validate)
	outputs.Register("file", file.Open, file.Validate)
	outputs.Register("spool", spool.Open, spool.Validate)
}
