//go:build !cloud

package status

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/splunk"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// TestStatusDeliveryFields: a stanza sending to a HEC receiver that
// answers after a known delay shows what the receiver took per second, no
// request in flight once done, and a latency of at least the delay; a
// stanza written to splunkd shows what it wrote, and zeros.
func TestStatusDeliveryFields(t *testing.T) {
	const delay = 20 * time.Millisecond
	port := streamtest.SlowHEC(t, delay)
	home := t.TempDir()
	app := filepath.Join(home, "etc", "apps", "TA-d")
	os.MkdirAll(filepath.Join(app, "default"), 0o755)
	os.MkdirAll(filepath.Join(app, "samples"), 0o755)
	for _, n := range []string{"hec.log", "local.log"} {
		os.WriteFile(filepath.Join(app, "samples", n), []byte("one line\n"), 0o644)
	}
	confText := fmt.Sprintf("[hec.log]\nend = 4\noutputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":%q,\"key\":\"k\"}]}\n"+
		"\n[local.log]\nend = 4\n", port)
	os.WriteFile(filepath.Join(app, "default", "eventgen.conf"), []byte(confText), 0o644)
	sources, _, err := splunk.DiskSources(home)
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load(sources, config.Options{Location: time.UTC})
	var out, logs bytes.Buffer
	e, problems := engine.Prepare(res.Samples, engine.Options{Stdout: &out, Format: "modinput", Clock: clock.NewSim(time.Unix(1e9, 0))})
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := New(logging.New(&logs, logging.Options{}))
	b.now = func() time.Time { return b.started.Add(2 * time.Second) }
	b.Configure(res, problems)
	b.Log(e, true)
	got := logs.String()
	for _, want := range []string{
		`stanza=hec.log app=TA-d sample=hec.log state=generating interval_events=1 interval_bytes=8 events=4 bytes=32 intervals=4`,
		`broken_tokens=0 warnings="" delivered_events_per_s=2.0 delivered_bytes_per_s=`,
		`stanza=local.log app=TA-d sample=local.log state=generating interval_events=1 interval_bytes=8 events=4 bytes=32 intervals=4`,
		`broken_tokens=0 warnings="" delivered_events_per_s=2.0 delivered_bytes_per_s=16.0 in_flight=0 retries=0 latency_ms=0.000`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	m := regexp.MustCompile(`stanza=hec\.log .* in_flight=(\d+) retries=(\d+) latency_ms=([0-9.]+)`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no delivery fields for hec.log:\n%s", got)
	}
	if ms, _ := strconv.ParseFloat(m[3], 64); m[1] != "0" || m[2] != "0" || ms < float64(delay/time.Millisecond) || ms > 2000 {
		t.Errorf("hec.log: in_flight=%s retries=%s latency_ms=%s; want 0, 0 and at least %v", m[1], m[2], m[3], delay)
	}
	// The next line covers only what happened since: nothing.
	logs.Reset()
	b.now = func() time.Time { return b.started.Add(4 * time.Second) }
	b.Log(e, true)
	if want := `delivered_events_per_s=0.0 delivered_bytes_per_s=0.0 in_flight=0 retries=0 latency_ms=0.000`; strings.Count(logs.String(), want) != 2 {
		t.Errorf("second round: want %q on both lines:\n%s", want, logs.String())
	}
}
