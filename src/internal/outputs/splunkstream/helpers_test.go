//go:build !cloud

package splunkstream

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Test helpers, as httpevent's tests have them.

type hecLogBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *hecLogBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *hecLogBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines returns the log lines that contain all of subs.
func (l *hecLogBuf) lines(subs ...string) []string {
	var out []string
	for line := range strings.SplitSeq(l.String(), "\n") {
		ok := line != ""
		for _, s := range subs {
			ok = ok && strings.Contains(line, s)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

func hecTestLogger() (*slog.Logger, *hecLogBuf) {
	lb := &hecLogBuf{}
	return slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelInfo})), lb
}

// testSample returns a sample of the given output mode with settings.
func hecSample(mode string, kv ...string) *config.Sample {
	s := &config.Sample{Stanza: "test.stanza", OutputMode: mode, Values: map[string]conf.Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Values[kv[i]] = conf.Value{Text: kv[i+1], File: "eventgen.conf", Line: i + 1}
	}
	return s
}

// fast shortens the timings for tests.
func hecFast(o *delivery.Options) {
	o.Retry = delivery.Backoff{Min: 5 * time.Millisecond, Max: 20 * time.Millisecond}
	o.Down = delivery.Backoff{Min: 20 * time.Millisecond, Max: 100 * time.Millisecond}
	o.AckPoll = 20 * time.Millisecond
	o.CloseTimeout = 20 * time.Second
}

// submit encodes evs into whole-event chunks of about BufferSize, as the
// engine does, and submits them.
func hecSubmit(w *output.Writer, enc output.Encoder, evs []output.Event) error {
	buf := w.Buffer()
	for i := range evs {
		if len(buf.Buf) >= output.BufferSize {
			if err := w.Submit(buf); err != nil {
				return err
			}
			buf = w.Buffer()
		}
		buf.Add(enc, &evs[i])
	}
	return w.Submit(buf)
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
