//go:build !cloud && !js

package splunkstream

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Test helpers, as httpevent's tests have them.

// hecLogBuf is the log the tests read messages from.
type hecLogBuf = streamtest.Log

func hecTestLogger() (*slog.Logger, *hecLogBuf) { return streamtest.NewLog(slog.LevelInfo) }

// hecSample returns a sample of the given output mode with settings.
func hecSample(mode string, kv ...string) *config.Sample {
	return streamtest.Sample("test.stanza", mode, kv...)
}

// fast shortens the timings for tests.
func hecFast(o *delivery.Options) {
	o.Retry = delivery.Backoff{Min: 5 * time.Millisecond, Max: 20 * time.Millisecond}
	o.Down = delivery.Backoff{Min: 20 * time.Millisecond, Max: 100 * time.Millisecond}
	o.AckPoll = 20 * time.Millisecond
	o.CloseTimeout = 20 * time.Second
}

// hecSubmit submits evs in batches filled as the engine fills them.
func hecSubmit(w *output.Writer, enc output.Encoder, evs []output.Event) error {
	return streamtest.Submit(w, enc, evs, 0)
}

// hecSend writes evs through o with an output.Writer and closes it.
func hecSend(t testing.TB, o *outputs.Output, evs []output.Event) error {
	t.Helper()
	w := output.NewWriter(o.Dst, 0)
	err := hecSubmit(w, o.Enc, evs)
	return errors.Join(err, w.Close())
}

func hecStats(o *outputs.Output) delivery.Stats {
	return o.Dst.(interface{ Stats() delivery.Stats }).Stats()
}

var hecT0 = time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)
