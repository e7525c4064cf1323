//go:build !js

package all

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Every build has the local outputs, opened through the same registry as
// the network ones.
func TestLocalOutputs(t *testing.T) {
	for _, m := range config.LocalOutputs {
		if !slices.Contains(outputs.Available(), m) {
			t.Errorf("%s not registered: %v", m, outputs.Available())
		}
	}
	raw, _ := output.NewEncoder("raw")
	dir := t.TempDir()
	for _, tc := range []struct {
		s       config.Sample
		env     outputs.Env
		key     string
		err     string
		flush   bool
		stdout  bool
		stanzas string
	}{
		{s: config.Sample{OutputMode: "stdout"}, err: "no standard output"},
		{s: config.Sample{OutputMode: "modinput"}, env: outputs.Env{Stdout: io.Discard, Format: raw, StreamStanza: "modinput_eventgen://default"}, key: "stdout", stdout: true, stanzas: "modinput_eventgen://default"},
		{s: config.Sample{OutputMode: "devnull"}, key: "devnull"},
		{s: config.Sample{OutputMode: "file", FileName: filepath.Join(dir, "f.log"), FileMaxBytes: 1 << 20}, key: "file:" + filepath.Join(dir, "f.log")},
		{s: config.Sample{OutputMode: "spool", SpoolDir: dir, SpoolFile: "s.log"}, key: "spool:" + filepath.Join(dir, "s.log"), flush: true},
	} {
		o, err := outputs.Open(&tc.s, tc.env)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.s.OutputMode, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.s.OutputMode, err)
		}
		if o.Key != tc.key || o.Flush != tc.flush || o.Stdout != tc.stdout || o.Stanza != tc.stanzas || o.Enc == nil || o.Open == nil {
			t.Errorf("%s: %+v", tc.s.OutputMode, o)
		}
		if err := outputs.Validate(&tc.s); err != nil {
			t.Errorf("%s: Validate: %v", tc.s.OutputMode, err)
		}
	}
}
