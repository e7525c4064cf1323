package scaletest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all"
	"github.com/eventgen-go/eventgen/src/internal/logging"
	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all"
	"github.com/eventgen-go/eventgen/src/internal/serve"
	"github.com/eventgen-go/eventgen/src/internal/status"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if eventgenBin != "" {
		os.Remove(eventgenBin)
	}
	os.Exit(code)
}

// /metrics parses with Prometheus's own text parser; every family it
// announces is there with its type, and the counters hold what the
// engine generated. Stanza names with quotes and backslashes are escaped.
func TestMetricsParse(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("alpha\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "samples", `we"ird\.log`), []byte("weird\n"), 0o644)
	confPath := filepath.Join(dir, "eventgen.conf")
	os.WriteFile(confPath, []byte("[a.log]\ncount = 3\nend = 2\noutputMode = devnull\n\n[we\"ird\\\\.log]\ncount = 1\nend = 1\noutputMode = devnull\n\n[off.log]\ndisabled = true\n"), 0o644)
	f, err := conf.ReadFile(confPath)
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Outputs: engine.Outputs(), Generators: generate.Available(), Location: time.UTC})
	log := logging.New(io.Discard, logging.Options{})
	e, problems := engine.Prepare(res.Samples, engine.Options{Clock: clock.NewSim(time.Unix(1.7e9, 0)), Log: log})
	if len(e.Stanzas()) != 2 {
		t.Fatalf("stanzas: %d, problems %v", len(e.Stanzas()), problems)
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	board := status.New(log)
	board.Configure(res, problems)
	board.Observe(e, time.Now())
	srv := &serve.Server{Board: board, Version: "1.2.3", Shard: "1/4"}
	srv.SetReady(true)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the Prometheus text parser rejects /metrics: %v", err)
	}
	for _, name := range serve.MetricNames() {
		if fams[name] == nil {
			t.Errorf("no family %s", name)
		}
	}
	if len(fams) != len(serve.MetricNames()) {
		t.Errorf("%d families, MetricNames lists %d", len(fams), len(serve.MetricNames()))
	}
	labels := func(m *dto.Metric) map[string]string {
		out := map[string]string{}
		for _, l := range m.GetLabel() {
			out[l.GetName()] = l.GetValue()
		}
		return out
	}
	value := func(fam, stanza string) (float64, bool) {
		for _, m := range fams[fam].GetMetric() {
			if labels(m)["stanza"] == stanza {
				switch {
				case m.Counter != nil:
					return m.Counter.GetValue(), true
				case m.Gauge != nil:
					return m.Gauge.GetValue(), true
				}
			}
		}
		return 0, false
	}
	if fams["eventgen_stanza_events_total"].GetType() != dto.MetricType_COUNTER || fams["eventgen_stanza_lag_seconds"].GetType() != dto.MetricType_GAUGE {
		t.Error("wrong metric types")
	}
	if v, _ := value("eventgen_stanza_events_total", "a.log"); v != 6 {
		t.Errorf("a.log events_total %v, want 6 (3 events x 2 intervals)", v)
	}
	if v, _ := value("eventgen_stanza_bytes_total", "a.log"); v != 30 {
		t.Errorf("a.log bytes_total %v, want 30 (6 events of 5 bytes)", v)
	}
	if v, ok := value("eventgen_stanza_events_total", `we"ird\\.log`); !ok || v != 1 {
		t.Errorf("the escaped stanza: %v %v", v, ok)
	}
	if _, ok := value("eventgen_stanza_events_total", "off.log"); ok {
		t.Error("a stanza that does not generate has counters")
	}
	states := map[string]string{}
	for _, m := range fams["eventgen_stanza_state"].GetMetric() {
		if m.GetGauge().GetValue() == 1 {
			l := labels(m)
			if old, dup := states[l["stanza"]]; dup {
				t.Errorf("%s has two states: %s and %s", l["stanza"], old, l["state"])
			}
			states[l["stanza"]] = l["state"]
		}
		if l := labels(m); l["shard"] != "1/4" {
			t.Errorf("shard label %q", l["shard"])
		}
	}
	if states["a.log"] != status.StateDone || states["off.log"] != status.StateNotGenerating {
		t.Errorf("states %v", states)
	}
	bi := fams["eventgen_build_info"].GetMetric()
	if len(bi) != 1 || labels(bi[0])["version"] != "1.2.3" || labels(bi[0])["shard"] != "1/4" {
		t.Errorf("build_info %v", bi)
	}

	// /status says the same as JSON.
	resp2, err := http.Get(ts.URL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	var doc serve.Status
	if err := json.NewDecoder(resp2.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, s := range doc.Stanzas {
		names = append(names, s.Stanza.Stanza+"="+s.State)
		if s.Shard != "1/4" {
			t.Errorf("/status shard %q", s.Shard)
		}
	}
	if want := []string{"a.log=done", `we"ird\\.log=done`, "off.log=not_generating"}; !slices.Equal(names, want) {
		t.Errorf("/status stanzas %q, want %q", names, want)
	}
	// Stopping: readiness fails, liveness holds.
	srv.SetStopping()
	for path, want := range map[string]int{"/readyz": 503, "/healthz": 200} {
		r, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("%s while stopping: %d, want %d", path, r.StatusCode, want)
		}
	}
}
