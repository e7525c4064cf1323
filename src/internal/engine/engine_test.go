package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

var start = time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)

type jsonEvent struct {
	Time       float64 `json:"_time"`
	Raw        string  `json:"_raw"`
	Index      string  `json:"index"`
	Host       string  `json:"host"`
	Source     string  `json:"source"`
	Sourcetype string  `json:"sourcetype"`
	Stanza     string  `json:"stanza"`
}

// gen runs a configuration on the simulated clock and returns the
// events written to stdout.
func gen(t *testing.T, confText string, samples map[string]string, opts Options) []jsonEvent {
	t.Helper()
	samplesList := loadSamples(t, t.TempDir(), confText, samples)
	var out bytes.Buffer
	opts.Stdout, opts.Format = &out, "jsonl"
	if opts.Clock == nil {
		opts.Clock = clock.NewSim(start)
	}
	if !opts.HasSeed {
		opts.Seed, opts.HasSeed = 1, true
	}
	e, problems := Prepare(samplesList, opts)
	for _, p := range problems {
		if p.Severity == config.Error {
			t.Fatalf("prepare: %v", p)
		}
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var evs []jsonEvent
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var ev jsonEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("bad jsonl %q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func TestIntervalsAdvanceSimulatedTime(t *testing.T) {
	evs := gen(t, "[a.log]\ncount = 4\ninterval = 30\nend = 3\nearliest = -30s\n", map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 12 {
		t.Fatalf("%d events, want 3 intervals × 4", len(evs))
	}
	for i, ev := range evs {
		k := i / 4 // interval number
		hi := float64(start.Unix() + int64(30*k))
		lo := hi - 30
		if ev.Time < lo || ev.Time > hi {
			t.Errorf("event %d of interval %d at %v, want within [%v, %v]", i, k, ev.Time, lo, hi)
		}
	}
}

func TestEndZero(t *testing.T) {
	evs := gen(t, "[a.log]\nend = 0\n[b.log]\nend = 1\n", map[string]string{"a.log": "x\n", "b.log": "y\n"}, Options{})
	if len(evs) != 1 || evs[0].Raw != "y" {
		t.Fatalf("end = 0 generated: %+v", evs)
	}
}

func TestEndAtTime(t *testing.T) {
	evs := gen(t, "[a.log]\ninterval = 60\nend = +5m\n", map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 5 {
		t.Fatalf("%d intervals before end = +5m with interval 60, want 5 (t = 0,1,2,3,4 min)", len(evs))
	}
}

func TestIntervalZeroRunsOnce(t *testing.T) {
	evs := gen(t, "[a.log]\ninterval = 0\n", map[string]string{"a.log": "x\ny\n"}, Options{})
	if len(evs) != 2 {
		t.Fatalf("%d events, want one interval of the whole sample", len(evs))
	}
}

func TestDelay(t *testing.T) {
	evs := gen(t, "[a.log]\ndelay = 90\nend = 1\n", map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 1 || evs[0].Time != float64(start.Unix()+90) {
		t.Fatalf("delay 90: %+v", evs)
	}
}

func TestRandomizeCountBounds(t *testing.T) {
	evs := gen(t, "[a.log]\ncount = 1000\nrandomizeCount = 0.2\nend = 50\ninterval = 1\n", map[string]string{"a.log": "x\n"}, Options{})
	perInterval := map[float64]int{}
	for _, ev := range evs {
		perInterval[float64(int64(ev.Time))]++
	}
	minC, maxC := 1<<30, 0
	for _, n := range perInterval {
		minC, maxC = min(minC, n), max(maxC, n)
	}
	// 0.2 means a factor in [0.9, 1.1] (Eventgen's ±r/2)
	if minC < 900 || maxC > 1100 || minC == maxC {
		t.Fatalf("counts per interval in [%d, %d], want varying within [900, 1100]", minC, maxC)
	}
}

func TestRateTables(t *testing.T) {
	// 12:00 on a Tuesday: hour 12 × 0.5, weekday 2 × 0.4 → 100 × 0.2
	evs := gen(t, `[a.log]
count = 100
end = 1
hourOfDayRate = { "12": 0.5, "13": 2 }
dayOfWeekRate = { "2": 0.4 }
`, map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 20 {
		t.Fatalf("%d events, want 100 × 0.5 × 0.4 = 20", len(evs))
	}
}

func TestSelectionModes(t *testing.T) {
	sample := map[string]string{"a.log": "1\n2\n3\n"}
	raw := func(evs []jsonEvent) string {
		var b []string
		for _, e := range evs {
			b = append(b, e.Raw)
		}
		return strings.Join(b, ",")
	}
	if got := raw(gen(t, "[a.log]\ncount = 5\nend = 1\n", sample, Options{})); got != "1,2,3,1,2" {
		t.Errorf("count 5 cycles: %s", got)
	}
	if got := raw(gen(t, "[a.log]\ncount = 2\nbundlelines = true\nend = 1\n", sample, Options{})); got != "1,2,3,1,2,3" {
		t.Errorf("bundlelines count 2: %s", got)
	}
	got := raw(gen(t, "[a.log]\ncount = 30\nrandomizeEvents = true\nend = 1\n", sample, Options{}))
	if strings.HasPrefix(got, "1,2,3,1,2,3") || len(strings.Split(got, ",")) != 30 {
		t.Errorf("randomizeEvents: %s", got)
	}
}

func TestSequentialTimestamp(t *testing.T) {
	evs := gen(t, "[a.log]\ncount = 4\nsequentialTimestamp = true\nearliest = -40s\nend = 1\n", map[string]string{"a.log": "x\n"}, Options{})
	for i, ev := range evs {
		if want := float64(start.Unix() - 40 + int64(10*i)); ev.Time != want {
			t.Errorf("event %d at %v, want %v", i, ev.Time, want)
		}
	}
}

func TestExtendIndexesAndHostToken(t *testing.T) {
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts.txt")
	os.WriteFile(hosts, []byte("alpha\nbeta\n"), 0o644)
	evs := gen(t, "[a.log]\ncount = 200\nend = 20\ninterval = 1\nextendIndexes = idx_:2, other\nhost = web-HOST\nhost.token = HOST\nhost.replacement = "+hosts+"\n", map[string]string{"a.log": "x\n"}, Options{})
	idx, hs := map[string]int{}, map[string]int{}
	for _, ev := range evs {
		idx[ev.Index]++
		hs[ev.Host]++
	}
	for _, want := range []string{"idx_0", "idx_1", "other"} {
		if idx[want] == 0 {
			t.Errorf("index %s never used: %v", want, idx)
		}
	}
	if len(hs) != 2 || hs["web-alpha"] == 0 || hs["web-beta"] == 0 {
		t.Errorf("hosts %v, want web-alpha and web-beta", hs)
	}
}

func TestFileAndSpoolOutputs(t *testing.T) {
	out := t.TempDir()
	fileName := filepath.Join(out, "f", "events.log")
	spool := filepath.Join(out, "spool")
	os.MkdirAll(spool, 0o755)
	evs := gen(t, "[a.log]\noutputMode = file\nfileName = "+fileName+"\nend = 2\n[b.log]\noutputMode = spool\nspoolDir = "+spool+"\nend = 2\n",
		map[string]string{"a.log": "to file\n", "b.log": "to spool\n"}, Options{})
	if len(evs) != 0 {
		t.Fatalf("%d events on stdout, want none", len(evs))
	}
	data, err := os.ReadFile(fileName)
	if err != nil || string(data) != "to file\nto file\n" {
		t.Fatalf("file output %q, %v", data, err)
	}
	ents, _ := os.ReadDir(spool)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "b.log b.log.1" {
		t.Fatalf("spool files %v, want one per interval: b.log b.log.1", names)
	}
}

func TestWindbag(t *testing.T) {
	evs := gen(t, "[windbag]\ngenerator = windbag\ncount = 3\nearliest = -3s\nend = 1\n", nil, Options{})
	if len(evs) != 3 || evs[2].Raw != "2024-03-05 12:00:00 -0700 WINDBAG Event 3 of 3" || evs[0].Source != "windbag" {
		t.Fatalf("%+v", evs)
	}
}

func TestCancelStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("x\n"), 0o644)
	f, _ := conf.Parse("c", []byte("[a.log]\ninterval = 1\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{})
	var out bytes.Buffer
	e, _ := Prepare(res.Samples, Options{Stdout: &out, Clock: clock.Real{}})
	done := make(chan error)
	go func() { done <- e.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop on a cancelled context")
	}
}

func TestBackfillThenRealTime(t *testing.T) {
	evs := gen(t, "[a.log]\nbackfill = -1h\ninterval = 60\ncount = 1\nend = 10\n", map[string]string{"a.log": "x\n"}, Options{})
	// 61 backfill intervals (start-60m .. start), which count as the
	// first of the 10 (Eventgen), then 9 live ones
	if len(evs) != 70 {
		t.Fatalf("%d events, want 61 backfilled + 9 live", len(evs))
	}
	for i, ev := range evs {
		if want := float64(start.Add(time.Duration(i-60) * time.Minute).Unix()); ev.Time != want {
			t.Fatalf("event %d at %v, want %v: a gap or an overlap at the seam", i, ev.Time, want)
		}
	}
}

// delay postpones the backfill too (it is the first generation), and
// the live intervals continue from its end.
func TestDelayThenBackfill(t *testing.T) {
	evs := gen(t, "[a.log]\nbackfill = -5m\ninterval = 60\ncount = 1\ndelay = 30\nend = 3\n", map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 6+2 {
		t.Fatalf("%d events, want 6 backfilled + 2 live", len(evs))
	}
	for i, ev := range evs {
		if want := float64(start.Add(30*time.Second + time.Duration(i-5)*time.Minute).Unix()); ev.Time != want {
			t.Fatalf("event %d at %v, want %v", i, ev.Time, want)
		}
	}
}

// Rate tables scale a bundlelines stanza's copies of the sample.
func TestBundlelinesRates(t *testing.T) {
	for h, want := range map[string]int{"2": 6, "0": 0, "1": 3} {
		evs := gen(t, "[a.log]\nbundlelines = true\ncount = -1\nend = 1\nhourOfDayRate = {\""+fmt.Sprint(start.Hour())+"\": "+h+"}\n", map[string]string{"a.log": "a\nb\nc\n"}, Options{})
		if len(evs) != want {
			t.Errorf("rate %s: %d events, want %d", h, len(evs), want)
		}
	}
}

func TestBackfillWindowsInOrder(t *testing.T) {
	evs := gen(t, "[a.log]\nbackfill = -10m@m\ninterval = 60\ncount = 5\nearliest = -60s\nend = 1\n", map[string]string{"a.log": "x\n"}, Options{})
	if len(evs) != 11*5 {
		t.Fatalf("%d events, want (10 backfill + 1 at now) × 5: end = 1 is the backfill alone", len(evs))
	}
	for i, ev := range evs {
		k := i / 5
		hi := float64(start.Add(time.Duration(k-10) * time.Minute).Unix())
		if ev.Time > hi || ev.Time < hi-60 {
			t.Fatalf("event %d (interval %d) at %v outside its window (%v-60, %v]", i, k, ev.Time, hi, hi)
		}
		if ev.Time > float64(start.Add(time.Minute).Unix()) {
			t.Fatalf("event in the future: %v", ev.Time)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("receiver gone") }

func TestFailingOutputStopsOnlyItsStanza(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("a\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "samples", "b.log"), []byte("b\n"), 0o644)
	out := filepath.Join(dir, "b.out")
	f, _ := conf.Parse("c", []byte("[a.log]\nend = 5\n[b.log]\noutputMode = file\nfileName = "+out+"\nend = 5\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	e, _ := Prepare(res.Samples, Options{Stdout: brokenWriter{}, Clock: clock.NewSim(start)})
	err := e.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "[a.log]") || !strings.Contains(err.Error(), "receiver gone") {
		t.Fatalf("Run error %v, want a.log's output error", err)
	}
	if e.Stanzas()[0].Err() == nil || e.Stanzas()[1].Err() != nil {
		t.Fatalf("errors: a %v, b %v", e.Stanzas()[0].Err(), e.Stanzas()[1].Err())
	}
	data, _ := os.ReadFile(out)
	if string(data) != "b\nb\nb\nb\nb\n" {
		t.Fatalf("b.log wrote %q, want all 5 intervals", data)
	}
}

func TestUnavailableOutput(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("x\n"), 0o644)
	f, _ := conf.Parse("c.conf", []byte("[a.log]\noutputMode = s2s\nend = 1\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{})
	if len(res.Samples) != 1 {
		t.Fatal(res.Problems)
	}
	var out bytes.Buffer
	e, problems := Prepare(res.Samples, Options{Stdout: &out, Clock: clock.NewSim(start)})
	if len(e.Stanzas()) != 0 || len(problems) != 1 || problems[0].Severity != config.Error || !strings.Contains(problems[0].Msg, "not available in this build") {
		t.Fatalf("without fallback: %d stanzas, %v", len(e.Stanzas()), problems)
	}
	// config.Load applies the fallback (the modular input's), with a warning.
	res = config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Outputs: Outputs(), OutputFallback: "modinput"})
	if len(res.Problems) != 1 || res.Problems[0].Severity != config.Warning || !strings.Contains(res.Problems[0].Msg, "events go to modinput instead") {
		t.Fatalf("with fallback: %v", res.Problems)
	}
	e, problems = Prepare(res.Samples, Options{Stdout: &out, Clock: clock.NewSim(start)})
	if len(e.Stanzas()) != 1 || len(problems) != 0 {
		t.Fatalf("with fallback: %d stanzas, %v", len(e.Stanzas()), problems)
	}
	if err := e.Run(context.Background()); err != nil || out.String() != "x\n" {
		t.Fatalf("fallback output %q, %v", out.String(), err)
	}
}
