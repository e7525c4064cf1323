package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// hecSink is a local HEC endpoint that keeps every event it is sent, as
// one canonical JSON line (time, event, metadata).
type hecSink struct {
	mu     sync.Mutex
	events []string
}

func (h *hecSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		body = zr
	}
	dec := json.NewDecoder(body)
	var got []string
	for {
		var ev map[string]any
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			http.Error(w, `{"text":"Invalid data format","code":6}`, 400)
			return
		}
		line, _ := json.Marshal(ev) // keys sorted: canonical
		got = append(got, string(line))
	}
	h.mu.Lock()
	h.events = append(h.events, got...)
	h.mu.Unlock()
	w.Write([]byte(`{"text":"Success","code":0}`))
}

// take returns the events received so far and forgets them.
func (h *hecSink) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	evs := h.events
	h.events = nil
	return evs
}

// TestShardProcessesIntoOneHEC runs N eventgen processes, --shard 0/N to
// N-1/N, into one local HEC sink and checks that what it received is
// exactly what one unsharded process sends: the same number of events and
// the same events.
func TestShardProcessesIntoOneHEC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "eventgen")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sink := &hecSink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	servers := fmt.Sprintf(`{"servers":[{"protocol":"http","address":"%s","port":"%s","key":"k"}]}`, u.Hostname(), u.Port())
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.MkdirAll(filepath.Join(dir, "default"), 0o755)
	sample := []byte("@ts @ip GET /a/@n 200\n@ts @ip POST /login 401 user=@h\n")
	os.WriteFile(filepath.Join(dir, "samples", "web.log"), sample, 0o644)
	os.WriteFile(filepath.Join(dir, "samples", "volume.log"), sample, 0o644)
	tokens := "token.0.token = @ts\ntoken.0.replacementType = timestamp\ntoken.0.replacement = %Y-%m-%dT%H:%M:%S.%6N\n" +
		"token.1.token = @ip\ntoken.1.replacementType = random\ntoken.1.replacement = ipv4\n" +
		"token.2.token = @n\ntoken.2.replacementType = random\ntoken.2.replacement = integer[0:99999]\n" +
		"token.3.token = @h\ntoken.3.replacementType = random\ntoken.3.replacement = hex(6)\n"
	conf := "[global]\noutputMode = httpevent\nhttpeventServers = " + servers + "\ninterval = 60\nearliest = -59s\nend = 3\n" +
		"[web.log]\ncount = 12000\nrandomizeCount = 0.3\n" + tokens +
		"[volume.log]\nperDayVolume = 0.05\nrandomizeEvents = true\n" + tokens
	os.WriteFile(filepath.Join(dir, "default", "eventgen.conf"), []byte(conf), 0o644)
	run := func(sh string) {
		cmd := exec.Command(bin, "generate", "--now", "2024-03-05T12:00:00Z", "--seed", "7", dir)
		cmd.Env = append(os.Environ(), "EVENTGEN_SHARD="+sh)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("shard %s: %v\n%s", sh, err, stderr.String())
		}
	}
	run("")
	whole := sink.take()
	if len(whole) < 30000 {
		t.Fatalf("only %d events unsharded", len(whole))
	}
	n := 2 + rand.IntN(5)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(fmt.Sprintf("%d/%d", k, n))
		}()
	}
	wg.Wait()
	all := sink.take()
	t.Logf("%d processes: %d events in %s, unsharded %d", n, len(all), time.Since(start), len(whole))
	if len(all) != len(whole) {
		t.Fatalf("%d shards sent %d events, one process %d", n, len(all), len(whole))
	}
	slices.Sort(all)
	slices.Sort(whole)
	if !slices.Equal(all, whole) {
		for i := range all {
			if all[i] != whole[i] {
				t.Fatalf("first difference:\n shards: %s\n whole:  %s", all[i], whole[i])
			}
		}
	}
	if strings.Count(whole[0], `"event"`) != 1 {
		t.Fatalf("not a HEC event: %s", whole[0])
	}
}

// TestShardFlag: --shard is checked before anything runs, and wins over
// EVENTGEN_SHARD, which is checked the same way.
func TestShardFlag(t *testing.T) {
	for _, tc := range []struct {
		env, flag string
		code      int
		msg       string
	}{
		{"", "3/3", exitBadInput, "--shard: shard \"3/3\": K must be from 0 to 2"},
		{"", "1", exitBadInput, "want K/N"},
		{"9/2", "", exitBadInput, "EVENTGEN_SHARD: shard \"9/2\""},
		{"9/2", "1/2", 0, "shard=1/2"},
		{"0/2", "", 0, "shard=0/2"},
	} {
		t.Setenv("EVENTGEN_SHARD", tc.env)
		args := []string{"generate", "--now", nowText, "--end", "1", "--seed", "1"}
		if tc.flag != "" {
			args = append(args, "--shard", tc.flag)
		}
		var out, errb bytes.Buffer
		code := run(t.Context(), append(args, "../../../samples/eventgen.conf"), &stdio{out: &out, err: &errb})
		if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("env %q flag %q: exit %d, want %d with %q\n%s", tc.env, tc.flag, code, tc.code, tc.msg, errb.String())
		}
	}
}
