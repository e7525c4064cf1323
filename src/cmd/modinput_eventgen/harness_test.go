package main

// A harness that plays splunkd: it builds the binary, runs --scheme and
// --validate-arguments, then starts run mode with the input XML on stdin
// and a TLS fake of splunkd's REST API serving configs/conf-eventgen in
// its real JSON shape, parses the XML stream as it arrives, and stops
// the process the ways splunkd does (../shared/reference/splunk-platform.md
// §1, §2.2, §6.4).

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "modinput-harness-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "modinput_eventgen")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestSchemeMatchesDocumentedSchema(t *testing.T) {
	out, err := exec.Command(binary, "--scheme").Output()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		XMLName               xml.Name `xml:"scheme"`
		Title                 string   `xml:"title"`
		Description           string   `xml:"description"`
		UseExternalValidation string   `xml:"use_external_validation"`
		UseSingleInstance     string   `xml:"use_single_instance"`
		StreamingMode         string   `xml:"streaming_mode"`
		Args                  []struct {
			Name     string `xml:"name,attr"`
			Title    string `xml:"title"`
			DataType string `xml:"data_type"`
		} `xml:"endpoint>args>arg"`
	}
	if err := xml.Unmarshal(out, &s); err != nil {
		t.Fatalf("--scheme is not XML: %v\n%s", err, out)
	}
	if s.Title == "" || s.UseExternalValidation != "true" || s.UseSingleInstance != "false" || s.StreamingMode != "xml" {
		t.Fatalf("scheme %+v", s)
	}
	if len(s.Args) != 3 || s.Args[0].Name != "verbosity" || s.Args[0].DataType != "number" || s.Args[1].Name != "config_poll_interval" || s.Args[1].DataType != "number" ||
		s.Args[2].Name != "shard" || s.Args[2].DataType != "string" {
		t.Fatalf("args %+v", s.Args)
	}
}

const validationXML = `<items>
  <server_host>myHost</server_host>
  <server_uri>https://127.0.0.1:8089</server_uri>
  <session_key>123</session_key>
  <checkpoint_dir>/tmp</checkpoint_dir>
  <item name="default">
    <param name="verbosity">%s</param>
    <param name="config_poll_interval">%s</param>
    <param name="shard">%s</param>
    <param name="disabled">0</param>
  </item>
</items>`

func TestValidateArguments(t *testing.T) {
	for _, c := range []struct {
		verbosity, poll, shard string
		bad                    string // the argument the error must name; "" = valid
	}{{"20", "", "", ""}, {"50", "0", "", ""}, {"20", "2.5", "", ""}, {"loud", "30", "", "verbosity"}, {"25", "", "", "verbosity"}, {"20", "-1", "", "config_poll_interval"}, {"20", "soon", "", "config_poll_interval"},
		{"20", "", "0/1", ""}, {"20", "", "15/16", ""}, {"20", "", "16/16", "shard"}, {"20", "", "1", "shard"}, {"20", "", "-1/4", "shard"}} {
		cmd := exec.Command(binary, "--validate-arguments")
		cmd.Stdin = strings.NewReader(fmt.Sprintf(validationXML, c.verbosity, c.poll, c.shard))
		out, err := cmd.Output()
		if c.bad == "" && (err != nil || len(out) != 0) {
			t.Errorf("verbosity %q poll %q: err %v, out %q; want exit 0 and no output", c.verbosity, c.poll, err, out)
		}
		if c.bad != "" {
			var doc struct {
				Message string `xml:"message"`
			}
			if err == nil || xml.Unmarshal(out, &doc) != nil || !strings.Contains(doc.Message, c.bad) {
				t.Errorf("verbosity %q poll %q: err %v, out %q; want non-zero exit and <error><message> about %s", c.verbosity, c.poll, err, out, c.bad)
			}
		}
	}
}

// splunkHome lays out $SPLUNK_HOME/etc/apps with two apps that ship
// eventgen.conf and samples; the same stanzas are served over REST.
func fakeHome(t *testing.T, withBadStanza bool) string {
	t.Helper()
	home := t.TempDir()
	write := func(p, content string) {
		p = filepath.Join(home, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/apps/TA-one/default/eventgen.conf", "[one.log]\ninterval = 1\ncount = 2\nindex = idx_default\nsourcetype = st:one\n")
	write("etc/apps/TA-one/local/eventgen.conf", "[one.log]\nindex = idx_one\n")
	write("etc/apps/TA-one/samples/one.log", "first app <&> event\n")
	write("etc/apps/TA-two/default/eventgen.conf", "[two.log]\ninterval = 1\ncount = 1\nhost = two-host\n")
	write("etc/apps/TA-two/samples/two.log", "second app event\n")
	if withBadStanza {
		write("etc/apps/TA-bad/default/eventgen.conf", "[bad.log]\ntoken.0.token = x\ntoken.0.replacementType = random\ntoken.0.replacement = integer[9:1]\n")
		write("etc/apps/TA-bad/samples/bad.log", "x\n")
	}
	return home
}

// restEntries is configs/conf-eventgen as splunkd serves it: merged
// default/local, typed values, acl.app, eai:* keys, [default] merged in.
func restEntries(withBadStanza bool) []map[string]any {
	entries := []map[string]any{
		{"name": "default", "acl": map[string]any{"app": "system"}, "content": map[string]any{"disabled": false}},
		{"name": "global", "acl": map[string]any{"app": "SA-Eventgen"}, "content": map[string]any{"disabled": false, "interval": 60, "outputMode": "modinput", "eai:acl": nil}},
		{"name": "one.log", "acl": map[string]any{"app": "TA-one", "owner": "nobody", "sharing": "system"},
			"content": map[string]any{"disabled": false, "interval": 1, "count": 2, "index": "idx_one", "sourcetype": "st:one", "eai:appName": "TA-one", "eai:userName": "nobody", "eai:acl": nil}},
		{"name": "two.log", "acl": map[string]any{"app": "TA-two"},
			"content": map[string]any{"disabled": "0", "interval": "1", "count": "1", "host": "two-host", "outputMode": "splunkstream"}},
	}
	if withBadStanza {
		entries = append(entries, map[string]any{"name": "bad.log", "acl": map[string]any{"app": "TA-bad"},
			"content": map[string]any{"token.0.token": "x", "token.0.replacementType": "random", "token.0.replacement": "integer[9:1]"}})
	}
	return entries
}

type fakeSplunkd struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	entries  []map[string]any
	refuse   bool // answer 401 from now on (a session key that expired)
}

// setEntries changes what configs/conf-eventgen answers, as a POST to it
// from Splunk Web would.
func (f *fakeSplunkd) setEntries(entries []map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = entries
}

func newSplunkd(t *testing.T, status int, withBadStanza bool) *fakeSplunkd {
	f := &fakeSplunkd{entries: restEntries(withBadStanza)}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		entries, refuse := f.entries, f.refuse
		f.mu.Unlock()
		if r.URL.Path != "/servicesNS/-/-/configs/conf-eventgen" || r.URL.Query().Get("output_mode") != "json" || r.URL.Query().Get("count") != "0" {
			http.Error(w, `{"messages":[{"type":"ERROR","text":"Not Found"}]}`, 404)
			return
		}
		if r.Header.Get("Authorization") != "Splunk good-key" || status == 401 || refuse {
			w.WriteHeader(401)
			io.WriteString(w, `{"messages":[{"type":"WARN","text":"call not properly authenticated"}]}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"entry": entries, "paging": map[string]any{"total": len(entries), "offset": 0}})
	}))
	t.Cleanup(f.Close)
	return f
}

func inputXML(serverURI, key, checkpointDir string) string {
	return inputXMLParams(serverURI, key, checkpointDir, "")
}

// inputXMLParams is inputXML with more <param> elements for the stanza.
func inputXMLParams(serverURI, key, checkpointDir, params string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<input>
  <server_host>harness</server_host>
  <server_uri>%s</server_uri>
  <session_key>%s</session_key>
  <checkpoint_dir>%s</checkpoint_dir>
  <configuration>
    <stanza name="modinput_eventgen://default" app="SA-Eventgen">
      <param name="verbosity">20</param>
      <param name="disabled">0</param>
      <param name="interval">60</param>%s
    </stanza>
  </configuration>
</input>`, serverURI, key, checkpointDir, params)
}

type event struct {
	Stanza     string `xml:"stanza,attr"`
	Time       string `xml:"time"`
	Index      string `xml:"index"`
	Host       string `xml:"host"`
	Source     string `xml:"source"`
	Sourcetype string `xml:"sourcetype"`
	Data       string `xml:"data"`
}

// proc is a running modular input.
type running struct {
	cmd    *exec.Cmd
	events chan event
	done   chan error // the stream's end: nil after </stream>, else the error
	stderr *testlog.Buffer
}

func start(t *testing.T, home, stdin string) *running {
	t.Helper()
	cmd := exec.Command(binary)
	cmd.Env = append(os.Environ(), "SPLUNK_HOME="+home)
	cmd.Stdin = strings.NewReader(stdin)
	r := &running{cmd: cmd, events: make(chan event, 1000), done: make(chan error, 1), stderr: &testlog.Buffer{}}
	cmd.Stderr = r.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		dec := xml.NewDecoder(bufio.NewReader(stdout))
		depth := 0
		for {
			tok, err := dec.Token()
			if err != nil {
				r.done <- fmt.Errorf("stream ended without </stream>: %v", err)
				return
			}
			switch el := tok.(type) {
			case xml.StartElement:
				depth++
				if el.Name.Local == "event" {
					var ev event
					if err := dec.DecodeElement(&ev, &el); err != nil {
						r.done <- err
						return
					}
					depth--
					r.events <- ev
				}
			case xml.EndElement:
				depth--
				if el.Name.Local == "stream" && depth == 0 {
					r.done <- nil
					return
				}
			}
		}
	}()
	return r
}

// collect reads events until want of them arrived (bounded in time).
func (r *running) collect(t *testing.T, want int) []event {
	t.Helper()
	var evs []event
	deadline := time.After(20 * time.Second)
	for len(evs) < want {
		select {
		case ev := <-r.events:
			evs = append(evs, ev)
		case err := <-r.done:
			t.Fatalf("stream ended after %d events (%v)\nstderr:\n%s", len(evs), err, r.stderr.String())
		case <-deadline:
			t.Fatalf("%d events after 20 s, want %d\nstderr:\n%s", len(evs), want, r.stderr.String())
		}
	}
	return evs
}

// stop signals the process and asserts a closed </stream> and exit 0
// within 2 s.
func (r *running) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	begin := time.Now()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case <-r.events: // events already generated are still delivered
			continue
		case err := <-r.done:
			if err != nil {
				t.Fatalf("after %v: %v\nstderr:\n%s", sig, err, r.stderr.String())
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("no </stream> within 2 s of %v\nstderr:\n%s", sig, r.stderr.String())
		}
		break
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- r.cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("exit after %v: %v\nstderr:\n%s", sig, err, r.stderr.String())
		}
	case <-time.After(2*time.Second - time.Since(begin) + 100*time.Millisecond):
		t.Fatalf("process still running 2 s after %v", sig)
	}
}

func byIndex(evs []event) map[string][]event {
	m := map[string][]event{}
	for _, ev := range evs {
		m[ev.Index] = append(m[ev.Index], ev)
	}
	return m
}

func TestRunFromRESTThenSIGTERM(t *testing.T) {
	home := fakeHome(t, false)
	srv := newSplunkd(t, 200, false)
	r := start(t, home, inputXML(srv.URL, "good-key", t.TempDir()))
	evs := r.collect(t, 9)
	m := byIndex(evs)
	one, two := m["idx_one"], m["main"]
	if len(one) == 0 || len(two) == 0 {
		t.Fatalf("events by index %v; want both apps' stanzas", m)
	}
	for _, ev := range one {
		if ev.Data != "first app <&> event" || ev.Sourcetype != "st:one" || ev.Source != "one.log" || ev.Stanza != "modinput_eventgen://default" || ev.Time == "" {
			t.Fatalf("TA-one event %+v", ev)
		}
	}
	for _, ev := range two {
		if ev.Host != "two-host" || ev.Data != "second app event" {
			t.Fatalf("TA-two event %+v", ev)
		}
	}
	r.stop(t, syscall.SIGTERM)
	log := r.stderr.String()
	if n := strings.Count(log, "stanza will generate"); n != 2 {
		t.Errorf("%d 'stanza will generate' lines, want one per stanza (2):\n%s", n, log)
	}
	for _, want := range []string{"read eventgen.conf from splunkd REST", "outputMode splunkstream without splunkHost"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if w, _, _ := strings.Cut(line, " "); !strings.Contains(" DEBUG INFO WARN ERROR FATAL ", " "+w+" ") {
			t.Errorf("stderr line without a Splunk severity: %q", line)
		}
	}
}

func TestRESTDownFallsBackToDisk(t *testing.T) {
	home := fakeHome(t, false)
	r := start(t, home, inputXML("https://127.0.0.1:1", "good-key", t.TempDir()))
	m := byIndex(r.collect(t, 6))
	if len(m["idx_one"]) == 0 || len(m["main"]) == 0 {
		t.Fatalf("events by index %v; want local/ overriding default/ and both apps", m)
	}
	r.stop(t, syscall.SIGINT)
	if !strings.Contains(r.stderr.String(), "from disk") {
		t.Errorf("fallback not logged:\n%s", r.stderr.String())
	}
}

func TestREST401IsReportedAndDiskUsed(t *testing.T) {
	home := fakeHome(t, false)
	srv := newSplunkd(t, 401, false)
	r := start(t, home, inputXML(srv.URL, "expired-key", t.TempDir()))
	r.collect(t, 3)
	r.stop(t, syscall.SIGTERM)
	log := r.stderr.String()
	if !strings.Contains(log, "ERROR") || !strings.Contains(log, "session key") {
		t.Errorf("401 not reported as an ERROR about the session key:\n%s", log)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.requests != 1 {
		t.Errorf("%d requests; a 401 must not be retried", srv.requests)
	}
}

func TestBadStanzaInOneAppOthersRun(t *testing.T) {
	home := fakeHome(t, true)
	srv := newSplunkd(t, 200, true)
	r := start(t, home, inputXML(srv.URL, "good-key", t.TempDir()))
	m := byIndex(r.collect(t, 6))
	if len(m["idx_one"]) == 0 || len(m["main"]) == 0 {
		t.Fatalf("events by index %v", m)
	}
	r.stop(t, syscall.SIGTERM)
	// bad.log's token cannot produce a value: the stanza runs without it,
	// and says so once, by name and value, and in its status line.
	log := r.stderr.String()
	if !strings.Contains(log, "WARN") || !strings.Contains(log, "bad.log") || !strings.Contains(log, "integer[9:1]") {
		t.Errorf("the bad stanza is not reported by name with its value:\n%s", log)
	}
	if !strings.Contains(log, "stanza=bad.log") || !strings.Contains(log, "broken_tokens=1") {
		t.Errorf("the bad stanza's status line does not count its broken token:\n%s", log)
	}
}

func TestCheckpointResumeAfterKill9(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is POSIX")
	}
	home := fakeHome(t, false)
	srv := newSplunkd(t, 200, false)
	cp := t.TempDir()
	r := start(t, home, inputXML(srv.URL, "good-key", cp))
	first := r.collect(t, 6)
	r.cmd.Process.Signal(syscall.SIGKILL)
	r.cmd.Wait()
	time.Sleep(1500 * time.Millisecond) // one missed interval at least
	r2 := start(t, home, inputXML(srv.URL, "good-key", cp))
	second := r2.collect(t, 6)
	r2.stop(t, syscall.SIGTERM)
	if !strings.Contains(r2.stderr.String(), "resuming from checkpoint") {
		t.Errorf("restart did not resume:\n%s", r2.stderr.String())
	}
	// TA-two generates one event per 1 s interval: its event times across
	// the kill must be one per second, no second twice and none missing
	// (those generated but not yet written when killed may be repeated:
	// a kill -9 loses the unwritten tail of an interval at most).
	seconds := map[int64]int{}
	var lo, hi int64
	for _, ev := range append(first, second...) {
		if ev.Host != "two-host" {
			continue
		}
		var sec int64
		fmt.Sscanf(ev.Time, "%d", &sec)
		seconds[sec]++
		if lo == 0 || sec < lo {
			lo = sec
		}
		hi = max(hi, sec)
	}
	for s := lo; s <= hi; s++ {
		if seconds[s] != 1 {
			t.Errorf("second %d has %d events from TA-two, want exactly 1 (first run %d events, second %d)", s-lo, seconds[s], len(first), len(second))
		}
	}
}

func TestStdoutClosedByReader(t *testing.T) {
	home := fakeHome(t, false)
	srv := newSplunkd(t, 200, false)
	cmd := exec.CommandContext(context.Background(), binary)
	cmd.Env = append(os.Environ(), "SPLUNK_HOME="+home)
	cmd.Stdin = strings.NewReader(inputXML(srv.URL, "good-key", t.TempDir()))
	stderr := &testlog.Buffer{}
	cmd.Stderr = stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadAtLeast(stdout, buf, 10); err != nil {
		t.Fatal(err)
	}
	stdout.Close() // splunkd went away
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 5 s after its stdout was closed\nstderr:\n%s", stderr.String())
	}
}

// A stanza with a network output runs its own output from the modular
// input's process while the others stream to splunkd.
func TestNetworkOutputFromModularInput(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 100)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			got <- sc.Text()
		}
	}()
	home := fakeHome(t, false)
	port := ln.Addr().(*net.TCPAddr).Port
	os.WriteFile(filepath.Join(home, "etc", "apps", "TA-two", "local", "eventgen.conf"), nil, 0o644)
	os.MkdirAll(filepath.Join(home, "etc", "apps", "TA-two", "local"), 0o755)
	os.WriteFile(filepath.Join(home, "etc", "apps", "TA-two", "local", "eventgen.conf"),
		[]byte(fmt.Sprintf("[two.log]\noutputMode = tcpout\ntcpDestinationHost = 127.0.0.1\ntcpDestinationPort = %d\n", port)), 0o644)
	r := start(t, home, inputXML("https://127.0.0.1:1", "k", t.TempDir())) // REST down: files on disk
	r.collect(t, 4)                                                        // TA-one streams to splunkd
	select {
	case line := <-got:
		if line != "second app event" {
			t.Fatalf("tcpout received %q", line)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("nothing arrived over TCP\nstderr:\n%s", r.stderr.String())
	}
	r.stop(t, syscall.SIGTERM)
}

// Hot reload: a stanza changed through REST (as the SA-Eventgen page
// does) changes the output within one poll, without a restart: the
// changed stanza continues its schedule with its new settings, a disabled
// one stops, and no interval is generated twice or skipped.
func TestHotReloadFromREST(t *testing.T) {
	home := fakeHome(t, false)
	f := newSplunkd(t, 200, false)
	cpDir := t.TempDir()
	r := start(t, home, inputXMLParams(f.URL, "good-key", cpDir, `
      <param name="config_poll_interval">1</param>`))
	before := r.collect(t, 6) // about 2 s: one.log 2 events/s, two.log 1
	changed := restEntries(false)
	one, two := changed[2]["content"].(map[string]any), changed[3]["content"].(map[string]any)
	one["count"] = 3
	one["token.0.token"] = "event"
	one["token.0.replacementType"] = "static"
	one["token.0.replacement"] = "changed"
	two["disabled"] = true
	f.setEntries(changed)
	changedAt := time.Now()

	// Read until one.log has produced three intervals of new events.
	evs := before
	var firstNew time.Duration
	deadline := time.After(20 * time.Second)
	for newIntervals := 0; newIntervals < 9; {
		select {
		case ev := <-r.events:
			evs = append(evs, ev)
			if strings.HasSuffix(ev.Data, "changed") {
				if newIntervals == 0 {
					firstNew = time.Since(changedAt)
				}
				newIntervals++
			}
		case err := <-r.done:
			t.Fatalf("stream ended: %v\nstderr:\n%s", err, r.stderr.String())
		case <-deadline:
			t.Fatalf("no new events 20 s after the change\nstderr:\n%s", r.stderr.String())
		}
	}
	r.stop(t, syscall.SIGTERM)
	// One poll (1 s) and one interval (1 s), with slack for a busy machine.
	if firstNew > 5*time.Second {
		t.Errorf("the change showed in the output after %v, want within one poll and one interval", firstNew)
	}

	// one.log: every interval second exactly once, with the old events (2)
	// before the change and the new ones (3) after; no gap, no repeat.
	groups := map[string][]string{}
	var times []string
	var twoTimes []string
	for _, ev := range evs {
		switch ev.Source {
		case "one.log":
			if _, ok := groups[ev.Time]; !ok {
				times = append(times, ev.Time)
			}
			groups[ev.Time] = append(groups[ev.Time], ev.Data)
		case "two.log":
			twoTimes = append(twoTimes, ev.Time)
		}
	}
	var firstNewTime float64
	sawNew := false
	for i, tm := range times {
		g := groups[tm]
		sec, _ := strconv.ParseFloat(tm, 64)
		if i > 0 {
			prev, _ := strconv.ParseFloat(times[i-1], 64)
			if sec-prev != 1 {
				t.Errorf("one.log intervals at %s then %s: want one every second, no gap, no repeat", times[i-1], tm)
			}
		}
		switch {
		case len(g) == 2 && g[0] == "first app <&> event" && g[1] == g[0] && !sawNew:
		case len(g) == 3 && g[0] == "first app <&> changed" && g[1] == g[0] && g[2] == g[0]:
			if !sawNew {
				firstNewTime = sec
			}
			sawNew = true
		default:
			t.Errorf("one.log interval %s: %q; want the 2 old events before the change, the 3 new ones after, never mixed", tm, g)
		}
	}
	for _, tm := range twoTimes {
		if sec, _ := strconv.ParseFloat(tm, 64); sec >= firstNewTime {
			t.Errorf("two.log event at %s, after it was disabled (one.log's first new interval: %.3f)", tm, firstNewTime)
		}
	}
	stderr := r.stderr.String()
	for _, want := range []string{
		"INFO eventgen.conf changed; applied without a restart started=\"\" stopped=two.log restarted=one.log unchanged=0",
		"INFO eventgen_status stanza=two.log app=TA-two sample=\"\" state=not_generating",
		"INFO eventgen_status stanza=one.log app=TA-one sample=one.log state=generating",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !regexp.MustCompile(`state=not_generating .*reason="disabled \(disabled = (true|1)`).MatchString(stderr) {
		t.Errorf("two.log's status does not say it is disabled:\n%s", stderr)
	}
	if n := strings.Count(stderr, "eventgen.conf changed"); n != 1 {
		t.Errorf("%d 'eventgen.conf changed' lines for one change: polls of an unchanged configuration must be quiet", n)
	}
	// one.log's checkpoint continues; two.log's is gone with it.
	entries, _ := os.ReadDir(cpDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || !strings.Contains(names[0], "one.log") {
		t.Errorf("checkpoints %v, want one.log's only", names)
	}
}

// A poll that cannot read REST keeps what runs: no stanza stops because
// splunkd answered 401 (an expired session key) once the input was up,
// and the log says what happened and that nothing changed.
func TestPollKeepsConfigWhenRESTFails(t *testing.T) {
	home := fakeHome(t, false)
	f := newSplunkd(t, 200, false)
	r := start(t, home, inputXMLParams(f.URL, "good-key", t.TempDir(), `
      <param name="config_poll_interval">0.5</param>`))
	r.collect(t, 3)
	f.mu.Lock()
	f.refuse = true
	f.mu.Unlock()
	const warn = "cannot re-read eventgen.conf from splunkd REST; keeping the running configuration"
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(r.stderr.String(), warn) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q 15 s after REST started refusing:\n%s", warn, r.stderr.String())
		}
		select {
		case <-r.events:
		case <-time.After(50 * time.Millisecond):
		}
	}
	evs := byIndex(r.collect(t, 9))
	if len(evs["idx_one"]) == 0 || len(evs["main"]) == 0 {
		t.Errorf("after the failed re-read: %d events of one.log, %d of two.log; both should keep running", len(evs["idx_one"]), len(evs["main"]))
	}
	if strings.Contains(r.stderr.String(), "eventgen.conf changed") {
		t.Errorf("a failed re-read was taken for a change:\n%s", r.stderr.String())
	}
	r.stop(t, syscall.SIGTERM)
}

// TestShardedInputsAddUp plays splunkd with N inputs, shard 0/N to
// N-1/N, on the same apps and seed, and checks that together they stream
// exactly as many events of each stanza as one input without a shard:
// counts come from the seed alone (the rater's own stream), whenever each
// input starts.
func TestShardedInputsAddUp(t *testing.T) {
	home := t.TempDir()
	write := func(p, content string) {
		p = filepath.Join(home, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/apps/SA-Eventgen/default/eventgen.conf", "[global]\nseed = 42\noutputMode = modinput\n")
	write("etc/apps/TA-one/default/eventgen.conf", "[one.log]\ninterval = 1\nend = 3\ncount = 400\nrandomizeCount = 0.6\n"+
		"[two.log]\ninterval = 1\nend = 2\nperDayVolume = 0.5\nrandomizeEvents = true\n"+
		"token.0.token = @n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:99999]\n")
	write("etc/apps/TA-one/samples/one.log", "one event\n")
	write("etc/apps/TA-one/samples/two.log", "two event @n\nanother, longer two event @n @n\n")
	// drain counts r's events per source until it has been quiet for a
	// while after every stanza's end
	drain := func(r *running) (map[string]int, error) {
		got := map[string]int{}
		for {
			select {
			case ev := <-r.events:
				got[ev.Source]++
			case err := <-r.done:
				return got, fmt.Errorf("stream ended (%v)\nstderr:\n%s", err, r.stderr.String())
			case <-time.After(2500 * time.Millisecond):
				return got, nil
			}
		}
	}
	one := start(t, home, inputXMLParams("", "", t.TempDir(), ""))
	whole, err := drain(one)
	if err != nil {
		t.Fatal(err)
	}
	one.stop(t, syscall.SIGTERM)
	if len(whole) != 2 {
		t.Fatalf("unsharded: %v", whole)
	}
	n := 2 + rand.IntN(4)
	runs := make([]*running, n)
	for k := range n {
		runs[k] = start(t, home, inputXMLParams("", "", t.TempDir(), fmt.Sprintf("\n      <param name=\"shard\">%d/%d</param>", k, n)))
	}
	counts := make([]map[string]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[k], errs[k] = drain(r)
		}()
	}
	wg.Wait()
	sum := map[string]int{}
	for k, r := range runs {
		if errs[k] != nil {
			t.Fatalf("shard %d/%d: %v", k, n, errs[k])
		}
		r.stop(t, syscall.SIGTERM)
		for src, c := range counts[k] {
			sum[src] += c
		}
	}
	for src, c := range whole {
		if sum[src] != c {
			t.Errorf("%s: %d inputs streamed %d events, one input %d", src, n, sum[src], c)
		}
	}
	t.Logf("%d inputs: %v; one input: %v", n, sum, whole)
}
