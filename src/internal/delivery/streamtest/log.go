package streamtest

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// Log collects a text log, safely for concurrent use: the outputs' tests
// read the messages their output logged from it.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// NewLog returns a logger at level writing into a new Log.
func NewLog(level slog.Level) (*slog.Logger, *Log) {
	l := &Log{}
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: level})), l
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Count returns how many times s occurs in the log.
func (l *Log) Count(s string) int { return strings.Count(l.String(), s) }

// Lines returns the log lines that contain all of subs.
func (l *Log) Lines(subs ...string) []string {
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
