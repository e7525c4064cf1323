package splunk

import (
	"context"
	"errors"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/logging"
)

// confEventgenJSON is the shape of splunk-platform.md §2.2: two apps,
// typed values, eai:* keys, a "default" entry, a "global" stanza and an
// entry whose app is only in eai:appName.
const confEventgenJSON = `{"links":{},"origin":"https://127.0.0.1:8089/servicesNS/-/-/configs/conf-eventgen",
 "updated":"2024-01-01T00:00:00+00:00","generator":{"build":"abc","version":"9.2.0"},
 "entry":[
  {"name":"default","id":"https://127.0.0.1:8089/servicesNS/nobody/system/configs/conf-eventgen/default",
   "acl":{"app":"system","owner":"nobody","sharing":"system"},
   "content":{"disabled":false,"eai:acl":null,"eai:appName":"system","eai:userName":"nobody"}},
  {"name":"global","id":"…","author":"nobody",
   "acl":{"app":"SA-Eventgen","owner":"nobody","sharing":"system","perms":{"read":["*"],"write":["admin"]},"can_write":true,"modifiable":true,"removable":false},
   "content":{"disabled":false,"eai:acl":null,"eai:appName":"SA-Eventgen","eai:userName":"nobody","outputMode":"modinput","count":0}},
  {"name":"sample.tutorial1","id":"…","author":"nobody",
   "acl":{"app":"my_app","owner":"nobody","sharing":"app"},
   "content":{"interval":"3","count":20,"disabled":false,"randomizeEvents":true,"eai:acl":null,"eai:appName":"my_app",
              "earliest":"-3s","rate":1.50,"big":1e3,"nothing":null,
              "token.0.token":"\\d{4}-\\d{2}-\\d{2}","token.0.replacement":"%Y-%m-%d \"q\" \u00e9"}},
  {"name":"second.log","id":"…","acl":{"app":"SA-Eventgen"},
   "content":{"sampleDir":"samples2","eai:userName":"nobody"}},
  {"name":"no_acl.log","id":"…",
   "content":{"eai:appName":"other_app","count":"5"}}],
 "paging":{"total":5,"perPage":0,"offset":0},"messages":[]}`

func wantConfEventgen() []AppStanzas {
	st := func(name string, kv ...string) *conf.Stanza {
		s := &conf.Stanza{Name: name, Values: map[string]conf.Value{}}
		for i := 0; i < len(kv); i += 2 {
			s.Keys = append(s.Keys, kv[i])
			s.Values[kv[i]] = conf.Value{Text: kv[i+1]}
		}
		return s
	}
	return []AppStanzas{
		{App: "SA-Eventgen", Stanzas: []*conf.Stanza{
			st("global", "disabled", "false", "outputMode", "modinput", "count", "0"),
			st("second.log", "sampleDir", "samples2"),
		}},
		{App: "my_app", Stanzas: []*conf.Stanza{
			st("sample.tutorial1", "interval", "3", "count", "20", "disabled", "false", "randomizeEvents", "true",
				"earliest", "-3s", "rate", "1.50", "big", "1e3",
				"token.0.token", `\d{4}-\d{2}-\d{2}`, "token.0.replacement", `%Y-%m-%d "q" é`),
		}},
		{App: "other_app", Stanzas: []*conf.Stanza{st("no_acl.log", "count", "5")}},
	}
}

// fakeSplunkd serves configs/conf-eventgen on 127.0.0.1 over TLS with a
// test certificate, checking the request as splunkd would.
type fakeSplunkd struct {
	srv      *httptest.Server
	requests atomic.Int32
	// answer is called for each request after the checks pass.
	answer func(n int32, w http.ResponseWriter)
}

func newFakeSplunkd(t *testing.T, answer func(n int32, w http.ResponseWriter)) *fakeSplunkd {
	t.Helper()
	f := &fakeSplunkd{answer: answer}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		switch {
		case r.Method != http.MethodGet:
			http.Error(w, "method", http.StatusMethodNotAllowed)
		case r.URL.Path != "/servicesNS/-/-/configs/conf-eventgen":
			http.Error(w, "path "+r.URL.Path, http.StatusNotFound)
		case r.URL.Query().Get("output_mode") != "json" || r.URL.Query().Get("count") != "0":
			http.Error(w, "query "+r.URL.RawQuery, http.StatusBadRequest)
		case r.Header.Get("Authorization") != "Splunk s3cr3t":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"messages":[{"type":"WARN","text":"call not properly authenticated"}]}`))
		default:
			f.answer(n, w)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// newTestClient returns a client for url with millisecond backoff.
func newTestClient(t *testing.T, url, key string, log *slog.Logger) *Client {
	t.Helper()
	c, err := NewClient(url, key, log)
	if err != nil {
		t.Fatal(err)
	}
	c.http.RetryWaitMin = time.Millisecond
	c.http.RetryWaitMax = 5 * time.Millisecond
	return c
}

func TestEventgenConf(t *testing.T) {
	f := newFakeSplunkd(t, func(_ int32, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(confEventgenJSON))
	})
	var logs testlog.Buffer
	c := newTestClient(t, f.srv.URL+"/", "s3cr3t", logging.New(&logs, logging.Options{Level: slog.LevelDebug}))
	if !strings.HasPrefix(f.srv.URL, "https://127.0.0.1:") {
		t.Fatalf("test server not on loopback: %s", f.srv.URL)
	}
	got, err := c.EventgenConf(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := wantConfEventgen(); !reflect.DeepEqual(got, want) {
		for _, a := range got {
			for _, s := range a.Stanzas {
				t.Logf("%s [%s] %v %v", a.App, s.Name, s.Keys, s.Values)
			}
		}
		t.Errorf("stanzas differ from the expected ones")
	}
	if n := f.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if !strings.Contains(logs.String(), "DEBUG splunkd answered") || !strings.Contains(logs.String(), "status=200") {
		t.Errorf("no debug line about the answer: %q", logs.String())
	}
	if strings.Contains(logs.String(), "s3cr3t") {
		t.Errorf("session key in the logs: %q", logs.String())
	}
}

func TestEventgenConfUnauthorized(t *testing.T) {
	f := newFakeSplunkd(t, nil)
	c := newTestClient(t, f.srv.URL, "wrong", nil)
	_, err := c.EventgenConf(t.Context())
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want *HTTPError", err)
	}
	if he.Status != http.StatusUnauthorized {
		t.Errorf("status = %d", he.Status)
	}
	if n := f.requests.Load(); n != 1 {
		t.Errorf("%d requests for a 401, want 1 (no retry)", n)
	}
	for _, want := range []string{"401 Unauthorized", "splunkd rejected the session key", "call not properly authenticated", "/servicesNS/-/-/configs/conf-eventgen"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !strings.Contains(he.Body, "not properly authenticated") || he.URL != f.srv.URL+eventgenPath {
		t.Errorf("HTTPError fields: %+v", he)
	}
}

func TestEventgenConfRetries(t *testing.T) {
	f := newFakeSplunkd(t, func(n int32, w http.ResponseWriter) {
		if n <= 2 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(confEventgenJSON))
	})
	var logs testlog.Buffer
	c := newTestClient(t, f.srv.URL, "s3cr3t", logging.New(&logs, logging.Options{Level: slog.LevelDebug}))
	got, err := c.EventgenConf(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("got %d apps", len(got))
	}
	if n := f.requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if !strings.Contains(logs.String(), "retrying splunkd request") {
		t.Errorf("no debug line about retries: %q", logs.String())
	}
}

func TestEventgenConfStatus(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		requests int32
		hint     string
	}{
		{"server error, retried then given up", http.StatusInternalServerError, 4, "splunkd failed, even after retries"},
		{"too many requests, retried", http.StatusTooManyRequests, 4, "429 Too Many Requests"},
		{"forbidden, not retried", http.StatusForbidden, 1, "may not read configs/conf-eventgen"},
		{"not found, not retried", http.StatusNotFound, 1, "management port"},
		{"bad request, not retried", http.StatusBadRequest, 1, "400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSplunkd(t, func(_ int32, w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3600") // capped by the backoff's maximum
				http.Error(w, strings.Repeat("x", 1000), tt.status)
			})
			c := newTestClient(t, f.srv.URL, "s3cr3t", nil)
			start := time.Now()
			_, err := c.EventgenConf(t.Context())
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != tt.status {
				t.Fatalf("err = %v, want *HTTPError %d", err, tt.status)
			}
			if len(he.Body) != errorBodyLen {
				t.Errorf("body kept %d bytes, want %d", len(he.Body), errorBodyLen)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("error %q lacks %q", err, tt.hint)
			}
			if n := f.requests.Load(); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestEventgenConfConnectionRefused(t *testing.T) {
	// A port that was just free: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "https://"+addr, "s3cr3t", nil)
	start := time.Now()
	_, err = c.EventgenConf(t.Context())
	if err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v, want < 5s", d)
	}
	var he *HTTPError
	if errors.As(err, &he) {
		t.Errorf("connection error reported as HTTP status: %v", err)
	}
	for _, want := range []string{"cannot reach splunkd", "gave up after 4 attempts", "refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestEventgenConfCanceled(t *testing.T) {
	f := newFakeSplunkd(t, func(_ int32, w http.ResponseWriter) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	c := newTestClient(t, f.srv.URL, "s3cr3t", nil)
	c.http.RetryWaitMin, c.http.RetryWaitMax = time.Hour, time.Hour
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.EventgenConf(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestEventgenConfBadAnswers(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"HTML", "<html><body>Splunk Web</body></html>", `not the expected JSON`},
		{"truncated", confEventgenJSON[:300], "not the expected JSON"},
		{"no entry", `{"messages":[]}`, `no "entry" list`},
		{"content not an object", `{"entry":[{"name":"a","content":[1]}]}`, "not an object"},
		{"acl.app not a string", `{"entry":[{"name":"a","acl":{"app":1}}]}`, "not the expected JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSplunkd(t, func(_ int32, w http.ResponseWriter) { _, _ = w.Write([]byte(tt.body)) })
			c := newTestClient(t, f.srv.URL, "s3cr3t", nil)
			_, err := c.EventgenConf(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseEventgenConf(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []AppStanzas
		wantLog string
	}{
		{"empty list", `{"entry":[]}`, nil, ""},
		{"null content", `{"entry":[{"name":"a","acl":{"app":"x"},"content":null}]}`,
			[]AppStanzas{{App: "x", Stanzas: []*conf.Stanza{{Name: "a", Values: map[string]conf.Value{}}}}}, ""},
		{"duplicate key keeps first position, last value", `{"entry":[{"name":"a","acl":{"app":"x"},"content":{"k":"1","j":"2","k":"3"}}]}`,
			[]AppStanzas{{App: "x", Stanzas: []*conf.Stanza{{Name: "a", Keys: []string{"k", "j"}, Values: map[string]conf.Value{"k": {Text: "3"}, "j": {Text: "2"}}}}}}, ""},
		{"no app at all", `{"entry":[{"name":"a","content":{"k":"v"}}]}`,
			[]AppStanzas{{App: "", Stanzas: []*conf.Stanza{{Name: "a", Keys: []string{"k"}, Values: map[string]conf.Value{"k": {Text: "v"}}}}}}, "WARN splunkd names no app"},
		{"object value kept as JSON", `{"entry":[{"name":"a","acl":{"app":"x"},"content":{"o":{"b": [1, 2]}}}]}`,
			[]AppStanzas{{App: "x", Stanzas: []*conf.Stanza{{Name: "a", Keys: []string{"o"}, Values: map[string]conf.Value{"o": {Text: `{"b":[1,2]}`}}}}}}, ""},
		{"paging says more", `{"entry":[],"paging":{"total":40}}`, nil, "WARN splunkd returned fewer eventgen.conf stanzas than it has returned=0 total=40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs testlog.Buffer
			got, err := parseEventgenConf([]byte(tt.body), logging.New(&logs, logging.Options{Level: slog.LevelDebug}))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %q lacks %q", logs.String(), tt.wantLog)
			}
		})
	}
}

func TestTLSConfigFor(t *testing.T) {
	tests := []struct {
		host string
		skip bool
	}{
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"::1", true},
		{"localhost", true},
		{"LOCALHOST.", true},
		{"splunk.localhost", true},
		{"::ffff:127.0.0.1", true},
		{"10.0.0.5", false},
		{"0.0.0.0", false},
		{"splunk.example.com", false},
		{"localhost.example.com", false},
		{"127.0.0.1.nip.io", false},
		{"", false},
	}
	for _, tt := range tests {
		cfg := tlsConfigFor(tt.host)
		if cfg.InsecureSkipVerify != tt.skip {
			t.Errorf("host %q: InsecureSkipVerify = %v, want %v", tt.host, cfg.InsecureSkipVerify, tt.skip)
		}
		if cfg.MinVersion < 0x0303 {
			t.Errorf("host %q: MinVersion %x below TLS 1.2", tt.host, cfg.MinVersion)
		}
	}
}

// TestNewClientTLS checks that the decision reaches the transport: the
// test server's certificate is accepted on 127.0.0.1 and refused, without
// retries, under a name that is not loopback.
func TestNewClientTLS(t *testing.T) {
	f := newFakeSplunkd(t, func(_ int32, w http.ResponseWriter) { _, _ = w.Write([]byte(`{"entry":[]}`)) })
	c, err := NewClient(f.srv.URL, "s3cr3t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr := c.http.HTTPClient.Transport.(*http.Transport); !tr.TLSClientConfig.InsecureSkipVerify {
		t.Error("loopback client verifies certificates")
	}
	if c.http.HTTPClient.Timeout != requestTimeout || c.http.RetryMax != 3 || c.http.Logger != nil {
		t.Errorf("client settings: timeout %v, retries %d, logger %v", c.http.HTTPClient.Timeout, c.http.RetryMax, c.http.Logger)
	}

	// Same server, reached through a name that is not loopback.
	remote := newTestClient(t, strings.Replace(f.srv.URL, "127.0.0.1", "splunk.example.invalid", 1), "s3cr3t", nil)
	tr := remote.http.HTTPClient.Transport.(*http.Transport)
	if tr.TLSClientConfig.InsecureSkipVerify {
		t.Fatal("non-loopback client skips verification")
	}
	tr.Proxy = nil
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, f.srv.Listener.Addr().String())
	}
	_, err = remote.EventgenConf(t.Context())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestNewClientErrors(t *testing.T) {
	for _, base := range []string{
		"", "127.0.0.1:8089", "ftp://127.0.0.1:8089", "https://", "https://u:p@127.0.0.1:8089",
		"https://127.0.0.1:8089?x=1", "https://127.0.0.1:8089#f", "https://[::1",
	} {
		if _, err := NewClient(base, "k", nil); err == nil {
			t.Errorf("NewClient(%q) accepted", base)
		}
	}
	for _, base := range []string{"https://127.0.0.1:8089", " https://localhost:8089/ ", "http://127.0.0.1:8089"} {
		c, err := NewClient(base, "k", nil)
		if err != nil {
			t.Errorf("NewClient(%q): %v", base, err)
			continue
		}
		if strings.HasSuffix(c.base, "/") {
			t.Errorf("base %q keeps a trailing slash", c.base)
		}
	}
}
