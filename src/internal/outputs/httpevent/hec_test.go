//go:build !cloud && !js

package httpevent

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// t0 is 2024-03-05T07:08:09.123456789Z.
var hecT0 = time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)

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

func hecOpen(t testing.TB, s *config.Sample, log *slog.Logger, tune ...func(*delivery.Options)) *outputs.Output {
	t.Helper()
	log = log.With("stanza", s.Name(), "output", s.OutputMode) // as the engine does
	o, err := newHEC(s, log, s.OutputMode == "metric_httpevent", func(o *delivery.Options) {
		hecFast(o)
		for _, f := range tune {
			f(o)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// testEvents returns n distinct events.
func hecEvents(n int) []output.Event {
	evs := make([]output.Event, n)
	for i := range evs {
		evs[i] = output.Event{
			Time:       hecT0.Add(time.Duration(i) * time.Millisecond),
			Raw:        fmt.Appendf(nil, `event %06d "quoted" \ tab	é`, i),
			Host:       fmt.Sprintf("host%d", i%3),
			Source:     "/var/log/test.log",
			Sourcetype: "test:st",
			Index:      "main",
			Stanza:     "test.stanza",
		}
	}
	return evs
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

// wantEvents checks that f indexed each of evs exactly once (in any
// order) with its metadata and time.
func hecWantEvents(t testing.TB, got []fakeEvent, evs []output.Event, atLeastOnce bool) {
	t.Helper()
	seen := map[string]int{}
	for _, e := range got {
		s, _ := e.Event.(string)
		seen[s]++
	}
	byRaw := map[string]fakeEvent{}
	for _, e := range got {
		s, _ := e.Event.(string)
		byRaw[s] = e
	}
	for _, e := range evs {
		n := seen[string(e.Raw)]
		if n == 0 || (!atLeastOnce && n != 1) {
			t.Errorf("event %q received %d times", e.Raw, n)
			continue
		}
		g := byRaw[string(e.Raw)]
		if g.Host != e.Host || g.Source != e.Source || g.Sourcetype != e.Sourcetype || g.Index != e.Index {
			t.Errorf("event %q: metadata %q %q %q %q, want %q %q %q %q", e.Raw, g.Host, g.Source, g.Sourcetype, g.Index, e.Host, e.Source, e.Sourcetype, e.Index)
		}
		if g.Time != nil && int64(*g.Time*1000+0.5) != e.Time.UnixMilli() {
			t.Errorf("event %q: time %v, want %d ms", e.Raw, *g.Time, e.Time.UnixMilli())
		}
	}
	if !atLeastOnce && len(got) != len(evs) {
		t.Errorf("received %d events, want %d", len(got), len(evs))
	}
}

func TestHECEnvelope(t *testing.T) {
	e := output.Event{Time: hecT0, Raw: []byte("a \"b\" \\ c\n\td é \xff \u2028"), Host: "h", Source: "s", Sourcetype: "st", Index: "main"}
	body := hecEncoder{}.Append(nil, &e)
	want := `{"time":1709622489.123,"host":"h","source":"s","sourcetype":"st","index":"main","event":"a \"b\" \\ c\n\td é \ufffd \u2028"}` + "\n"
	if string(body) != want {
		t.Errorf("got  %s\nwant %s", body, want)
	}
	// Only the metadata that is set, no time when there is none.
	e = output.Event{Raw: []byte("x"), Sourcetype: "st"}
	body = hecEncoder{}.Append(nil, &e)
	if want := `{"sourcetype":"st","event":"x"}` + "\n"; string(body) != want {
		t.Errorf("got %s, want %s", body, want)
	}
	// An empty _raw is skipped.
	body = hecEncoder{}.Append(nil, &output.Event{Host: "h"})
	if len(body) != 0 {
		t.Errorf("empty raw: %q", body)
	}
}

func TestHECDelivers(t *testing.T) {
	f := newFakeHEC(t)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f)), log)
	evs := hecEvents(500)
	evs = append(evs, output.Event{Time: hecT0, Raw: nil, Host: "empty"}) // skipped
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs[:500], false)
	st := hecStats(o)
	if st.Events != 500 || st.Dropped != 1 || st.Retries != 0 || st.Failures != 0 || st.Requests != int64(f.count("/services/collector/event")) {
		t.Errorf("stats %+v, requests %d", st, f.count("/services/collector/event"))
	}
	if o.Key != "httpevent:test.stanza" {
		t.Errorf("key %q", o.Key)
	}
}

func TestHECRetried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  func(w http.ResponseWriter, n int)
		faults int
		minDur time.Duration
	}{
		{"503 code 9 busy", func(w http.ResponseWriter, n int) { hecAnswer(w, 503, 9, "Server is busy") }, 2, 0},
		{"500 code 8", func(w http.ResponseWriter, n int) { hecAnswer(w, 500, 8, "Internal server error") }, 1, 0},
		{"502 plain", func(w http.ResponseWriter, n int) { w.WriteHeader(502) }, 1, 0},
		{"429 Retry-After", func(w http.ResponseWriter, n int) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
		}, 1, 900 * time.Millisecond},
		{"503 beyond the retry budget", func(w http.ResponseWriter, n int) { hecAnswer(w, 503, 9, "Server is busy") }, 9, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeHEC(t)
			f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n < tc.faults {
					tc.fault(w, n)
					return true
				}
				return false
			}
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f)), log)
			evs := hecEvents(10)
			start := time.Now()
			if err := hecSend(t, o, evs); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < tc.minDur {
				t.Errorf("took %v: Retry-After not honoured", d)
			}
			hecWantEvents(t, f.snapshot(), evs, false)
			st := hecStats(o)
			if st.Requests != int64(tc.faults+1) || st.Retries != int64(tc.faults) || st.Events != 10 {
				t.Errorf("stats %+v, want %d requests", st, tc.faults+1)
			}
			if tc.faults > 4 && len(lb.Lines("receiver unavailable")) == 0 {
				t.Errorf("no warning logged:\n%s", lb)
			}
		})
	}
}

func TestHECNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *fakeHEC)
		key   string
		want  []string
	}{
		{"403 code 4", nil, "wrong", []string{`403 code 4 \"Invalid token\"`, "check the key in httpeventServers"}},
		{"400 code 7", func(f *fakeHEC) { f.allowIndex = map[string]bool{"other": true} }, "tok-1", []string{`400 code 7 \"Incorrect index\"`, "create the index"}},
		{"400 code 10", func(f *fakeHEC) { f.ack = true }, "tok-1", []string{"code 10", "set httpeventAck = true"}},
		{"401 plain text", func(f *fakeHEC) {
			f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
				w.WriteHeader(401)
				io.WriteString(w, "scheme or token does not match: Splunk")
				return true
			}
		}, "tok-1", []string{`401 \"scheme or token does not match: Splunk\"`, "check the key"}},
		{"404", func(f *fakeHEC) {
			f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool { http.NotFound(w, r); return true }
		}, "tok-1", []string{"404", "no HEC endpoint"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeHEC(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue(tc.key, f)), log)
			w := output.NewWriter(o.Dst, 0)
			var errs []error
			for range 5 {
				errs = append(errs, hecSubmit(w, o.Enc, hecEvents(3)))
			}
			err := errors.Join(append(errs, w.Close())...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tc.want {
				if !strings.Contains(lb.String(), s) {
					t.Errorf("log lacks %q:\n%s", s, lb)
				}
			}
			if n := len(lb.Lines("level=ERROR")); n != 1 {
				t.Errorf("%d error lines, want 1:\n%s", n, lb)
			}
			if !strings.Contains(lb.String(), "stanza=test.stanza") {
				t.Errorf("log does not name the stanza:\n%s", lb)
			}
			if n := f.count("/services/collector/event"); n != 1 {
				t.Errorf("%d requests, want 1 (never retried)", n)
			}
			if !strings.Contains(err.Error(), "the stanza stops") {
				t.Errorf("error %v", err)
			}
		})
	}
}

func TestHECBisect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bad    string
		noIdx  bool
		expect string
	}{
		{"code 6 with invalid-event-number", "BAD-DATA", false, "code 6"},
		{"code 6 without invalid-event-number", "BAD-DATA", true, "code 6"},
		{"code 13 blank", "   ", false, "code 13"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeHEC(t)
			if tc.noIdx {
				f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
					data, _ := io.ReadAll(r.Body)
					r.Body = io.NopCloser(bytes.NewReader(data))
					if bytes.Contains(data, []byte("BAD-DATA")) {
						hecAnswer(w, 400, 6, "Invalid data format")
						return true
					}
					return false
				}
			}
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventMaxPayloadSize", "100000"), log)
			evs := hecEvents(40)
			evs[17].Raw = []byte(tc.bad)
			if err := hecSend(t, o, evs); err != nil {
				t.Fatal(err)
			}
			good := slices.Delete(slices.Clone(evs), 17, 18)
			hecWantEvents(t, f.snapshot(), good, false)
			st := hecStats(o)
			if st.Dropped != 1 || st.Events != 39 {
				t.Errorf("stats %+v", st)
			}
			if l := lb.Lines("rejected an event", tc.expect, "stanza=test.stanza"); len(l) != 1 {
				t.Errorf("log:\n%s", lb)
			}
			t.Logf("%d requests for 40 events", f.n)
		})
	}
}

func TestHECPayloadLimit(t *testing.T) {
	f := newFakeHEC(t)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventMaxPayloadSize", "1000"), log)
	evs := hecEvents(200)
	evs[50].Raw = bytes.Repeat([]byte("L"), 3000) // larger than the limit: goes alone
	evs[51].Raw = bytes.Repeat([]byte("M"), 999)
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs, false)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.bodies {
		if n := bytes.Count(b, []byte("\n")); len(b) > 1000 && n != 1 {
			t.Errorf("body of %d bytes holds %d events", len(b), n)
		}
		if !bytes.HasSuffix(b, []byte("}\n")) {
			t.Errorf("body does not end with a whole event: %q", b[max(0, len(b)-20):])
		}
	}
	if len(f.bodies) < 200*80/1000 {
		t.Errorf("%d requests: payloads not limited", len(f.bodies))
	}
}

func TestHEC413Splits(t *testing.T) {
	f := newFakeHEC(t)
	f.maxBody = 2000
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventMaxPayloadSize", "50000"), log)
	evs := hecEvents(100)
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs, false)
}

func TestHECRoundRobinAndMirror(t *testing.T) {
	t.Run("roundrobin", func(t *testing.T) {
		fs := []*fakeHEC{newFakeHEC(t), newFakeHEC(t), newFakeHEC(t)}
		log, _ := hecTestLogger()
		o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", fs...), "httpeventMaxPayloadSize", "1000"), log)
		evs := hecEvents(300)
		if err := hecSend(t, o, evs); err != nil {
			t.Fatal(err)
		}
		var all []fakeEvent
		var reqs []int
		for _, f := range fs {
			all = append(all, f.snapshot()...)
			reqs = append(reqs, f.n)
		}
		hecWantEvents(t, all, evs, false)
		if slices.Max(reqs)-slices.Min(reqs) > 1 {
			t.Errorf("requests per server %v: not rotating", reqs)
		}
	})
	t.Run("mirror", func(t *testing.T) {
		fs := []*fakeHEC{newFakeHEC(t), newFakeHEC(t)}
		log, _ := hecTestLogger()
		o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", fs...), "httpeventOutputMode", "mirror"), log)
		evs := hecEvents(300)
		if err := hecSend(t, o, evs); err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			hecWantEvents(t, f.snapshot(), evs, false)
		}
	})
}

func TestHECFailover(t *testing.T) {
	a, b := newFakeHEC(t), newFakeHEC(t)
	a.down.Store(true)
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", a, b), "httpeventMaxPayloadSize", "500"), log, func(o *delivery.Options) {
		o.Down = delivery.Backoff{Min: 300 * time.Millisecond, Max: 300 * time.Millisecond}
	})
	w := output.NewWriter(o.Dst, 0)
	evs := hecEvents(200)
	if err := hecSubmit(w, o.Enc, evs[:100]); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := len(b.snapshot()); got != 100 {
		t.Errorf("b received %d events while a was down, want 100", got)
	}
	// a was tried once (its retries), then taken out while b took the rest.
	if n := a.count("/services/collector/event"); n != 0 {
		t.Errorf("a answered %d requests while down", n)
	}
	if len(lb.Lines("receiver unavailable")) == 0 {
		t.Errorf("no warning:\n%s", lb)
	}
	a.down.Store(false)
	time.Sleep(350 * time.Millisecond) // a's back-off period
	if err := hecSubmit(w, o.Enc, evs[100:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(a.snapshot()) == 0 {
		t.Error("a never came back into rotation")
	}
	hecWantEvents(t, append(a.snapshot(), b.snapshot()...), evs, false)
}

func TestHECGzip(t *testing.T) {
	f := newFakeHEC(t)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventGzip", "true"), log)
	evs := hecEvents(300)
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs, false)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, h := range f.headers {
		if h.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", h.Get("Content-Encoding"))
		}
	}
	if st := hecStats(o); st.Bytes != int64(hecSumLen(f.bodies)) {
		t.Errorf("Bytes %d, want the uncompressed %d", st.Bytes, hecSumLen(f.bodies))
	}
}

func hecSumLen(bs [][]byte) int {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	return n
}

func TestHECRawEndpoint(t *testing.T) {
	f := newFakeHEC(t)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventEndpoint", "raw"), log)
	evs := hecEvents(30)
	for i := range evs {
		evs[i].Raw = fmt.Appendf(nil, "raw line %d é & = ?", i)
		evs[i].Source = "/var/log/a b&c.log"
	}
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs, false)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) != 3 { // one request per host
		t.Errorf("%d requests, want one per metadata group (3)", len(f.queries))
	}
	for _, q := range f.queries {
		if len(q["channel"]) != 1 || len(q["channel"][0]) != 36 {
			t.Errorf("channel %q", q["channel"])
		}
		if q.Get("source") != "/var/log/a b&c.log" || q.Get("sourcetype") != "test:st" || q.Get("index") != "main" || !strings.HasPrefix(q.Get("host"), "host") {
			t.Errorf("query %v", q)
		}
	}
	for _, h := range f.headers {
		if h.Get("X-Splunk-Request-Channel") == "" {
			t.Error("no channel header")
		}
	}
}

func TestHECAck(t *testing.T) {
	for _, from := range []int64{0, 1} {
		t.Run(fmt.Sprintf("ids from %d", from), func(t *testing.T) {
			f := newFakeHEC(t)
			f.ack, f.ackFrom = true, from
			f.holdAck = func(n int) bool { return n == 1 } // the second batch is never acknowledged
			log, lb := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventAck", "true",
				"httpeventAckTimeout", "0.3", "httpeventMaxPayloadSize", "2000"), log)
			evs := hecEvents(50)
			start := time.Now()
			if err := hecSend(t, o, evs); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) < 300*time.Millisecond {
				t.Error("did not wait for the unacknowledged batch")
			}
			got := f.snapshot()
			hecWantEvents(t, got, evs, true)
			f.mu.Lock()
			first := f.bodies[1]
			f.mu.Unlock()
			n := bytes.Count(first, []byte("\n"))
			if len(got) != len(evs)+n {
				t.Errorf("received %d events, want %d + the %d of the resent batch only", len(got), len(evs), n)
			}
			st := hecStats(o)
			if st.Events != 50 || st.Retries != 1 {
				t.Errorf("stats %+v", st)
			}
			if f.count("/services/collector/ack") == 0 {
				t.Error("never polled")
			}
			if len(lb.Lines("not acknowledged")) != 1 {
				t.Errorf("log:\n%s", lb)
			}
			for _, e := range got {
				if e.Channel == "" {
					t.Fatal("no channel")
				}
			}
		})
	}
}

func TestHECDropPolicy(t *testing.T) {
	f := newFakeHEC(t)
	f.fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		hecAnswer(w, 503, 9, "Server is busy")
		return true
	}
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventDropPolicy", "drop",
		"httpeventMaxPayloadSize", "1000"), log)
	evs := hecEvents(100)
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	st := hecStats(o)
	if st.Dropped != 100 || st.Events != 0 {
		t.Errorf("stats %+v", st)
	}
	if n := len(lb.Lines("events dropped")); n != 1 {
		t.Errorf("%d drop messages, want 1 (rate-limited):\n%s", n, lb)
	}
}

func TestHECDownThenUp(t *testing.T) {
	for _, ack := range []bool{false, true} {
		t.Run(fmt.Sprintf("ack=%v", ack), func(t *testing.T) {
			f := newFakeHEC(t)
			f.ack = ack
			log, _ := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f),
				"httpeventAck", fmt.Sprint(ack), "httpeventAckTimeout", "5"), log)
			evs := hecEvents(3000)
			w := output.NewWriter(o.Dst, 64<<10)
			// The receiver is down from the first request (a start a
			// little later raced with delivery: on a fast machine every
			// event was delivered before it went down) and comes back
			// while events are still being submitted or retried.
			var sent atomic.Bool
			f.down.Store(true)
			go func() {
				time.Sleep(1500 * time.Millisecond)
				f.down.Store(false)
				sent.Store(true)
			}()
			for i := 0; i < len(evs); i += 100 {
				if err := hecSubmit(w, o.Enc, evs[i:i+100]); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Millisecond)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if !sent.Load() {
				t.Log("all events were submitted before the receiver came back")
			}
			hecWantEvents(t, f.snapshot(), evs, !ack)
			if st := hecStats(o); st.Failures == 0 {
				t.Errorf("the receiver was never down? %+v", st)
			}
		})
	}
}

func TestHECBackpressure(t *testing.T) {
	f := newFakeHEC(t)
	release := make(chan struct{})
	var blocked atomic.Int32
	f.delay = func() {
		blocked.Add(1)
		<-release
	}
	log, _ := hecTestLogger()
	// Requests of 10,000 bytes (Eventgen's default): many of them, so the
	// four in flight block before the queue has room for everything.
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventWaitResponse", "false", "httpeventMaxPayloadSize", "10000"), log)
	w := output.NewWriter(o.Dst, 256<<10)
	evs := hecEvents(20000) // about 2.6 MB of envelopes, 10 times the queue
	done := make(chan error, 1)
	go func() { done <- hecSubmit(w, o.Enc, evs) }()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Submit did not block on a stalled receiver: %v", err)
	default:
	}
	if n := blocked.Load(); n != delivery.AsyncRequests {
		t.Errorf("%d requests in flight, want %d", n, delivery.AsyncRequests)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	hecWantEvents(t, f.snapshot(), evs, false)
	if m := f.maxIn.Load(); m > delivery.AsyncRequests {
		t.Errorf("%d concurrent requests", m)
	}
}

func TestHECTLS(t *testing.T) {
	f := newFakeHEC(t)
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	tlsSrv.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	host, port, _ := strings.Cut(strings.TrimPrefix(tlsSrv.URL, "https://"), ":")
	srvs := fmt.Sprintf(`{"servers":[{"protocol":"https","address":%q,"port":%q,"key":"tok-1"}]}`, host, port)
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", srvs), log)
	err := hecSend(t, o, hecEvents(3))
	if err == nil || !strings.Contains(err.Error(), "httpeventInsecure") {
		t.Errorf("verification: err %v\n%s", err, lb)
	}
	o = hecOpen(t, hecSample("httpevent", "httpeventServers", srvs, "httpeventInsecure", "true"), log)
	if err := hecSend(t, o, hecEvents(3)); err != nil {
		t.Fatal(err)
	}
	if len(f.snapshot()) != 3 {
		t.Errorf("got %d events", len(f.snapshot()))
	}
}

func TestHECAbort(t *testing.T) {
	f := newFakeHEC(t)
	f.down.Store(true)
	log, _ := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f)), log)
	w := output.NewWriter(o.Dst, 0)
	if err := hecSubmit(w, o.Enc, hecEvents(10)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	o.Dst.(interface{ Abort() }).Abort()
	if err := w.Close(); !errors.Is(err, delivery.ErrAborted) {
		t.Errorf("Writer.Close: %v", err)
	}
	if err := o.Dst.Close(); err == nil || !strings.Contains(err.Error(), "10 events not delivered") {
		t.Errorf("Dst.Close: %v", err)
	}
}

func TestHECShutdown(t *testing.T) {
	f := newFakeHEC(t)
	f.down.Store(true)
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventMaxPayloadSize", "500"), log)
	w := output.NewWriter(o.Dst, 0)
	if err := hecSubmit(w, o.Enc, hecEvents(20)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	o.Dst.(interface{ Shutdown(time.Duration) }).Shutdown(300 * time.Millisecond)
	if err := w.Close(); !errors.Is(err, delivery.ErrAborted) {
		t.Errorf("Writer.Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if err := o.Dst.Close(); err == nil || !strings.Contains(err.Error(), "20 events not delivered") {
		t.Errorf("Dst.Close: %v", err)
	}
	if len(lb.Lines("giving up")) != 1 {
		t.Errorf("log:\n%s", lb)
	}

	// A receiver that works is not given up on.
	f2 := newFakeHEC(t)
	o = hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f2)), log)
	o.Dst.(interface{ Shutdown(time.Duration) }).Shutdown(2 * time.Second)
	time.Sleep(2100 * time.Millisecond) // idle for longer than the grace period
	if err := hecSend(t, o, hecEvents(20)); err != nil {
		t.Fatal(err)
	}
}

func TestMetricHTTPEvent(t *testing.T) {
	f := newFakeHEC(t)
	log, lb := hecTestLogger()
	o := hecOpen(t, hecSample("metric_httpevent", "httpeventServers", hecServersValue("tok-1", f)), log)
	raws := []string{
		`{"fields":{"metric_name:cpu.idle":97.5,"region":"eu"}}`,
		`{"metric_name":"mem.used","_value":12,"host":"x"}`, // no fields: the whole object
		`not json`,
		`{"disk.free":5,"dc":"x"}`, // no fields, no metric_name key: the whole object
		`{"fields":[1]}`,
	}
	var evs []output.Event
	for _, r := range raws {
		evs = append(evs, output.Event{Time: hecT0, Raw: []byte(r), Host: "h", Source: "s", Sourcetype: "metrics", Index: "em_metrics"})
	}
	if err := hecSend(t, o, evs); err != nil {
		t.Fatal(err)
	}
	got := f.snapshot()
	if len(got) != 3 {
		t.Fatalf("got %d events: %+v", len(got), got)
	}
	if got[2].Fields["disk.free"] != 5.0 || got[2].Fields["dc"] != "x" {
		t.Errorf("event 2: %+v", got[2])
	}
	if got[0].Event != "metric" || got[0].Fields["metric_name:cpu.idle"] != 97.5 || got[0].Fields["region"] != "eu" || got[0].Index != "em_metrics" {
		t.Errorf("event 0: %+v", got[0])
	}
	if got[1].Fields["metric_name"] != "mem.used" || got[1].Fields["_value"] != 12.0 {
		t.Errorf("event 1: %+v", got[1])
	}
	if st := hecStats(o); st.Dropped != 2 || st.Events != 3 {
		t.Errorf("stats %+v", st)
	}
	if l := lb.Lines("metric event skipped", "stanza=test.stanza"); len(l) != 1 { // rate-limited
		t.Errorf("log:\n%s", lb)
	}
	if _, err := newHEC(hecSample("metric_httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventEndpoint", "raw"), log, true, nil); err == nil {
		t.Error("raw endpoint accepted for metrics")
	}
}

const dummyServers = `{"servers":[{"protocol":"http","address":"127.0.0.1","port":"1","key":"k"}]}`

func TestHECSettings(t *testing.T) {
	log, _ := hecTestLogger()
	for _, tc := range []struct {
		kv   []string
		want string
	}{
		{nil, "httpeventServers: not set"},
		{[]string{"httpeventServers", "{"}, "httpeventServers = { (eventgen.conf:1): not valid JSON"},
		{[]string{"httpeventServers", `{"servers":[]}`}, "lists no servers"},
		{[]string{"httpeventServers", `{"servers":[{"protocol":"http","address":"a","port":"8088"}]}`}, `server 1 has no "key"`},
		{[]string{"httpeventServers", `{"servers":[{"protocol":"http","address":"a","port":8088,"key":"k"},{"address":"b"}]}`}, `server 2 has no "protocol", "port", "key"`},
		{[]string{"httpeventServers", `{"servers":[{"protocol":"ftp","address":"a","port":"1","key":"k"}]}`}, "want http or https"},
		{[]string{"httpeventServers", `{"servers":[{"protocol":"http","address":"a","port":"x","key":"k"}]}`}, "not a port number"},
		{[]string{"httpeventServers", dummyServers, "httpeventOutputMode", "random"}, "httpeventOutputMode"},
		{[]string{"httpeventServers", dummyServers, "httpeventMaxPayloadSize", "-1"}, "httpeventMaxPayloadSize"},
		{[]string{"httpeventServers", dummyServers, "httpeventGzip", "maybe"}, "httpeventGzip"},
		{[]string{"httpeventServers", dummyServers, "httpeventEndpoint", "json"}, "httpeventEndpoint"},
		{[]string{"httpeventServers", dummyServers, "httpeventDropPolicy", "some"}, "httpeventDropPolicy"},
		{[]string{"httpeventServers", dummyServers, "httpeventAckTimeout", "0"}, "httpeventAckTimeout"},
	} {
		_, err := Open(false)(hecSample("httpevent", tc.kv...), outputs.Env{Log: log})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.kv, err, tc.want)
		}
	}
	o, err := Open(false)(hecSample("httpevent", "httpeventServers", `{"servers":[{"protocol":"HTTPS","address":"::1","port":8088,"key":"k"}]}`), outputs.Env{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if u := o.Dst.(*delivery.Sink).Servers()[0].URL; u != "https://[::1]:8088" {
		t.Errorf("url %q", u)
	}
	o.Dst.Close()
}

// TestHECGzipReadable checks gzipBytes round-trips (the pooled writer is
// reset between uses).
func TestHECGzipReadable(t *testing.T) {
	for _, s := range []string{"a", strings.Repeat("xyz", 10000), ""} {
		zr, err := gzip.NewReader(bytes.NewReader(httpGzip([]byte(s))))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(zr)
		if string(got) != s {
			t.Errorf("round trip of %d bytes gave %d", len(s), len(got))
		}
	}
	var v any
	if json.Unmarshal([]byte(`{}`), &v) != nil {
		t.Fatal()
	}
}

// TestHECBatchesSpanChunks: a request holds the events of several chunks,
// up to httpeventMaxPayloadSize (it held one 64 KiB chunk at most), and
// what a batch holds goes out when the writer is idle.
func TestHECBatchesSpanChunks(t *testing.T) {
	for _, wait := range []string{"true", "false"} {
		t.Run("waitResponse="+wait, func(t *testing.T) {
			f := newFakeHEC(t)
			log, _ := hecTestLogger()
			o := hecOpen(t, hecSample("httpevent", "httpeventServers", hecServersValue("tok-1", f), "httpeventWaitResponse", wait), log)
			dst := o.Dst.(interface {
				io.WriteCloser
				output.BatchWriter
				Idle() error
			})
			evs := hecEvents(3000)
			var chunks int
			buf := new(output.Batch)
			for i := range evs {
				buf.Add(o.Enc, &evs[i])
				if len(buf.Buf) >= output.BufferSize || i == len(evs)-1 {
					if err := dst.WriteBatch(buf); err != nil {
						t.Fatal(err)
					}
					buf, chunks = new(output.Batch), chunks+1
				}
			}
			if chunks < 3 {
				t.Fatalf("%d chunks: the test needs several", chunks)
			}
			if err := dst.Idle(); err != nil {
				t.Fatal(err)
			}
			// Idle sent the batch: it is there before Close.
			deadline := time.Now().Add(10 * time.Second)
			for len(f.snapshot()) < len(evs) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := dst.Close(); err != nil {
				t.Fatal(err)
			}
			hecWantEvents(t, f.snapshot(), evs, false)
			if n := f.count("/services/collector/event"); n != 1 {
				t.Errorf("%d chunks went in %d requests, want 1", chunks, n)
			}
		})
	}
}

// TestMetricFields: the top-level scan finds "fields" only as a key of
// the top level, and says when an object can be copied as it is.
func TestMetricFields(t *testing.T) {
	for _, c := range []struct {
		name, raw, want string
		compact         bool
		bad             bool
	}{
		{"whole object", `{"metric_name:a":1,"x":"y"}`, `{"metric_name:a":1,"x":"y"}`, true, false},
		{"spaces", ` { "metric_name:a" : 1 } `, `{ "metric_name:a" : 1 }`, false, false},
		{"fields key", `{"time":1,"fields":{"metric_name:a":2}}`, `{"metric_name:a":2}`, false, false},
		{"fields spaced", `{"fields" : { "m" : 1 } , "z":0}`, `{ "m" : 1 }`, false, false},
		{"nested fields is not the key", `{"a":{"fields":{"m":1}},"b":2}`, `{"a":{"fields":{"m":1}},"b":2}`, true, false},
		{"fields as a value", `{"a":"fields","b":2}`, `{"a":"fields","b":2}`, true, false},
		{"escaped quote in a key", `{"a\"fields":1}`, `{"a\"fields":1}`, true, false},
		{"space in a string is compact", `{"a":"b c"}`, `{"a":"b c"}`, true, false},
		{"fields not an object", `{"fields":[1]}`, "", false, true},
		{"not JSON", `metric=1`, "", false, true},
		{"array", `[1,2]`, "", false, true},
		{"truncated", `{"a":1`, "", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, compact, why := metricFields([]byte(c.raw))
			if c.bad {
				if why == "" {
					t.Fatalf("accepted: %s", got)
				}
				return
			}
			if why != "" || string(got) != c.want || compact != c.compact {
				t.Errorf("got %s compact %v (%s), want %s compact %v", got, compact, why, c.want, c.compact)
			}
		})
	}
}
