//go:build !cloud && !js

package splunkstream

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// fakeSplunkd answers /services/auth/login and /services/receivers/simple
// over TLS with splunkd's self-signed style certificate (httptest's).
type fakeSplunkd struct {
	srv *httptest.Server

	mu       sync.Mutex
	logins   int
	sessions map[string]bool
	posts    []streamPost
	expire   bool // answer 401 to the next receivers request (session expired)
	fail     func(w http.ResponseWriter, n int) bool
	n        int
}

type streamPost struct {
	query url.Values
	body  string
	auth  string
}

func newFakeSplunkd(t *testing.T) *fakeSplunkd {
	f := &fakeSplunkd{sessions: map[string]bool{"modinput-key": true}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSplunkd) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.URL.Path {
	case "/services/auth/login":
		r.ParseForm()
		if r.Form.Get("username") != "admin" || r.Form.Get("password") != "changeme" {
			w.WriteHeader(401)
			io.WriteString(w, `{"messages":[{"type":"WARN","text":"Login failed"}]}`)
			return
		}
		if r.Form.Get("output_mode") != "json" {
			w.WriteHeader(400)
			return
		}
		f.logins++
		key := fmt.Sprintf("session-%d", f.logins)
		f.sessions[key] = true
		fmt.Fprintf(w, `{"sessionKey":%q,"message":"","code":""}`, key)
	case "/services/receivers/simple":
		key, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Splunk ")
		if !f.sessions[key] {
			w.WriteHeader(401)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><response><messages><msg type="WARN">call not properly authenticated</msg></messages></response>`)
			return
		}
		if f.expire {
			f.expire = false
			delete(f.sessions, key)
			w.WriteHeader(401)
			io.WriteString(w, `<response><messages><msg type="WARN">call not properly authenticated</msg></messages></response>`)
			return
		}
		n := f.n
		f.n++
		if f.fail != nil && f.fail(w, n) {
			return
		}
		body, _ := io.ReadAll(r.Body)
		f.posts = append(f.posts, streamPost{query: r.URL.Query(), body: string(body), auth: key})
		fmt.Fprintf(w, `{"index":%q,"bytes":%d,"host":%q,"source":%q,"sourcetype":%q}`, r.URL.Query().Get("index"), len(body), r.URL.Query().Get("host"), r.URL.Query().Get("source"), r.URL.Query().Get("sourcetype"))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeSplunkd) hostPort() (string, string) {
	h, p, _ := strings.Cut(strings.TrimPrefix(f.srv.URL, "https://"), ":")
	return h, p
}

func streamOpen(t *testing.T, f *fakeSplunkd, kv ...string) (*outputs.Output, *hecLogBuf) {
	t.Helper()
	h, p := f.hostPort()
	s := hecSample("splunkstream", append([]string{"splunkHost", h, "splunkPort", p}, kv...)...)
	s.HostRegex = `^(\w+)`
	log, lb := hecTestLogger()
	o, err := newSplunkStream(s, log.With("stanza", s.Name(), "output", s.OutputMode), hecFast)
	if err != nil {
		t.Fatal(err)
	}
	return o, lb
}

// streamEvents returns events of two metadata groups.
func streamEvents(n int) []output.Event {
	evs := make([]output.Event, n)
	for i := range evs {
		evs[i] = output.Event{Time: hecT0, Raw: fmt.Appendf(nil, "line %d a=b&c", i), Index: "main", Host: "h1", Source: "src one", Sourcetype: []string{"st:a", "st:b"}[i%2]}
	}
	return evs
}

func TestSplunkStream(t *testing.T) {
	f := newFakeSplunkd(t)
	o, _ := streamOpen(t, f, "splunkUser", "admin", "splunkPass", "changeme")
	evs := streamEvents(10)
	w := output.NewWriter(o.Dst, 0)
	if err := hecSubmit(w, o.Enc, evs[:6]); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.mu.Lock()
	f.expire = true // the session expires: log in again
	f.mu.Unlock()
	if err := hecSubmit(w, o.Enc, evs[6:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logins != 2 {
		t.Errorf("%d logins, want 2", f.logins)
	}
	got := map[string][]string{}
	for _, p := range f.posts {
		q := p.query
		if q.Get("index") != "main" || q.Get("host") != "h1" || q.Get("source") != "src one" || q.Get("host_regex") != `^(\w+)` {
			t.Errorf("query %v", q)
		}
		if !strings.HasSuffix(p.body, "\n") {
			t.Errorf("body %q does not end with a newline", p.body)
		}
		st := q.Get("sourcetype")
		got[st] = append(got[st], strings.Split(strings.TrimSuffix(p.body, "\n"), "\n")...)
	}
	if len(f.posts) != 4 { // 2 groups, 2 chunks
		t.Errorf("%d requests, want 4", len(f.posts))
	}
	if len(got["st:a"]) != 5 || len(got["st:b"]) != 5 || got["st:a"][0] != "line 0 a=b&c" || got["st:b"][4] != "line 9 a=b&c" {
		t.Errorf("got %v", got)
	}
	if st := hecStats(o); st.Events != 10 || st.Retries != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestSplunkStreamSessionKey(t *testing.T) {
	f := newFakeSplunkd(t)
	o, _ := streamOpen(t, f, "sessionKey", "modinput-key")
	if err := hecSend(t, o, streamEvents(4)); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logins != 0 || len(f.posts) != 2 || f.posts[0].auth != "modinput-key" {
		t.Errorf("logins %d posts %+v", f.logins, f.posts)
	}
}

func TestSplunkStreamErrors(t *testing.T) {
	f := newFakeSplunkd(t)
	o, lb := streamOpen(t, f, "splunkUser", "admin", "splunkPass", "wrong")
	err := hecSend(t, o, streamEvents(4))
	if err == nil || !strings.Contains(err.Error(), "check splunkUser and splunkPass") {
		t.Errorf("err %v", err)
	}
	if n := len(lb.Lines("level=ERROR", "Login failed")); n != 1 {
		t.Errorf("log:\n%s", lb)
	}

	o, _ = streamOpen(t, f, "sessionKey", "stale")
	if err := hecSend(t, o, streamEvents(2)); err == nil || !strings.Contains(err.Error(), "call not properly authenticated") {
		t.Errorf("err %v", err)
	}

	f.fail = func(w http.ResponseWriter, n int) bool {
		if n < 2 {
			w.WriteHeader(503)
			return true
		}
		return false
	}
	o, _ = streamOpen(t, f, "sessionKey", "modinput-key")
	if err := hecSend(t, o, streamEvents(1)); err != nil {
		t.Fatal(err)
	}
	if st := hecStats(o); st.Retries != 2 || st.Events != 1 {
		t.Errorf("stats %+v", st)
	}

	log, _ := hecTestLogger()
	for _, tc := range []struct {
		kv   []string
		want string
	}{
		{nil, "splunkHost: not set"},
		{[]string{"splunkHost", "h"}, "splunkUser and splunkPass"},
		{[]string{"splunkHost", "h", "splunkUser", "u"}, "needs splunkPass"},
		{[]string{"splunkHost", "h", "splunkPort", "x", "sessionKey", "k"}, "splunkPort"},
		{[]string{"splunkHost", "h", "splunkMethod", "ftp", "sessionKey", "k"}, "splunkMethod"},
		{[]string{"splunkHost", `["a","b"]`, "sessionKey", "k"}, "list of hosts"},
	} {
		if _, err := Open(hecSample("splunkstream", tc.kv...), outputs.Env{Log: log}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.kv, err, tc.want)
		}
	}
	// Not loopback: TLS verified unless splunkInsecure.
	out, err := Open(hecSample("splunkstream", "splunkHost", "splunk.example.com", "sessionKey", "k"), outputs.Env{Log: log})
	if err != nil || out.Dst.(*delivery.Sink).Options().Insecure {
		t.Errorf("remote host: %v, insecure %v", err, out.Dst.(*delivery.Sink).Options().Insecure)
	}
	out, err = Open(hecSample("splunkstream", "splunkHost", "splunk.example.com", "sessionKey", "k", "splunkInsecure", "true"), outputs.Env{Log: log})
	if err != nil || !out.Dst.(*delivery.Sink).Options().Insecure {
		t.Errorf("splunkInsecure: %v", err)
	}
	// This machine: splunkd's self-signed default certificate is accepted,
	// by the same rule as the REST client's (src/internal/loopback).
	for _, h := range []string{"localhost", "127.0.0.1", "::1", "[::1]", "splunk.localhost", "localhost."} {
		out, err = Open(hecSample("splunkstream", "splunkHost", h, "sessionKey", "k"), outputs.Env{Log: log})
		if err != nil || !out.Dst.(*delivery.Sink).Options().Insecure {
			t.Errorf("splunkHost = %s: %v, insecure %v, want true", h, err, err == nil && out.Dst.(*delivery.Sink).Options().Insecure)
		}
	}
}

// TestSplunkStreamRuns sends runs of events of one group between events of
// another, with batches small enough to be sent in the middle of a run (the
// sink keeps the previous event's batch at hand): every event arrives once,
// in order within its group, with its group's query string, and no body
// is over the payload limit unless it holds a single event.
func TestSplunkStreamRuns(t *testing.T) {
	f := newFakeSplunkd(t)
	h, p := f.hostPort()
	s := hecSample("splunkstream", "splunkHost", h, "splunkPort", p, "sessionKey", "modinput-key")
	log, _ := hecTestLogger()
	const limit = 64
	o, err := newSplunkStream(s, log, func(o *delivery.Options) { hecFast(o); o.MaxPayload = limit })
	if err != nil {
		t.Fatal(err)
	}
	var evs []output.Event
	want := map[string][]string{}
	for i := range 300 {
		st := "st:a"
		if i%37 >= 30 || i%101 == 0 { // runs of a, shorter runs of b
			st = "st:b"
		}
		raw := fmt.Sprintf("event %d", i)
		if i%53 == 0 {
			raw += strings.Repeat(" long", 20) // alone in its body
		}
		evs = append(evs, output.Event{Time: hecT0, Raw: []byte(raw), Index: "main", Host: "h1", Source: "s", Sourcetype: st})
		want[st] = append(want[st], raw)
	}
	w := output.NewWriter(o.Dst, 0)
	done := make(chan error, 1)
	go func() { // bounded: a batch that never completes hangs the Writer
		for i := 0; i < len(evs); i += 45 { // chunks that end inside runs, with a flush between some
			if err := hecSubmit(w, o.Enc, evs[i:min(i+45, len(evs))]); err != nil {
				done <- err
				return
			}
			if i%90 == 0 {
				w.Flush()
			}
		}
		done <- w.Close()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the events were not delivered within 30 s")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	got := map[string][]string{}
	for _, p := range f.posts {
		lines := strings.Split(strings.TrimSuffix(p.body, "\n"), "\n")
		if len(p.body) > limit && len(lines) > 1 {
			t.Errorf("a body of %d bytes (%d events) over the %d-byte limit", len(p.body), len(lines), limit)
		}
		st := p.query.Get("sourcetype")
		got[st] = append(got[st], lines...)
	}
	for _, st := range []string{"st:a", "st:b"} {
		if strings.Join(got[st], "|") != strings.Join(want[st], "|") {
			t.Errorf("%s: got %q\nwant %q", st, got[st], want[st])
		}
	}
	if st := hecStats(o); st.Events != int64(len(evs)) {
		t.Errorf("stats %+v, want %d events", st, len(evs))
	}
}
