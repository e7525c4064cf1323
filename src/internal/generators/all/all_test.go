package all

import (
	"slices"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
)

// TestSchemaNamesEveryGenerator keeps the registry and the generator
// names the schema documents (eventgen.conf.spec, and what the editor
// page accepts) in step: a new generator's name goes in the schema's
// "generator" values.
func TestSchemaNamesEveryGenerator(t *testing.T) {
	have, known := generate.Available(), config.KnownGenerators()
	slices.Sort(have)
	slices.Sort(known)
	if !slices.Equal(have, known) {
		t.Errorf("registered generators %v, schema's generator values %v", have, known)
	}
}
