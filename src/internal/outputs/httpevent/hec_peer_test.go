//go:build !cloud && !js

package httpevent

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// Tests against the real HEC peer: the OpenTelemetry Collector's
// splunk_hec receiver wired to the file exporter (src/testpeers/hecpeer,
// built by scripts/hec-peer.sh), started on 127.0.0.1 with a free port.
// They compare what it wrote to received*.jsonl event by event. The peer
// differs from Splunk (splunk-platform.md §6.1): a wrong token gets 401
// plain text, ack ids start at 1; the Splunk-only answers are covered by
// the in-process fake (hecfake_test.go).

const hecPeerToken = "00000000-0000-0000-0000-000000000000"

// hecPeerBinary returns the peer's path, or skips the test.
func hecPeerBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("EVENTGEN_HEC_PEER"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("EVENTGEN_HEC_PEER: %v", err)
		}
		return p
	}
	cache := os.Getenv("EVENTGEN_PEER_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			t.Skip("run scripts/hec-peer.sh to build the OpenTelemetry HEC receiver")
		}
		cache = filepath.Join(home, ".cache", "eventgen-go")
	}
	p := filepath.Join(cache, "hecpeer-v0.145.0", "hecpeer")
	if _, err := os.Stat(p); err != nil {
		t.Skip("run scripts/hec-peer.sh to build the OpenTelemetry HEC receiver")
	}
	return p
}

// hecPeer is one running peer (restartable on the same port).
type hecPeer struct {
	t      testing.TB
	bin    string
	dir    string
	port   int
	starts int
	cmd    *exec.Cmd
	exited chan struct{}
	log    *hecLogBuf
}

func startHECPeer(t testing.TB) *hecPeer {
	t.Helper()
	p := &hecPeer{t: t, bin: hecPeerBinary(t), dir: t.TempDir()}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	p.start()
	t.Cleanup(p.stop)
	return p
}

// start starts the peer; each start writes its own received-N.jsonl.
func (p *hecPeer) start() {
	p.t.Helper()
	p.starts++
	cfg := fmt.Sprintf(`extensions:
  bearertokenauth/hec:
    scheme: "Splunk"
    token: %q
  ack:
receivers:
  splunk_hec:
    endpoint: 127.0.0.1:%d
    auth:
      authenticator: bearertokenauth/hec
    ack:
      extension: ack
exporters:
  file:
    path: %s
    flush_interval: 100ms
service:
  extensions: [bearertokenauth/hec, ack]
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [splunk_hec]
      exporters: [file]
`, hecPeerToken, p.port, filepath.Join(p.dir, fmt.Sprintf("received-%d.jsonl", p.starts)))
	path := filepath.Join(p.dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.log = &hecLogBuf{}
	p.cmd = exec.Command(p.bin, "--config=file:"+path)
	p.cmd.Stdout = p.log
	p.cmd.Stderr = p.log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.exited = make(chan struct{})
	go func(cmd *exec.Cmd, ch chan struct{}) { cmd.Wait(); close(ch) }(p.cmd, p.exited)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(p.log.String(), "Everything is ready") {
		select {
		case <-p.exited:
			p.t.Fatalf("the HEC peer exited:\n%s", p.log)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the HEC peer is not ready after 60 s:\n%s", p.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop stops the peer with SIGTERM (its exporter flushes), killing it
// after 15 s.
func (p *hecPeer) stop() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
	p.cmd = nil
}

func (p *hecPeer) servers(key string) string {
	return fmt.Sprintf(`{"servers":[{"protocol":"http","address":"127.0.0.1","port":"%d","key":%q}]}`, p.port, key)
}

// peerRecord is one event as the peer received it.
type peerRecord struct {
	raw                             string
	timeNs                          int64
	host, source, sourcetype, index string
}

type otlpKV struct {
	Key   string `json:"key"`
	Value struct {
		StringValue string `json:"stringValue"`
	} `json:"value"`
}

type otlpLine struct {
	ResourceLogs []struct {
		Resource struct {
			Attributes []otlpKV `json:"attributes"`
		} `json:"resource"`
		ScopeLogs []struct {
			LogRecords []struct {
				TimeUnixNano string   `json:"timeUnixNano"`
				Attributes   []otlpKV `json:"attributes"`
				Body         struct {
					StringValue string `json:"stringValue"`
				} `json:"body"`
			} `json:"logRecords"`
		} `json:"scopeLogs"`
	} `json:"resourceLogs"`
}

// received reads every received-N.jsonl. Stop the peer first, so that
// its exporter has flushed.
func (p *hecPeer) received() []peerRecord {
	p.t.Helper()
	var out []peerRecord
	for i := 1; i <= p.starts; i++ {
		f, err := os.Open(filepath.Join(p.dir, fmt.Sprintf("received-%d.jsonl", i)))
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			p.t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 256<<20)
		for sc.Scan() {
			var l otlpLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				p.t.Fatalf("received-%d.jsonl: %v", i, err)
			}
			for _, rl := range l.ResourceLogs {
				attrs := map[string]string{}
				for _, kv := range rl.Resource.Attributes {
					attrs[kv.Key] = kv.Value.StringValue
				}
				for _, sl := range rl.ScopeLogs {
					for _, lr := range sl.LogRecords {
						a := map[string]string{}
						for k, v := range attrs {
							a[k] = v
						}
						for _, kv := range lr.Attributes {
							a[kv.Key] = kv.Value.StringValue
						}
						ns, _ := strconv.ParseInt(lr.TimeUnixNano, 10, 64)
						out = append(out, peerRecord{raw: lr.Body.StringValue, timeNs: ns,
							host: a["host.name"], source: a["com.splunk.source"], sourcetype: a["com.splunk.sourcetype"], index: a["com.splunk.index"]})
					}
				}
			}
		}
		if err := sc.Err(); err != nil {
			p.t.Fatal(err)
		}
		f.Close()
	}
	return out
}

// peerEvents returns n events with varied metadata and content.
func peerEvents(prefix string, n int) []output.Event {
	base := time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)
	evs := make([]output.Event, n)
	for i := range evs {
		evs[i] = output.Event{
			Time:       base.Add(time.Duration(i)*7*time.Millisecond + 123*time.Millisecond),
			Raw:        fmt.Appendf(nil, `%s %07d 10.1.2.%d - - "GET /cart.do?a=b&c=%%22d%%22 HTTP/1.1" 200 "é 日本 \"q\" \\ tab	end"`, prefix, i, i%250),
			Host:       fmt.Sprintf("web%02d.example.com", i%7),
			Source:     []string{"/var/log/httpd/access_log", "eventgen"}[i%2],
			Sourcetype: []string{"access_combined", "st:two"}[i%3%2],
			Index:      []string{"main", "web"}[i%5%2],
			Stanza:     "peer",
		}
	}
	return evs
}

// comparePeer checks that got holds each of evs (exactly once unless
// atLeastOnce) with its _raw, time to the ms and metadata.
func comparePeer(t testing.TB, got []peerRecord, evs []output.Event, atLeastOnce bool) (dups int) {
	t.Helper()
	by := map[string][]peerRecord{}
	for _, r := range got {
		by[r.raw] = append(by[r.raw], r)
	}
	bad := 0
	for _, e := range evs {
		rs := by[string(e.Raw)]
		switch {
		case len(rs) == 0:
			bad++
			if bad <= 5 {
				t.Errorf("event %q not received", e.Raw)
			}
			continue
		case len(rs) > 1:
			dups += len(rs) - 1
			if !atLeastOnce {
				bad++
				if bad <= 5 {
					t.Errorf("event %q received %d times", e.Raw, len(rs))
				}
			}
		}
		r := rs[0]
		if ms := (r.timeNs + 500_000) / 1_000_000; ms != e.Time.UnixMilli() {
			t.Errorf("event %q: time %d ns, want %d ms", e.Raw, r.timeNs, e.Time.UnixMilli())
		}
		if r.host != e.Host || r.source != e.Source || r.sourcetype != e.Sourcetype || r.index != e.Index {
			t.Errorf("event %q: metadata %q %q %q %q, want %q %q %q %q", e.Raw, r.host, r.source, r.sourcetype, r.index, e.Host, e.Source, e.Sourcetype, e.Index)
		}
	}
	if bad > 5 {
		t.Errorf("%d events missing or duplicated in all", bad)
	}
	if !atLeastOnce && len(got) != len(evs) {
		t.Errorf("the peer received %d events, want %d", len(got), len(evs))
	}
	return dups
}

func TestHECPeerEvents(t *testing.T) {
	for _, tc := range []struct {
		name string
		kv   []string
	}{
		{"event endpoint", nil},
		{"gzip", []string{"httpeventGzip", "true"}},
		{"ack", []string{"httpeventAck", "true"}},
		{"gzip ack async", []string{"httpeventGzip", "true", "httpeventAck", "true", "httpeventWaitResponse", "false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startHECPeer(t)
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", append([]string{"httpeventServers", p.servers(hecPeerToken)}, tc.kv...)...), log)
			evs := peerEvents(strings.ReplaceAll(tc.name, " ", "-"), 2000)
			if err := hecSend(t, o, evs); err != nil {
				t.Fatalf("%v\n%s", err, lb)
			}
			p.stop()
			comparePeer(t, p.received(), evs, false)
			st := hecStats(o)
			if st.Events != 2000 || st.Failures != 0 || st.Retries != 0 {
				t.Errorf("stats %+v\n%s", st, lb)
			}
		})
	}
}

func TestHECPeerRaw(t *testing.T) {
	p := startHECPeer(t)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", p.servers(hecPeerToken), "httpeventEndpoint", "raw"), log)
	evs := peerEvents("raw", 500)
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	p.stop()
	got := p.received()
	// The raw endpoint carries no time: the receiver stamps it.
	for i := range got {
		got[i].timeNs = 0
	}
	for i := range evs {
		evs[i].Time = time.Unix(0, 0)
	}
	comparePeer(t, got, evs, false)
}

func TestHECPeerWrongToken(t *testing.T) {
	p := startHECPeer(t)
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", p.servers("wrong-token")), log)
	err := hecSend(t, o, peerEvents("wrong", 10))
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "check the key in httpeventServers") {
		t.Errorf("err %v", err)
	}
	if n := len(lb.Lines("level=ERROR")); n != 1 {
		t.Errorf("%d error lines:\n%s", n, lb)
	}
	t.Logf("error: %v", err)
	// Another stanza with the right token keeps running.
	o2 := hecOpen(t, hecSample("httpevent", "httpeventServers", p.servers(hecPeerToken)), log)
	evs := peerEvents("right", 10)
	if err := hecSend(t, o2, evs); err != nil {
		t.Fatal(err)
	}
	p.stop()
	comparePeer(t, p.received(), evs, false)
}

// TestHECPeerRestart stops the peer mid-run for 10 (or 3) seconds. Generation
// waits while it is down (Write retries), and every event arrives.
//
// "quiesced": the peer is stopped when everything sent so far has been
// acknowledged, so nothing is in doubt: with ack every event arrives
// exactly once. "in flight": it is stopped while requests and
// acknowledgements are outstanding: nothing is lost, but a batch the peer
// took before it stopped and whose ack was not seen is sent again
// (at-least-once), so duplicates are counted, not failed.
func TestHECPeerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("takes several seconds")
	}
	for _, tc := range []struct {
		name     string
		quiesce  bool
		ack      bool
		maxDupes bool
		down     time.Duration
	}{
		{"quiesced ack", true, true, false, 10 * time.Second},
		{"in flight ack", false, true, true, 3 * time.Second},
		{"in flight no ack", false, false, true, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startHECPeer(t)
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", p.servers(hecPeerToken), "httpeventAck", fmt.Sprint(tc.ack),
				"httpeventAckTimeout", "2"), log, func(o *delivery.Options) {
				o.Down.Max = 500 * time.Millisecond
				o.AckPoll = 100 * time.Millisecond
			})
			evs := peerEvents(strings.ReplaceAll(tc.name, " ", "-"), 6000)
			w := output.NewWriter(o.Dst, 128<<10)
			const step = 200
			for i := 0; i < len(evs); i += step {
				if i == 2000 {
					if tc.quiesce {
						if err := w.Flush(); err != nil {
							t.Fatal(err)
						}
						for deadline := time.Now().Add(10 * time.Second); hecStats(o).Events < int64(i); {
							if time.Now().After(deadline) {
								t.Fatalf("not acknowledged: %+v", hecStats(o))
							}
							time.Sleep(10 * time.Millisecond)
						}
					}
					p.stop()
					go func() {
						time.Sleep(tc.down)
						p.start()
					}()
				}
				if err := hecSubmit(w, o.Enc, evs[i:i+step]); err != nil {
					t.Fatal(err)
				}
				time.Sleep(2 * time.Millisecond)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("%v\n%s", err, lb)
			}
			p.stop()
			dups := comparePeer(t, p.received(), evs, tc.maxDupes)
			st := hecStats(o)
			t.Logf("duplicates %d; stats %+v", dups, st)
			if st.Failures == 0 {
				t.Errorf("the output never saw the peer down: %+v", st)
			}
		})
	}
}

// TestHECPeerThroughput prints the throughput of httpevent to the peer on
// loopback, without and with gzip, at Eventgen's default payload size
// (10000 bytes; one request at a time, and 4 in flight) and at 1 MiB
// (requests are then bounded by the engine's 64 KiB chunks).
func TestHECPeerThroughput(t *testing.T) {
	p := startHECPeer(t)
	n := 200_000
	if hecRaceEnabled || testing.Short() {
		n = 20_000
	}
	evs := peerEvents("tp", n)
	var raw int
	for _, e := range evs {
		raw += len(e.Raw)
	}
	runs := 0
	for _, c := range []struct{ payload, wait string }{{"10000", "true"}, {"10000", "false"}, {"1048576", "true"}} {
		for _, gz := range []string{"false", "true"} {
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", p.servers(hecPeerToken), "httpeventGzip", gz,
				"httpeventMaxPayloadSize", c.payload, "httpeventWaitResponse", c.wait), log)
			start := time.Now()
			if err := hecSend(t, o, evs); err != nil {
				t.Fatalf("%v\n%s", err, lb)
			}
			d := time.Since(start).Seconds()
			runs++
			st := hecStats(o)
			if st.Events != int64(n) {
				t.Errorf("delivered %d of %d", st.Events, n)
			}
			t.Logf("HEC throughput, maxPayload %7s waitResponse %-5s gzip %-5s: %7.0f events/s, %5.1f MB/s of _raw, %5.1f MB/s of envelopes, %5d requests (race detector %v)",
				c.payload, c.wait, gz, float64(n)/d, float64(raw)/d/1e6, float64(st.Bytes)/d/1e6, st.Requests, hecRaceEnabled)
		}
	}
	p.stop()
	if got := len(p.received()); got != runs*n {
		t.Errorf("the peer received %d events, want %d", got, runs*n)
	}
}
