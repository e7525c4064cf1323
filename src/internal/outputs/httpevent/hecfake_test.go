//go:build !cloud && !js

package httpevent

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeHEC is an in-process Splunk HTTP Event Collector that answers as
// splunk-platform.md §3 documents: token check (401 code 2, 403 code 4),
// envelope validation (400 code 6 with invalid-event-number, 12, 13),
// index allow-list (400 code 7), channel and indexer acknowledgement with
// ack ids from 0, gzip bodies, the raw endpoint. Faults are programmed
// with the fields below. A batch with an error indexes nothing.
type fakeHEC struct {
	t     testing.TB
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	events   []fakeEvent    // indexed events, in order
	requests map[string]int // per path
	bodies   [][]byte       // decoded bodies of the event/raw requests
	queries  []url.Values   // query of each raw request
	headers  []http.Header

	allowIndex map[string]bool // nil: any index
	maxBody    int             // > 0: larger bodies get 413
	ack        bool            // token has indexer acknowledgement
	ackFrom    int64           // first ack id (Splunk 0, the OTel receiver 1)
	nextAck    map[string]int64
	acked      map[string]map[int64]bool // channel → id → indexed (true) or held (false)
	holdAck    func(n int) bool          // n-th acked request (0-based): hold its ack forever
	ackReqs    int

	// fault, when set, may answer a request itself: it gets the request
	// number (0-based, event/raw requests only).
	fault    func(w http.ResponseWriter, r *http.Request, n int) bool
	n        int
	down     atomic.Bool // close connections without answering
	inflight atomic.Int32
	maxIn    atomic.Int32
	delay    func() // called before answering (slow receiver)
}

type fakeEvent struct {
	Time       *float64 `json:"time"`
	Host       string   `json:"host"`
	Source     string   `json:"source"`
	Sourcetype string   `json:"sourcetype"`
	Index      string   `json:"index"`
	Event      any      `json:"event"`
	Fields     map[string]any
	Channel    string `json:"-"`
}

func newFakeHEC(t testing.TB) *fakeHEC {
	f := &fakeHEC{t: t, token: "tok-1", requests: map[string]int{}, nextAck: map[string]int64{}, acked: map[string]map[int64]bool{}}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

// servers returns an httpeventServers value for the given fakes.
func hecServersValue(key string, fs ...*fakeHEC) string {
	var parts []string
	for _, f := range fs {
		addr := strings.TrimPrefix(f.srv.URL, "http://")
		host, port, _ := strings.Cut(addr, ":")
		parts = append(parts, fmt.Sprintf(`{"protocol":"http","address":%q,"port":%q,"key":%q}`, host, port, key))
	}
	return `{"servers":[` + strings.Join(parts, ",") + `]}`
}

func hecAnswer(w http.ResponseWriter, status, code int, text string, extra ...any) {
	m := map[string]any{"text": text, "code": code}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(m)
}

func (f *fakeHEC) serve(w http.ResponseWriter, r *http.Request) {
	if f.down.Load() {
		if hj, ok := w.(http.Hijacker); ok {
			c, _, _ := hj.Hijack()
			c.Close()
			return
		}
	}
	in := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for {
		m := f.maxIn.Load()
		if in <= m || f.maxIn.CompareAndSwap(m, in) {
			break
		}
	}
	f.mu.Lock()
	f.requests[r.URL.Path]++
	f.mu.Unlock()
	if f.delay != nil {
		f.delay()
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		hecAnswer(w, 401, 2, "Token is required")
		return
	}
	if !strings.HasPrefix(auth, "Splunk ") {
		hecAnswer(w, 401, 3, "Invalid authorization")
		return
	}
	if strings.TrimPrefix(auth, "Splunk ") != f.token {
		hecAnswer(w, 403, 4, "Invalid token")
		return
	}
	channel := r.Header.Get("X-Splunk-Request-Channel")
	if channel == "" {
		channel = r.URL.Query().Get("channel")
	}
	switch r.URL.Path {
	case "/services/collector/ack":
		f.serveAck(w, r, channel)
		return
	case "/services/collector/health":
		hecAnswer(w, 200, 17, "HEC is healthy")
		return
	case "/services/collector", "/services/collector/event", "/services/collector/raw":
	default:
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	n := f.n
	f.n++
	fault := f.fault
	f.mu.Unlock()
	if fault != nil && fault(w, r, n) {
		return
	}
	if r.Method != http.MethodPost {
		hecAnswer(w, 400, 6, "Invalid data format")
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			hecAnswer(w, 400, 6, "Invalid data format")
			return
		}
		body = zr
	}
	data, err := io.ReadAll(body)
	if err != nil {
		hecAnswer(w, 400, 6, "Invalid data format")
		return
	}
	if f.maxBody > 0 && len(data) > f.maxBody {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		io.WriteString(w, "<html>413 Request Entity Too Large</html>")
		return
	}
	if f.ack && channel == "" {
		hecAnswer(w, 400, 10, "Data channel is missing")
		return
	}
	if len(bytes.TrimSpace(data)) == 0 {
		hecAnswer(w, 400, 5, "No data")
		return
	}
	var got []fakeEvent
	if r.URL.Path == "/services/collector/raw" {
		if channel == "" {
			hecAnswer(w, 400, 10, "Data channel is missing")
			return
		}
		q := r.URL.Query()
		for line := range strings.SplitSeq(strings.TrimSuffix(string(data), "\n"), "\n") {
			got = append(got, fakeEvent{Host: q.Get("host"), Source: q.Get("source"), Sourcetype: q.Get("sourcetype"), Index: q.Get("index"), Event: line})
		}
		f.mu.Lock()
		f.queries = append(f.queries, q)
		f.mu.Unlock()
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var raw map[string]json.RawMessage
			if err := dec.Decode(&raw); err == io.EOF {
				break
			} else if err != nil {
				hecAnswer(w, 400, 6, "Invalid data format", "invalid-event-number", i)
				return
			}
			var e fakeEvent
			b, _ := json.Marshal(raw)
			json.Unmarshal(b, &e)
			if fb, ok := raw["fields"]; ok {
				json.Unmarshal(fb, &e.Fields)
			}
			if _, ok := raw["event"]; !ok {
				hecAnswer(w, 400, 12, "Event field is required", "invalid-event-number", i)
				return
			}
			if s, ok := e.Event.(string); ok && strings.TrimSpace(s) == "" {
				hecAnswer(w, 400, 13, "Event field cannot be blank", "invalid-event-number", i)
				return
			}
			if s, ok := e.Event.(string); ok && strings.Contains(s, "BAD-DATA") {
				// Stands for an event Splunk cannot parse.
				hecAnswer(w, 400, 6, "Invalid data format", "invalid-event-number", i)
				return
			}
			if f.allowIndex != nil && e.Index != "" && !f.allowIndex[e.Index] {
				hecAnswer(w, 400, 7, "Incorrect index", "invalid-event-number", i)
				return
			}
			got = append(got, e)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range got {
		got[i].Channel = channel
	}
	f.events = append(f.events, got...)
	f.bodies = append(f.bodies, data)
	f.headers = append(f.headers, r.Header.Clone())
	if !f.ack {
		hecAnswer(w, 200, 0, "Success")
		return
	}
	id, ok := f.nextAck[channel]
	if !ok {
		id = f.ackFrom
	}
	f.nextAck[channel] = id + 1
	if f.acked[channel] == nil {
		f.acked[channel] = map[int64]bool{}
	}
	hold := f.holdAck != nil && f.holdAck(f.ackReqs)
	f.ackReqs++
	f.acked[channel][id] = !hold
	hecAnswer(w, 200, 0, "Success", "ackId", id)
}

func (f *fakeHEC) serveAck(w http.ResponseWriter, r *http.Request, channel string) {
	if !f.ack {
		hecAnswer(w, 400, 14, "ACK is disabled")
		return
	}
	if channel == "" {
		hecAnswer(w, 400, 10, "Data channel is missing")
		return
	}
	var q struct {
		Acks []int64 `json:"acks"`
	}
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
		hecAnswer(w, 400, 6, "Invalid data format")
		return
	}
	f.mu.Lock()
	res := map[string]bool{}
	for _, id := range q.Acks {
		ok := f.acked[channel][id]
		res[strconv.FormatInt(id, 10)] = ok
		if ok {
			delete(f.acked[channel], id) // forgotten once reported
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"acks": res})
}

// snapshot returns the indexed events.
func (f *fakeHEC) snapshot() []fakeEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeEvent(nil), f.events...)
}

func (f *fakeHEC) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[path]
}

func (f *fakeHEC) eventStrings() []string {
	var out []string
	for _, e := range f.snapshot() {
		s, _ := e.Event.(string)
		out = append(out, s)
	}
	return out
}
