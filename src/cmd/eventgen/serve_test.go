package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/engine"
)

var servingRE = regexp.MustCompile(`msg="serving HTTP" addr=(\S+)`)

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// serveApp writes a mounted-directory configuration (DIR/eventgen.conf,
// DIR/samples) and returns DIR.
func serveApp(t *testing.T, conf string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("alpha event\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "samples", "b.log"), []byte("beta event\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "eventgen.conf"), []byte(conf), 0o644)
	return dir
}

// eventgen serve runs a mounted directory, answers its four endpoints,
// applies an edit of eventgen.conf without a restart, and stops with
// exit 0 when its context ends (SIGTERM in main).
func TestServe(t *testing.T) {
	dir := serveApp(t, "[a.log]\ncount = 2\ninterval = 1\noutputMode = devnull\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb testlog.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--poll", "100ms", dir}, &stdio{out: &out, err: &errb})
	}()
	var base string
	waitFor(t, 10*time.Second, "the serving line", func() bool {
		if m := servingRE.FindStringSubmatch(errb.String()); m != nil {
			base = "http://" + m[1]
			return true
		}
		return false
	})
	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	waitFor(t, 5*time.Second, "/readyz 200", func() bool { c, _ := get(t, base+"/readyz"); return c == 200 })

	type doc struct {
		Shard   string `json:"shard"`
		Stanzas []struct {
			Stanza, State, Shard, Reason string
			Events                       int64
			EventsPerSecond              float64 `json:"events_per_second"`
		} `json:"stanzas"`
	}
	statusDoc := func() doc {
		_, body := get(t, base+"/status")
		var d doc
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatalf("/status is not JSON: %v\n%s", err, body)
		}
		return d
	}
	waitFor(t, 5*time.Second, "a.log generating", func() bool {
		d := statusDoc()
		return len(d.Stanzas) == 1 && d.Stanzas[0].Stanza == "a.log" && d.Stanzas[0].State == "generating" && d.Stanzas[0].Events >= 2
	})
	if d := statusDoc(); d.Shard != "0/1" || d.Stanzas[0].Shard != "0/1" {
		t.Errorf("shard: %+v", d)
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{
		`eventgen_ready 1`,
		`eventgen_stanza_state{stanza="a.log",app="",sample="a.log",shard="0/1",state="generating"} 1`,
		`# TYPE eventgen_stanza_events_total counter`,
		`eventgen_stanza_events_total{stanza="a.log",app="",sample="a.log",shard="0/1"} `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, metrics)
		}
	}

	// Hot reload: a second stanza and a disabled one appear without a restart.
	os.WriteFile(filepath.Join(dir, "eventgen.conf"), []byte("[a.log]\ncount = 2\ninterval = 1\noutputMode = devnull\n\n[b.log]\ncount = 1\ninterval = 1\noutputMode = devnull\n\n[off.log]\ndisabled = true\n"), 0o644)
	waitFor(t, 5*time.Second, "b.log started by the reload", func() bool {
		d := statusDoc()
		states := map[string]string{}
		for _, s := range d.Stanzas {
			states[s.Stanza] = s.State
		}
		return states["b.log"] == "generating" && states["off.log"] == "not_generating"
	})
	if !strings.Contains(errb.String(), "applied without a restart") {
		t.Errorf("no reload message:\n%s", errb.String())
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after stop\n%s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
	}
	if !strings.Contains(errb.String(), "eventgen serve stopped") {
		t.Errorf("no stop message:\n%s", errb.String())
	}
}

func TestServeBadFlags(t *testing.T) {
	dir := serveApp(t, "[a.log]\noutputMode = devnull\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "4/4"}, "--shard: shard \"4/4\": K must be from 0 to 3"},
		{[]string{"--listen", "127.0.0.1:notaport"}, "--listen 127.0.0.1:notaport"},
		{[]string{"--output", "nowhere"}, `--output "nowhere"`},
		{[]string{"--drain", "0s"}, "--drain more than 0"},
	} {
		var out, errb bytes.Buffer
		args := append(append([]string{"serve"}, tc.args...), dir)
		if code := run(context.Background(), args, &stdio{out: &out, err: &errb}); code != exitBadInput || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errb.String(), tc.want)
		}
	}
	t.Setenv("EVENTGEN_SHARD", "x")
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"serve", dir}, &stdio{out: io.Discard, err: &errb}); code != exitBadInput || !strings.Contains(errb.String(), "EVENTGEN_SHARD") {
		t.Errorf("bad EVENTGEN_SHARD: exit %d, %q", code, errb.String())
	}
}

// The real process: SIGTERM drains and exits 0 well within --drain, and
// EVENTGEN_SHARD shows on /status.
func TestServeSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	bin := filepath.Join(t.TempDir(), "eventgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	outLog := filepath.Join(t.TempDir(), "out.log")
	dir := serveApp(t, "[a.log]\ncount = 5\ninterval = 1\noutputMode = file\nfileName = "+outLog+"\n")
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--drain", "5s", dir)
	cmd.Env = append(os.Environ(), "EVENTGEN_SHARD=2/3")
	var errb testlog.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var base string
	waitFor(t, 10*time.Second, "the serving line", func() bool {
		if m := servingRE.FindStringSubmatch(errb.String()); m != nil {
			base = "http://" + m[1]
			return true
		}
		return false
	})
	waitFor(t, 5*time.Second, "ready", func() bool { c, _ := get(t, base+"/readyz"); return c == 200 })
	if _, body := get(t, base+"/status"); !strings.Contains(body, `"shard": "2/3"`) {
		t.Errorf("/status does not show EVENTGEN_SHARD: %s", body)
	}
	began := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, errb.String())
		}
		if d := time.Since(began); d > 5*time.Second {
			t.Errorf("took %v to stop", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", errb.String())
	}
	if !strings.Contains(errb.String(), "draining the outputs") {
		t.Errorf("no drain message:\n%s", errb.String())
	}
	// Drained: every event the run counted is in the file.
	m := regexp.MustCompile(`msg=done stanza=a.log events=(\d+)`).FindStringSubmatch(errb.String())
	data, _ := os.ReadFile(outLog)
	if m == nil || m[1] == "0" || strings.Count(string(data), "\n") != atoi(m[1]) {
		t.Errorf("the file holds %d events; the run says %v\n%s", strings.Count(string(data), "\n"), m, errb.String())
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// A HEC token given as $HEC_TOKEN reaches the receiver and never the log,
// whether the receiver accepts it or refuses it, at any verbosity.
func TestHECTokenFromEnvNeverLogged(t *testing.T) {
	if !contains(engine.Outputs(), "httpevent") {
		t.Skip("this build has no httpevent output (-tags cloud)")
	}
	const secret = "f00dcafe-5ec2-e7t0-ken0-000000000001"
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"accepted", 200, `{"text":"Success","code":0}`},
		{"refused", 403, `{"text":"Invalid token","code":4}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var auth []string
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				mu.Lock()
				auth = append(auth, r.Header.Get("Authorization"))
				mu.Unlock()
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer ts.Close()
			port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
			dir := serveApp(t, "[a.log]\ncount = 3\nend = 1\noutputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\""+port+"\",\"key\":\"$HEC_TOKEN\"}]}\n")
			t.Setenv("HEC_TOKEN", secret)
			var out, errb bytes.Buffer
			run(context.Background(), []string{"generate", "-v", "--now", "2024-01-01T00:00:00Z", dir}, &stdio{out: &out, err: &errb})
			var vout bytes.Buffer
			run(context.Background(), []string{"validate", "-v", dir}, &stdio{out: &vout, err: &vout})
			mu.Lock()
			defer mu.Unlock()
			if len(auth) == 0 || auth[0] != "Splunk "+secret {
				t.Errorf("the receiver got Authorization %q, want the token from $HEC_TOKEN", auth)
			}
			if strings.Contains(errb.String()+out.String()+vout.String(), secret) {
				t.Errorf("the token shows in the output:\n%s\n%s", errb.String(), vout.String())
			}
		})
	}
	// Unset: the stanza does not run, and the message names the variable.
	t.Setenv("HEC_TOKEN", "") // empty counts as not set
	dir := serveApp(t, "[a.log]\noutputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\"9\",\"key\":\"${HEC_TOKEN}\"}]}\n")
	var vout bytes.Buffer
	if code := run(context.Background(), []string{"validate", dir}, &stdio{out: &vout, err: &vout}); code == 0 || !strings.Contains(vout.String(), "$HEC_TOKEN, which is not set") {
		t.Errorf("validate with HEC_TOKEN unset: exit %d\n%s", code, vout.String())
	}
}
