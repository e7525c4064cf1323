package generate

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestUnknownGenerator(t *testing.T) {
	_, err := New(&config.Sample{Generator: "lua"}, rand.New(rand.NewPCG(1, 1)), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "lua") {
		t.Fatalf("err = %v", err)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	f := func(Params) (any, error) { return nil, nil }
	Register("test-twice", f)
	t.Cleanup(func() { unregister("test-twice") }) // -count=N reruns the test
	defer func() {
		if recover() == nil {
			t.Fatal("second Register of a name did not panic")
		}
	}()
	Register("test-twice", f)
}

func TestOpenRejectsWhatIsNeitherGeneratorNorReplayer(t *testing.T) {
	Register("test-neither", func(Params) (any, error) { return 42, nil })
	t.Cleanup(func() { unregister("test-neither") })
	if _, _, err := Open(Params{Sample: &config.Sample{Generator: "test-neither"}}); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Fatalf("err = %v", err)
	}
}

// unregister removes a test's registration.
func unregister(name string) {
	regMu.Lock()
	defer regMu.Unlock()
	delete(registry, name)
}
