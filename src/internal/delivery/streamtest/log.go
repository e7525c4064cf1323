package streamtest

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
)

// Log collects a text log, safely for concurrent use: the outputs' tests
// read the messages their output logged from it.
type Log = testlog.Buffer

// NewLog returns a logger at level writing into a new Log.
func NewLog(level slog.Level) (*slog.Logger, *Log) { return testlog.New(level) }

// Sample returns a sample of stanza with outputMode mode and the settings
// kv (key, value, key, value...), each on its own line of eventgen.conf
// from line 1, as the conf reader records them.
func Sample(stanza, mode string, kv ...string) *config.Sample {
	s := &config.Sample{Stanza: stanza, OutputMode: mode, Values: map[string]conf.Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Values[kv[i]] = conf.Value{Text: kv[i+1], File: "eventgen.conf", Line: i/2 + 1}
	}
	return s
}

// SlowHEC starts a HEC receiver on loopback that reads each request and
// answers Success after delay (a receiver with a known latency), and
// returns its port. It stops when the test ends.
func SlowHEC(t testing.TB, delay time.Duration) (port string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(delay)
		w.Write([]byte(`{"text":"Success","code":0}`))
	}))
	t.Cleanup(srv.Close)
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	return port
}
