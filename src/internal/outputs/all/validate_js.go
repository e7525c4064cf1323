package all

import (
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/outputs/devnull"
	"github.com/eventgen-go/eventgen/src/internal/outputs/file"
	"github.com/eventgen-go/eventgen/src/internal/outputs/spool"
	"github.com/eventgen-go/eventgen/src/internal/outputs/stdout"
)

// The js build (validate-wasm, the editor page's checks) registers each
// output's Validator and no Opener: it opens nothing, and leaving the
// Openers out leaves out what they link (delivery, net/http, crypto/tls,
// lumberjack). The same Validators as local.go and register_*.go
// (TestJSRegistersTheSameChecks).
func init() {
	outputs.Register("modinput", nil, stdout.Validate)
	outputs.Register("stdout", nil, stdout.Validate)
	outputs.Register("devnull", nil, devnull.Validate)
	outputs.Register("file", nil, file.Validate)
	outputs.Register("spool", nil, spool.Validate)
}
