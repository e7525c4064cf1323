package all

import (
	"slices"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
)

// TestEverySupportedGeneratorIsRegistered keeps the registry and the
// names the configuration accepts in step.
func TestEverySupportedGeneratorIsRegistered(t *testing.T) {
	have := generate.Available()
	for _, name := range config.SupportedGenerators {
		if !slices.Contains(have, name) {
			t.Errorf("generator %q is accepted by config but not registered (registered: %v)", name, have)
		}
	}
}
