package engine

// The engine's tests run with every output this build has, as the
// commands do.
import _ "github.com/eventgen-go/eventgen/src/internal/outputs/all"
