//go:build !cloud

package engine

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// TestSplunkStreamKeys: splunkstream sends every event with its own
// metadata, in order within its metadata group, when the encoder leaves
// out the keys that repeat (output.SameKey, each chunk's KeyMemo): the
// same events as jsonl on stdout, for metadata the same for every event,
// or drawn per event (host.token, extendIndexes, so runs of all lengths),
// in intervals rendered whole or in concurrent slices (20,000 events),
// whose chunks start runs afresh.
func TestSplunkStreamKeys(t *testing.T) {
	var mu sync.Mutex
	got := map[string][]string{} // query string → the _raw received with it, in order
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		q := r.URL.Query()
		k := q.Get("index") + "|" + q.Get("source") + "|" + q.Get("sourcetype") + "|" + q.Get("host")
		for _, l := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
			got[k] = append(got[k], l)
		}
	}))
	defer srv.Close()
	h, p := streamtest.HostPort(strings.TrimPrefix(srv.URL, "http://"))
	hosts := filepath.Join(t.TempDir(), "hosts.txt")
	os.WriteFile(hosts, []byte("alpha\nbeta\ngamma\n"), 0o644)
	samples := map[string]string{"a.log": "E @n\n"}
	base := "[a.log]\ninterval = 1\nend = 2\nsource = src one\nsourcetype = st\n" +
		"token.0.token = @n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:100000000]\n"
	for _, c := range []struct{ name, extra string }{
		{"constant/50", "count = 50\n"},
		{"constant/20000", "count = 20000\n"},
		{"drawn/50", "count = 50\nextendIndexes = idx_:2\nhost = web-HOST\nhost.token = HOST\nhost.replacement = " + hosts + "\n"},
		{"drawn/20000", "count = 20000\nextendIndexes = idx_:2\nhost = web-HOST\nhost.token = HOST\nhost.replacement = " + hosts + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			clear(got)
			mu.Unlock()
			conf := base + c.extra
			want := map[string][]string{}
			n := 0
			for _, ev := range gen(t, conf, samples, Options{}) {
				k := ev.Index + "|" + ev.Source + "|" + ev.Sourcetype + "|" + ev.Host
				want[k] = append(want[k], strings.TrimSuffix(ev.Raw, "\n"))
				n++
			}
			if c.name[0] == 'd' && len(want) < 3 {
				t.Fatalf("%d metadata groups, want several", len(want))
			}
			if evs := gen(t, conf+"outputMode = splunkstream\nsplunkHost = "+h+"\nsplunkPort = "+p+"\nsplunkMethod = http\nsessionKey = k\n", samples, Options{}); len(evs) != 0 {
				t.Fatalf("%d events on stdout", len(evs))
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				m := 0
				for _, l := range got {
					m += len(l)
				}
				mu.Unlock()
				if m >= n || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != len(want) {
				t.Errorf("%d metadata groups, want %d", len(got), len(want))
			}
			for k, w := range want {
				if g := got[k]; strings.Join(g, "\n") != strings.Join(w, "\n") {
					t.Errorf("%s: %d events, want %d; they differ", k, len(g), len(w))
				}
			}
		})
	}
}
