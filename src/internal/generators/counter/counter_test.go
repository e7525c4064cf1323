package counter

import (
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"strings"
	"testing"
	"time"
)

func counterSample(kv map[string]string) *config.Sample {
	s := &config.Sample{Generator: "counter", Stanza: "ctr", Location: time.UTC, Values: map[string]conf.Value{}}
	for k, v := range kv {
		s.Values[k] = conf.Value{Text: v, File: "c.conf", Line: 1}
	}
	return s
}

func runGen(t *testing.T, g generate.Generator, b generate.Batch) []string {
	t.Helper()
	var out []string
	if err := g.Generate(b, func(ev *output.Event) bool { out = append(out, string(ev.Raw)); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCounter(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b := func(count int) generate.Batch {
		return generate.Batch{Count: count, Earliest: t0, Latest: t0.Add(60 * time.Second)}
	}
	cases := []struct {
		name  string
		kv    map[string]string
		count int
		n     int
		last  string
	}{
		{"count is the end", nil, 5, 6, "Current_Counter:5 End_Count:5 Counting_By: 1"},
		{"count -1 counts to 60", nil, -1, 61, "Current_Counter:60 End_Count:60"},
		{"floats that never land on end stop past it", map[string]string{"start_count": "0", "end_count": "1.0", "count_by": "0.3"}, 1, 4, "Current_Counter:0.9 End_Count:1.0 Counting_By: 0.3"},
		{"end below start adds", map[string]string{"start_count": "10", "end_count": "3"}, 1, 4, "Start_Count: 10 Current_Counter:13 End_Count:13"},
		{"counting down", map[string]string{"start_count": "3", "end_count": "0", "count_by": "-1"}, 1, 4, "Current_Counter:0 End_Count:0 Counting_By: -1"},
		{"template", map[string]string{"end_count": "2", "count_template": "n={current_count} of {samplename} {unknown}"}, 1, 3, "n=2 of ctr {unknown}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := generate.New(counterSample(c.kv), nil, nil, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			out := runGen(t, g, b(c.count))
			if len(out) != c.n || !strings.Contains(out[len(out)-1], c.last) {
				t.Fatalf("%d events, last %q; want %d ending with %q", len(out), out[len(out)-1], c.n, c.last)
			}
		})
	}
	if _, err := generate.New(counterSample(map[string]string{"count_by": "x"}), nil, nil, nil); err == nil || !strings.Contains(err.Error(), "count_by") {
		t.Fatalf("bad count_by: %v", err)
	}
}

func TestConfig(t *testing.T) {
	c, err := readConfig(counterSample(map[string]string{"start_count": "2", "end_count": "4.5", "count_by": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	c.Validate(func(w string) { warnings = append(warnings, w) })
	if c.Start != 2 || c.End != 4.5 || !c.EndSet || c.By != 1 || !c.Float || c.Template != defaultCounterTemplate {
		t.Fatalf("config %+v", c)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "count_by = 0") {
		t.Fatalf("warnings %q", warnings)
	}
	if _, err := readConfig(counterSample(map[string]string{"end_count": "NaN"})); err == nil || !strings.Contains(err.Error(), "c.conf:1: end_count") {
		t.Fatalf("NaN end_count: %v", err)
	}
}
