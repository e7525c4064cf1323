package serve

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/status"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{`a`: `"a"`, `a"b`: `"a\"b"`, `a\b`: `"a\\b"`, "a\nb": `"a\nb"`, "": `""`} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// Readiness follows the run: 503 before it starts and once it stops;
// liveness is 200 throughout. Unknown paths are 404.
func TestEndpoints(t *testing.T) {
	s := &Server{Board: status.New(logging.New(io.Discard, logging.Options{})), Version: "v", Shard: "0/1"}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	check := func(path string, code int, body string) {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != code || !strings.Contains(string(b), body) {
			t.Errorf("GET %s: %d %q, want %d and %q", path, resp.StatusCode, b, code, body)
		}
	}
	check("/healthz", 200, "ok")
	check("/readyz", 503, "starting")
	s.SetReady(true)
	check("/readyz", 200, "ready")
	check("/status", 200, `"stanzas": []`)
	check("/metrics", 200, "eventgen_ready 1")
	check("/nope", 404, "")
	s.SetStopping()
	check("/readyz", 503, "stopping")
	check("/metrics", 200, "eventgen_ready 0")
	check("/healthz", 200, "ok")
}
