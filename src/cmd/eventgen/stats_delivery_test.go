//go:build !cloud

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// TestStatsLineDelivery: with a network output, the --stats line adds what
// the receiver took, the requests, and their mean round trip (at least the
// receiver's delay); the "done" line of the stanza says the same.
func TestStatsLineDelivery(t *testing.T) {
	const delay = 20 * time.Millisecond
	port := streamtest.SlowHEC(t, delay)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "default"), 0o755)
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("one line\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "default", "eventgen.conf"), fmt.Appendf(nil, "[a.log]\ncount = 2\nend = 3\noutputMode = httpevent\n"+
		"httpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":%q,\"key\":\"k\"}]}\n", port), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"generate", "--now", "2024-03-05T12:00:00Z", "--stats", dir}, &stdio{out: &out, err: &errb}); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	var line struct {
		Stats struct {
			Events          int64   `json:"events"`
			DeliveredEvents int64   `json:"delivered_events"`
			DeliveredPerS   float64 `json:"delivered_events_per_s"`
			Requests        int64   `json:"requests"`
			Retries         int64   `json:"retries"`
			InFlight        int64   `json:"in_flight"`
			LatencyMS       float64 `json:"latency_ms"`
		} `json:"stats"`
	}
	for _, l := range strings.Split(errb.String(), "\n") {
		if strings.HasPrefix(l, `{"stats"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	st := line.Stats
	if st.Events != 6 || st.DeliveredEvents != 6 || st.DeliveredPerS <= 0 || st.Requests < 1 || st.Retries != 0 || st.InFlight != 0 ||
		st.LatencyMS < float64(delay/time.Millisecond) || st.LatencyMS > 2000 {
		t.Fatalf("stats %+v, want 6 events delivered, no retry, none in flight, latency at least %v\n%s", st, delay, errb.String())
	}
	if !strings.Contains(errb.String(), "delivered_events=6") {
		t.Errorf("the done line lacks delivered_events=6:\n%s", errb.String())
	}
}
