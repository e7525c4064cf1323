package splunktest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// AppDir is the app folder whose views and appserver/static files
	// Splunk Web serves (the repository's app/); "" serves no pages.
	AppDir string
	// StaticDirs are more folders served as the app's static files, after
	// appserver/static: build outputs such as validate.wasm that are not
	// in the source tree.
	StaticDirs []string
	// AppName is the app AppDir holds; default "SA-Eventgen".
	AppName string
	// SessionKey is what the splunkd side accepts after
	// "Authorization: Splunk "; default "fake-session-key".
	SessionKey string
	// User is the logged-in user of Splunk Web; default "admin".
	User string
	// Now is the search clock (earliest=-15m is relative to it); default
	// time.Now.
	Now func() time.Time
}

// Server is the fake. Its methods are safe for concurrent use with the
// requests it serves.
type Server struct {
	opts Options
	csrf string

	mu       sync.Mutex
	apps     map[string]*app
	appOrder []string
	events   []Event
	writes   []Write
	searches []string
	srv      *httptest.Server

	// receivers/simple's counts (events are lines)
	rcvEvents, rcvBytes, rcvRequests atomic.Int64
}

type app struct {
	name     string
	writable bool
	stanzas  []*stanza
}

type stanza struct {
	name    string
	keys    []string
	values  map[string]string
	updated time.Time
}

// Event is an indexed event that searches can find.
type Event struct {
	Index, Sourcetype, Source, Host string
	Time                            time.Time
	Raw                             string
	Component                       string // splunkd.log component, for index=_internal
}

// Write is a write request the splunkd side received (POST or DELETE on
// configs/conf-eventgen, through Splunk Web or not), whatever its answer.
type Write struct {
	Method string
	Path   string // the request path as received (escaped; with Splunk Web's prefix when proxied)
	Form   url.Values
	Status int // the answer's status
}

// New returns a Server with the app Options.AppName, writable. Start it
// with Start or StartTLS, or mount Handler yourself.
func New(opts Options) *Server {
	if opts.AppName == "" {
		opts.AppName = "SA-Eventgen"
	}
	if opts.SessionKey == "" {
		opts.SessionKey = "fake-session-key"
	}
	if opts.User == "" {
		opts.User = "admin"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := &Server{opts: opts, csrf: hex.EncodeToString(b[:]), apps: map[string]*app{}}
	s.AddApp(opts.AppName, true)
	return s
}

// AddApp declares an app; writable says whether the user may change its
// eventgen.conf (a read-only app answers writes with 403). Adding an app
// again changes only its permission.
func (s *Server) AddApp(name string, writable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.apps[name]; a != nil {
		a.writable = writable
		return
	}
	s.apps[name] = &app{name: name, writable: writable}
	s.appOrder = append(s.appOrder, name)
}

// SetStanza creates or replaces a stanza of app's eventgen.conf (adding
// the app, writable, if needed). Values are the .conf text.
func (s *Server) SetStanza(appName, name string, values map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[appName]
	if a == nil {
		a = &app{name: appName, writable: true}
		s.apps[appName] = a
		s.appOrder = append(s.appOrder, appName)
	}
	st := a.find(name)
	if st == nil {
		st = &stanza{name: name, values: map[string]string{}}
		a.stanzas = append(a.stanzas, st)
	}
	st.keys, st.values = nil, map[string]string{}
	for _, k := range sortedKeys(values) {
		st.set(k, values[k])
	}
	st.updated = s.opts.Now()
}

// Stanza returns a copy of a stanza's values, and whether it exists.
func (s *Server) Stanza(appName, name string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[appName]
	if a == nil {
		return nil, false
	}
	st := a.find(name)
	if st == nil {
		return nil, false
	}
	out := make(map[string]string, len(st.values))
	for k, v := range st.values {
		out[k] = v
	}
	return out, true
}

// AddEvent indexes an event.
func (s *Server) AddEvent(index, sourcetype, source, host string, t time.Time, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{Index: index, Sourcetype: sourcetype, Source: source, Host: host, Time: t, Raw: raw})
}

// AddInternal indexes a splunkd.log line into _internal (sourcetype
// splunkd), with its component taken from the line as splunkd's field
// extraction does (see ExecProcessorLine for the format).
func (s *Server) AddInternal(t time.Time, line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{Index: "_internal", Sourcetype: "splunkd", Source: "/opt/splunk/var/log/splunk/splunkd.log",
		Host: "splunk", Time: t, Raw: line, Component: component(line)})
}

// ExecProcessorLine is the splunkd.log line splunkd writes for a line a
// modular input printed on stderr (splunk-platform.md §1.6).
func ExecProcessorLine(t time.Time, msg string) string {
	return t.UTC().Format("01-02-2006 15:04:05.000 -0700") +
		` INFO  ExecProcessor [4242 ExecProcessorSchedulerThread] - message from "/opt/splunk/etc/apps/SA-Eventgen/linux_x86_64/bin/modinput_eventgen" ` + msg
}

// component is the word after the level in a splunkd.log line:
// "<date> <time> <zone> <LEVEL>  <Component> [...] - ...".
func component(line string) string {
	f := strings.Fields(line)
	if len(f) >= 5 {
		return f[4]
	}
	return ""
}

// Writes returns the write requests received so far.
func (s *Server) Writes() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Write(nil), s.writes...)
}

// Searches returns the search strings received so far.
func (s *Server) Searches() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.searches...)
}

// SessionKey is the key the splunkd side accepts.
func (s *Server) SessionKey() string { return s.opts.SessionKey }

// FormKey is Splunk Web's CSRF token: the value of the
// splunkweb_csrf_token_<port> cookie that writes must echo in
// X-Splunk-Form-Key.
func (s *Server) FormKey() string { return s.csrf }

// Start serves on a loopback port over HTTP and returns the base URL.
func (s *Server) Start() string {
	s.srv = httptest.NewServer(s.Handler())
	return s.srv.URL
}

// StartTLS serves on a loopback port over HTTPS (a self-signed
// certificate, like splunkd's) and returns the base URL.
func (s *Server) StartTLS() string {
	s.srv = httptest.NewTLSServer(s.Handler())
	return s.srv.URL
}

// URL is the base URL once started.
func (s *Server) URL() string {
	if s.srv == nil {
		return ""
	}
	return s.srv.URL
}

// Close stops a started server.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// Handler answers both the Splunk Web and the splunkd paths.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if p == "/services" || strings.HasPrefix(p, "/services/") || strings.HasPrefix(p, "/servicesNS/") {
			if r.Header.Get("Authorization") != "Splunk "+s.opts.SessionKey {
				// splunkd's answer to a missing or wrong session key.
				writeMessages(w, http.StatusUnauthorized, "WARN", "call not properly authenticated")
				return
			}
			s.splunkd(w, r, p, "splunk-system-user")
			return
		}
		s.web(w, r, p)
	})
}

// splunkd routes one REST request; path is the escaped path without any
// Splunk Web prefix.
func (s *Server) splunkd(w http.ResponseWriter, r *http.Request, path, user string) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	owner, appName := "-", "-"
	switch parts[0] {
	case "services":
		parts = parts[1:]
	case "servicesNS":
		if len(parts) < 3 {
			writeMessages(w, http.StatusNotFound, "ERROR", "Not Found")
			return
		}
		owner, appName = unescape(parts[1]), unescape(parts[2])
		parts = parts[3:]
	}
	if appName != "-" && !s.hasApp(appName) {
		writeMessages(w, http.StatusNotFound, "ERROR", "Application does not exist: "+appName)
		return
	}
	switch {
	case len(parts) >= 2 && parts[0] == "configs" && parts[1] == "conf-eventgen":
		name, one := "", len(parts) > 2
		if one {
			if len(parts) > 3 {
				writeMessages(w, http.StatusNotFound, "ERROR", "Not Found")
				return
			}
			name = unescape(parts[2])
		}
		s.conf(w, r, owner, appName, name, one, user)
	case len(parts) == 2 && parts[0] == "search" && parts[1] == "jobs":
		s.search(w, r)
	case len(parts) == 2 && parts[0] == "receivers" && parts[1] == "simple":
		s.receive(w, r)
	default:
		writeMessages(w, http.StatusNotFound, "ERROR", "Not Found")
	}
}

func (s *Server) hasApp(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apps[name] != nil
}

// unescape decodes a path segment; an invalid escape stays as written.
func unescape(seg string) string {
	if u, err := url.PathUnescape(seg); err == nil {
		return u
	}
	return seg
}

// message is one entry of splunkd's "messages" list.
type message struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// writeMessages answers with splunkd's error shape.
func writeMessages(w http.ResponseWriter, status int, typ, text string) {
	writeJSON(w, status, map[string]any{"messages": []message{{typ, text}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (a *app) find(name string) *stanza {
	for _, st := range a.stanzas {
		if st.name == name {
			return st
		}
	}
	return nil
}

func (st *stanza) set(k, v string) {
	if _, ok := st.values[k]; !ok {
		st.keys = append(st.keys, k)
	}
	st.values[k] = v
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Received returns what receivers/simple has accepted: events (lines),
// body bytes and requests.
func (s *Server) Received() (events, bytes, requests int64) {
	return s.rcvEvents.Load(), s.rcvBytes.Load(), s.rcvRequests.Load()
}

// receive is POST services/receivers/simple: splunkd indexes the body
// (line-broken by the sourcetype; here every line is an event) and answers
// with the metadata it used. Events are counted, not kept.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeMessages(w, http.StatusMethodNotAllowed, "ERROR", "Method Not Allowed")
		return
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, 1<<30)); err != nil {
		writeMessages(w, http.StatusBadRequest, "ERROR", "cannot read the body")
		return
	}
	p := buf.Bytes()
	n := bytes.Count(p, []byte{'\n'})
	if len(p) > 0 && p[len(p)-1] != '\n' {
		n++
	}
	s.rcvEvents.Add(int64(n))
	s.rcvBytes.Add(int64(len(p)))
	s.rcvRequests.Add(1)
	q := r.URL.Query()
	index := q.Get("index")
	if index == "" {
		index = "default"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"index": index, "bytes": len(p), "host": q.Get("host"), "source": q.Get("source"), "sourcetype": q.Get("sourcetype")})
}
