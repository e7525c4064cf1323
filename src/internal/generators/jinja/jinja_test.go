package jinja

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// jinjaSample is a jinja sample over testdata/jinja with the given
// settings.
func jinjaSample(kv map[string]string) *config.Sample {
	s := &config.Sample{
		Stanza: "jinja_test", Generator: "jinja", SampleDir: filepath.Join("testdata", "jinja"), Location: time.UTC,
		Index: "main", Host: "conf-host", Source: "jinja", Sourcetype: "jinja_st",
		Values: map[string]conf.Value{},
	}
	for k, v := range kv {
		s.Values[k] = conf.Value{Text: v, File: "eventgen.conf", Line: 7}
	}
	return s
}

func newTestJinja(t *testing.T, s *config.Sample, seed uint64) (generate.Generator, []string) {
	t.Helper()
	var warnings []string
	g, err := newJinja(s, rand.New(rand.NewPCG(seed, seed)), func(w string) { warnings = append(warnings, w) })
	if err != nil {
		t.Fatalf("newJinja: %v", err)
	}
	return g, warnings
}

// collect runs one batch and copies the events out.
func collect(t *testing.T, g generate.Generator, b generate.Batch) []output.Event {
	t.Helper()
	evs, err := collectErr(g, b)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return evs
}

func collectErr(g generate.Generator, b generate.Batch) ([]output.Event, error) {
	var evs []output.Event
	err := g.Generate(b, func(ev *output.Event) bool {
		e := *ev
		e.Raw = slices.Clone(ev.Raw)
		evs = append(evs, e)
		return true
	})
	return evs, err
}

var jinjaT0 = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func TestJinjaSimpleTimeNow(t *testing.T) {
	s := jinjaSample(map[string]string{"jinja_target_template": "simple.j2", "jinja_variables": `{"large_number": 10}`})
	s.Location = time.FixedZone("CEST", 2*3600)
	g, warnings := newTestJinja(t, s, 1)
	if len(warnings) > 0 {
		t.Fatalf("warnings: %q", warnings)
	}
	latest := jinjaT0.Add(250 * time.Millisecond)
	evs := collect(t, g, generate.Batch{Count: 1, Earliest: latest.Add(-3 * time.Second), Latest: latest})
	if len(evs) != 10 {
		t.Fatalf("%d events, want 10", len(evs))
	}
	for i, ev := range evs {
		want := fmt.Sprintf("2024-05-06T09:08:09+0200 simple jinja event, seq: %d/10", i+1)
		if string(ev.Raw) != want {
			t.Errorf("event %d = %q, want %q", i, ev.Raw, want)
		}
		if !ev.Time.Equal(latest) {
			t.Errorf("event %d time %v, want now = generate.Batch.Latest %v", i, ev.Time, latest)
		}
		if ev.Time.Location() != s.Location {
			t.Errorf("event %d time in %v, want the sample's location", i, ev.Time.Location())
		}
		if ev.Index != "main" || ev.Host != "conf-host" || ev.Source != "jinja" || ev.Sourcetype != "jinja_st" || ev.Stanza != "jinja_test" {
			t.Errorf("event %d metadata %+v", i, ev)
		}
	}
}

func TestJinjaTemplateDir(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("testdata", "jinja", "other_templates"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"other_templates", abs} {
		s := jinjaSample(map[string]string{"jinja_template_dir": dir, "jinja_target_template": "dir.j2", "jinja_variables": `{"large_number": 10}`})
		if dir == abs {
			s.SampleDir = t.TempDir() // an absolute dir does not depend on sampleDir
		}
		g, _ := newTestJinja(t, s, 1)
		evs := collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0.Add(-3 * time.Second), Latest: jinjaT0})
		if len(evs) != 10 {
			t.Fatalf("%s: %d events, want 10", dir, len(evs))
		}
		for i, ev := range evs {
			want := fmt.Sprintf("2024-05-06 07:08:09 from another template dir, seq: %d/10", i+1)
			if string(ev.Raw) != want || !ev.Time.Equal(jinjaT0) {
				t.Errorf("%s: event %d = %v %q, want %v %q", dir, i, ev.Time, ev.Raw, jinjaT0, want)
			}
		}
	}
}

func TestJinjaAdvancedTimeSlice(t *testing.T) {
	s := jinjaSample(map[string]string{"jinja_target_template": "advance.j2", "jinja_variables": `{"large_number":3, "username": "admin", "flag": true}`})
	g, _ := newTestJinja(t, s, 1)
	evs := collect(t, g, generate.Batch{Count: 3, Earliest: jinjaT0.Add(-3 * time.Second), Latest: jinjaT0})
	if len(evs) != 9 {
		t.Fatalf("%d events, want 3 cycles x 3", len(evs))
	}
	// time_slice earliest 1234 latest 2345 slices 5: slices of 222.2 s;
	// count = loop.index (1-based) selects the lower bound of slice 1, 2, 3.
	epochs := []float64{1456.2, 1678.4, 1900.6}
	clocks := []string{"00:24:16", "00:27:58", "00:31:40"}
	lines := 0
	for i, ev := range evs {
		k := i % 3
		if want := timeOfEpoch(epochs[k], time.UTC); !ev.Time.Equal(want) {
			t.Errorf("event %d time %v, want %v", i, ev.Time, want)
		}
		want := fmt.Sprintf("1970-01-01T%s+0000 <admin> advanced jinja, flag=True, seq: %d/3\n  second line, seq:%d/3\nthird line, seq:%d/3", clocks[k], k+1, k+1, k+1)
		if string(ev.Raw) != want {
			t.Errorf("event %d = %q, want %q", i, ev.Raw, want)
		}
		lines += strings.Count(string(ev.Raw), "\n") + 1
	}
	if lines != 27 { // Eventgen's test counts 27 stdout lines
		t.Errorf("%d lines, want 27", lines)
	}

	s = jinjaSample(map[string]string{"jinja_target_template": "advance.j2", "jinja_variables": `{"large_number":2, "username": "guest", "flag": false}`})
	g, _ = newTestJinja(t, s, 1)
	evs = collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0})
	if len(evs) != 2 || string(evs[1].Raw) != "1970-01-01T00:27:58+0000 <guest> plain jinja, flag=False, seq: 2/2" {
		t.Fatalf("flag false: %d events, last %q", len(evs), evs[len(evs)-1].Raw)
	}
}

var cycleRe = regexp.MustCompile(`^count=(\d+) max=(\d+) i=(\d+) pick=\w lo=([\d.]+) hi=([\d.]+) size=([\d.]+)$`)

type cycleEvent struct {
	count, max, i int
	lo, hi, size  float64
	time          time.Time
	raw           string
}

func parseCycle(t *testing.T, evs []output.Event) []cycleEvent {
	t.Helper()
	var out []cycleEvent
	for _, ev := range evs {
		m := cycleRe.FindStringSubmatch(string(ev.Raw))
		if m == nil {
			t.Fatalf("unexpected event %q", ev.Raw)
		}
		atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
		atof := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
		out = append(out, cycleEvent{count: atoi(m[1]), max: atoi(m[2]), i: atoi(m[3]), lo: atof(m[4]), hi: atof(m[5]), size: atof(m[6]), time: ev.Time, raw: string(ev.Raw)})
	}
	return out
}

func TestJinjaCycles(t *testing.T) {
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 3}`}), 1)
	b := generate.Batch{Count: 4, Earliest: jinjaT0, Latest: jinjaT0.Add(60 * time.Second)}
	evs := parseCycle(t, collect(t, g, b))
	if len(evs) != 12 {
		t.Fatalf("%d events, want 4 cycles x 3", len(evs))
	}
	base := epochOf(jinjaT0)
	for k, ev := range evs {
		cycle := k / 3
		if ev.count != cycle || ev.max != 4 || ev.i != k%3 {
			t.Errorf("event %d: count %d max %d i %d", k, ev.count, ev.max, ev.i)
		}
		// cycle c gets slice c of 4 slices of [earliest, latest], and a
		// random point in it
		lo := base + 15*float64(cycle)
		if ev.lo != lo || ev.hi != lo+15 || ev.size != 15 {
			t.Errorf("event %d: slice [%v, %v) size %v, want [%v, %v) 15", k, ev.lo, ev.hi, ev.size, lo, lo+15)
		}
		if at := epochOf(ev.time); at < lo || at >= lo+15 {
			t.Errorf("event %d: time %v outside its slice", k, ev.time)
		}
	}
	if !evs[0].time.Equal(evs[2].time) || evs[0].time.Equal(evs[3].time) {
		t.Errorf("eventgen_target_time_epoch should be drawn once per cycle")
	}

	// Count -1 renders once; Count 0 renders nothing.
	if n := len(collect(t, g, generate.Batch{Count: -1, Earliest: jinjaT0, Latest: jinjaT0})); n != 3 {
		t.Errorf("count -1: %d events, want one render (3)", n)
	}
	if n := len(collect(t, g, generate.Batch{Count: 0, Earliest: jinjaT0, Latest: jinjaT0})); n != 0 {
		t.Errorf("count 0: %d events", n)
	}

	// emit returning false stops generation.
	calls := 0
	if err := g.Generate(b, func(*output.Event) bool { calls++; return false }); err != nil || calls != 1 {
		t.Errorf("stop: %d calls, err %v", calls, err)
	}
}

func TestJinjaLineCount(t *testing.T) {
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 3}`, "jinja_count_type": "line_count"}), 1)
	evs := parseCycle(t, collect(t, g, generate.Batch{Count: 7, Earliest: jinjaT0, Latest: jinjaT0.Add(70 * time.Second)}))
	if len(evs) != 7 {
		t.Fatalf("%d events, want 7 lines", len(evs))
	}
	// eventgen_count is the number of lines so far: 0, 3, 6
	for k, ev := range evs {
		if want := k / 3 * 3; ev.count != want || ev.max != 7 {
			t.Errorf("event %d: count %d max %d, want %d 7", k, ev.count, ev.max, want)
		}
	}
}

func TestJinjaPerDayVolume(t *testing.T) {
	for _, countType := range []string{"perDayVolume", "cycles"} { // a byte budget wins over the count type
		s := jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 2}`, "jinja_count_type": countType})
		s.PerDayVolume = 1
		g, warnings := newTestJinja(t, s, 1)
		if len(warnings) > 0 {
			t.Errorf("warnings: %q", warnings)
		}
		const budget = 1000
		evs := collect(t, g, generate.Batch{Count: 1, Bytes: budget, Earliest: jinjaT0, Latest: jinjaT0.Add(time.Minute)})
		var total int
		for i, ev := range evs {
			if i == len(evs)-1 && total >= budget {
				t.Errorf("%s: an event after the budget was reached", countType)
			}
			total += len(ev.Raw)
		}
		if total < budget || len(evs) < 2 {
			t.Errorf("%s: %d bytes in %d events, want at least %d", countType, total, len(evs), budget)
		}
	}

	// Without a perDayVolume budget, count is read as bytes (as Eventgen).
	g, warnings := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 2}`, "jinja_count_type": "perDayVolume"}), 1)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "bytes") {
		t.Errorf("warnings: %q", warnings)
	}
	evs := collect(t, g, generate.Batch{Count: 300, Earliest: jinjaT0, Latest: jinjaT0.Add(time.Minute)})
	var total int
	for _, ev := range evs {
		total += len(ev.Raw)
	}
	if total < 300 || total-len(evs[len(evs)-1].Raw) >= 300 {
		t.Errorf("count as bytes: %d bytes in %d events", total, len(evs))
	}
}

func TestJinjaSeedReproducible(t *testing.T) {
	run := func(seed uint64) []string {
		g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 5}`}), seed)
		var out []string
		for _, ev := range collect(t, g, generate.Batch{Count: 5, Earliest: jinjaT0, Latest: jinjaT0.Add(time.Hour)}) {
			out = append(out, ev.Time.Format(time.RFC3339Nano)+" "+string(ev.Raw))
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different output:\n%q\n%q", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("different seeds, same output")
	}
}

func TestJinjaVariables(t *testing.T) {
	s := jinjaSample(map[string]string{"jinja_target_template": "vars.j2", "jinja_variables": `{"ratio": 0.5, "conf": {"hosts": ["a", "b"]}}`})
	s.Location = time.FixedZone("X", -5*3600)
	g, _ := newTestJinja(t, s, 1)
	earliest := jinjaT0.Add(-90 * time.Second)
	latest := jinjaT0.Add(123456 * time.Microsecond)
	evs := collect(t, g, generate.Batch{Count: 2, Earliest: earliest, Latest: latest})
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	want := "earliest=2024-05-06 02:06:39 earliest_epoch=1714979199.0 latest=2024-05-06 02:08:09.123456 latest_epoch=1714979289.123456 count=1 max=2 ratio=0.5 nested=b now=2024-05-06T02:08:09-0500"
	if string(evs[1].Raw) != want {
		t.Errorf("got  %q\nwant %q", evs[1].Raw, want)
	}
	if !evs[1].Time.Equal(latest) {
		t.Errorf("time %v, want %v", evs[1].Time, latest)
	}

	// jinja_variables is optional (Eventgen required it).
	g, _ = newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "meta.j2"}), 1)
	if n := len(collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0})); n != 3 {
		t.Errorf("without jinja_variables: %d events", n)
	}
}

func TestJinjaMetadataOverride(t *testing.T) {
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "meta.j2"}), 1)
	evs := collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0})
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	e0, e1, e2 := evs[0], evs[1], evs[2]
	if e0.Host != "conf-host" || e0.Index != "main" || e0.Source != "jinja" || e0.Sourcetype != "jinja_st" || !e0.Time.Equal(time.Unix(100, 0)) {
		t.Errorf("conf metadata: %+v", e0)
	}
	if e1.Host != "web-2" || e1.Index != "idx2" || e1.Source != "src2" || e1.Sourcetype != "st2" || !e1.Time.Equal(time.Unix(200, 5e8)) || string(e1.Raw) != "overridden" {
		t.Errorf("line metadata: %+v", e1)
	}
	if e2.Host != "conf-host" || e2.Stanza != "jinja_test" {
		t.Errorf("null host: %+v", e2)
	}
}

func TestJinjaLineStatementsAndImports(t *testing.T) {
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "linestmt.j2"}), 1)
	var got []string
	for _, ev := range collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0}) {
		got = append(got, fmt.Sprintf("%d %s", ev.Time.Unix(), ev.Raw))
	}
	if want := []string{"1000 line statement 0", "1002 line statement 2"}; !slices.Equal(got, want) {
		t.Errorf("line statements: %q, want %q", got, want)
	}

	g, _ = newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "imports.j2", "jinja_variables": `{"users": ["ann", "bob", "cy"]}`}), 1)
	got = got[:0]
	for _, ev := range collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0.Add(2 * time.Second)}) {
		got = append(got, string(ev.Raw))
	}
	want := []string{"07:08:09.000000 user=ann", "07:08:09.500000 user=bob", "07:08:10.000000 user=cy", "07:08:10.500000 user=ann"}
	if !slices.Equal(got, want) {
		t.Errorf("imports: %q, want %q", got, want)
	}
}

func TestJinjaConstructionErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		kv   map[string]string
		want []string
	}{
		{"no target", map[string]string{}, []string{"jinja_target_template", filepath.Join("testdata", "jinja", "templates")}},
		{"missing file", map[string]string{"jinja_target_template": "nope.j2"}, []string{"eventgen.conf:7", "nope.j2", filepath.Join("testdata", "jinja", "templates", "nope.j2")}},
		{"missing dir", map[string]string{"jinja_template_dir": "nodir", "jinja_target_template": "x.j2"}, []string{filepath.Join("testdata", "jinja", "nodir", "x.j2")}},
		{"syntax", map[string]string{"jinja_target_template": "syntax.j2"}, []string{"syntax.j2", "line 3", "endfor"}},
		{"time_delta", map[string]string{"jinja_target_template": "delta.j2"}, []string{"delta.j2", "line 2", "time_delta", "not implemented"}},
		{"bad variables", map[string]string{"jinja_target_template": "simple.j2", "jinja_variables": `{"a": 1`}, []string{"eventgen.conf:7", "jinja_variables", "JSON"}},
		{"variables not an object", map[string]string{"jinja_target_template": "simple.j2", "jinja_variables": `[1, 2]`}, []string{"jinja_variables", "object"}},
	} {
		_, err := newJinja(jinjaSample(c.kv), rand.New(rand.NewPCG(1, 1)), func(string) {})
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}

func TestJinjaOutputErrors(t *testing.T) {
	for _, c := range []struct {
		template string
		want     []string
	}{
		{"not_json.j2", []string{"not_json.j2", "output line 3", "not a JSON object", "this line is not JSON"}},
		{"no_raw.j2", []string{"no_raw.j2", "output line 2", "no _raw"}},
		{"no_time.j2", []string{"no_time.j2", "output line 1", "no _time"}},
		{"bad_time.j2", []string{"bad_time.j2", "output line 1", "_time", "not an epoch"}},
		{"unterminated.j2", []string{"unterminated.j2", "output line 1", "not terminated"}},
		{"render_error.j2", []string{"render_error.j2", "time_slice earliest", "soon"}},
	} {
		g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": c.template}), 1)
		evs, err := collectErr(g, generate.Batch{Count: 2, Earliest: jinjaT0, Latest: jinjaT0})
		if err == nil {
			t.Errorf("%s: no error", c.template)
			continue
		}
		if len(evs) != 0 {
			t.Errorf("%s: %d events emitted from the failing render", c.template, len(evs))
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.template, err, w)
			}
		}
	}
}

func TestJinjaEmptyRenders(t *testing.T) {
	// cycles: an empty render is fine
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "empty.j2"}), 1)
	if evs := collect(t, g, generate.Batch{Count: 5, Earliest: jinjaT0, Latest: jinjaT0}); len(evs) != 0 {
		t.Errorf("%d events", len(evs))
	}
	// line_count cannot be reached: an error, not an endless loop
	g, _ = newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "empty.j2", "jinja_count_type": "line_count"}), 1)
	if _, err := collectErr(g, generate.Batch{Count: 5, Earliest: jinjaT0, Latest: jinjaT0}); err == nil || !strings.Contains(err.Error(), "no event") {
		t.Errorf("err = %v", err)
	}
}

func TestJinjaCountTypeWarning(t *testing.T) {
	_, warnings := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "meta.j2", "jinja_count_type": "events"}), 1)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "jinja_count_type") {
		t.Errorf("warnings: %q", warnings)
	}
}

func TestJinjaRange(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string
	}{
		{"range(4)", "[0, 1, 2, 3]"},
		{"range(2, 5)", "[2, 3, 4]"},
		{"range(5, 0, -2)", "[5, 3, 1]"},
		{"range(0, 7, 3)", "[0, 3, 6]"},
		{"range(3, 1)", "[]"},
	} {
		var args []int
		for _, f := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(c.src, "range("), ")"), ",") {
			n, _ := strconv.Atoi(strings.TrimSpace(f))
			args = append(args, n)
		}
		got, err := jinjaRange(varArgs(args...))
		if err != nil || strings.ReplaceAll(fmt.Sprint(got), " ", ", ") != c.want {
			t.Errorf("%s = %v, %v; want %s", c.src, got, err, c.want)
		}
	}
	if _, err := jinjaRange(varArgs(1, 2, 0)); err == nil {
		t.Errorf("step 0: no error")
	}
	if _, err := jinjaRange(varArgs(jinjaMaxRange + 1)); err == nil {
		t.Errorf("huge range: no error")
	}
}

func varArgs(ns ...int) *exec.VarArgs {
	va := exec.NewVarArgs()
	for _, n := range ns {
		va.Args = append(va.Args, exec.AsValue(n))
	}
	return va
}

func TestJinjaTagArguments(t *testing.T) {
	g, _ := newTestJinja(t, jinjaSample(map[string]string{"jinja_target_template": "positional.j2"}), 1)
	evs := collect(t, g, generate.Batch{Count: 1, Earliest: jinjaT0, Latest: jinjaT0})
	if len(evs) != 2 || string(evs[0].Raw) != "slice 00:50" || !evs[0].Time.Equal(time.Unix(50, 0)) || string(evs[1].Raw) != "now 07:08" {
		for _, ev := range evs {
			t.Logf("%v %q", ev.Time, ev.Raw)
		}
		t.Fatalf("positional arguments")
	}
}

// Generators of different samples render on different goroutines.
func TestJinjaConcurrentSamples(t *testing.T) {
	done := make(chan error)
	for i := range 4 {
		go func() {
			g, err := newJinja(jinjaSample(map[string]string{"jinja_target_template": "cycle.j2", "jinja_variables": `{"per_cycle": 3}`}), rand.New(rand.NewPCG(uint64(i), 0)), func(string) {})
			if err == nil {
				_, err = collectErr(g, generate.Batch{Count: 20, Earliest: jinjaT0, Latest: jinjaT0.Add(time.Minute)})
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
