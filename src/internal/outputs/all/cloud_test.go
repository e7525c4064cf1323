//go:build cloud

package all

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// TestCloudBuildHasNoHTTPOutputs checks that -tags cloud compiles the HTTP
// outputs out: opening them answers outputs.ErrNotAvailable, naming the mode.
func TestCloudBuildHasNoHTTPOutputs(t *testing.T) {
	for _, mode := range []string{"httpevent", "metric_httpevent", "splunkstream"} {
		_, err := outputs.Open(&config.Sample{Stanza: "s", OutputMode: mode}, outputs.Env{})
		if !errors.Is(err, outputs.ErrNotAvailable) || !strings.Contains(err.Error(), mode) {
			t.Errorf("%s: %v", mode, err)
		}
		for _, m := range outputs.Available() {
			if m == mode {
				t.Errorf("%s registered in the cloud build", mode)
			}
		}
	}
}
