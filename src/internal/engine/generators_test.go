package engine

// The engine finds generators by name; its tests link them all in, as
// the commands do.
import _ "github.com/eventgen-go/eventgen/src/internal/generators/all"
