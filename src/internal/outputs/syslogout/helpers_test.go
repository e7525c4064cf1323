//go:build !cloud && !js

package syslogout

import (
	"log/slog"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Test helpers: receivers and samples (as delivery's stream tests have).

// stLog is the log the tests read messages from.
type stLog = streamtest.Log

func stLogger() (*slog.Logger, *stLog) { return streamtest.NewLog(slog.LevelDebug) }

// stSample returns a sample of the given output mode with settings.
func stSample(mode string, kv ...string) *config.Sample {
	return streamtest.Sample("stream.test", mode, kv...)
}

// stOpen opens a syslogout sample with short back-offs.
func stOpen(t testing.TB, s *config.Sample, log *slog.Logger) (*outputs.Output, *delivery.Stream) {
	t.Helper()
	if log == nil {
		log, _ = stLogger()
	}
	o, err := Open(s, outputs.Env{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	d := o.Dst.(*delivery.Stream)
	d.Backoff = delivery.Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	d.DialTimeout = time.Second
	t.Cleanup(func() { d.Abort(); d.Close() })
	return o, d
}
