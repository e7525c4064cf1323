//go:build !cloud && !js

package all

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

func TestRegistry(t *testing.T) {
	for _, m := range []string{"httpevent", "metric_httpevent", "splunkstream"} {
		if !slices.Contains(outputs.Available(), m) {
			t.Errorf("%s not registered: %v", m, outputs.Available())
		}
	}
	if !slices.IsSorted(outputs.Available()) {
		t.Error("not sorted")
	}
	_, err := outputs.Open(&config.Sample{Stanza: "s", OutputMode: "nosuch"}, outputs.Env{})
	if !errors.Is(err, outputs.ErrNotAvailable) || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("err %v", err)
	}
}
