package generate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

func TestUnknownGenerator(t *testing.T) {
	_, err := New(&config.Sample{Generator: "lua"}, rand.New(rand.NewPCG(1, 1)), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "lua") {
		t.Fatalf("err = %v", err)
	}
}

func TestWindbagNaturalCountAndSpacing(t *testing.T) {
	g, err := New(&config.Sample{Generator: "windbag", Stanza: "w", Location: time.UTC}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var got []string
	var times []time.Time
	g.Generate(Batch{Count: -1, Earliest: t0, Latest: t0.Add(60 * time.Second)}, func(ev *output.Event) bool {
		got = append(got, string(ev.Raw))
		times = append(times, ev.Time)
		return true
	})
	if len(got) != 60 {
		t.Fatalf("%d events, want 60 for count -1", len(got))
	}
	if got[0] != "2024-01-01 00:00:01 -0700 WINDBAG Event 1 of 60" || !times[59].Equal(t0.Add(60*time.Second)) {
		t.Fatalf("first %q last time %v", got[0], times[59])
	}
	got = got[:0]
	g.Generate(Batch{Count: 3, Earliest: t0, Latest: t0.Add(time.Second)}, func(ev *output.Event) bool { got = append(got, string(ev.Raw)); return true })
	if got[0] != "2024-01-01 00:00:00.333333 -0700 WINDBAG Event 1 of 3" {
		t.Fatalf("sub-second spacing: %q", got[0])
	}
}

func counterSample(kv map[string]string) *config.Sample {
	s := &config.Sample{Generator: "counter", Stanza: "ctr", Location: time.UTC, Values: map[string]conf.Value{}}
	for k, v := range kv {
		s.Values[k] = conf.Value{Text: v, File: "c.conf", Line: 1}
	}
	return s
}

func runGen(t *testing.T, g Generator, b Batch) []string {
	t.Helper()
	var out []string
	if err := g.Generate(b, func(ev *output.Event) bool { out = append(out, string(ev.Raw)); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCounter(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b := func(count int) Batch { return Batch{Count: count, Earliest: t0, Latest: t0.Add(60 * time.Second)} }
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
			g, err := New(counterSample(c.kv), nil, nil, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			out := runGen(t, g, b(c.count))
			if len(out) != c.n || !strings.Contains(out[len(out)-1], c.last) {
				t.Fatalf("%d events, last %q; want %d ending with %q", len(out), out[len(out)-1], c.n, c.last)
			}
		})
	}
	if _, err := New(counterSample(map[string]string{"count_by": "x"}), nil, nil, nil); err == nil || !strings.Contains(err.Error(), "count_by") {
		t.Fatalf("bad count_by: %v", err)
	}
}

func TestWeblogSeeded(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	gen := func(seed uint64) []string {
		g, _ := New(&config.Sample{Generator: "weblog", Location: time.UTC}, rand.New(rand.NewPCG(seed, 0)), nil, nil)
		return runGen(t, g, Batch{Count: 20, Earliest: t0, Latest: t0})
	}
	a, b, c := gen(1), gen(1), gen(2)
	if strings.Join(a, "\n") != strings.Join(b, "\n") || strings.Join(a, "\n") == strings.Join(c, "\n") || len(a) != 20 {
		t.Fatal("weblog is not reproducible from its seed")
	}
	if !strings.Contains(a[0], "[01/Jan/2024 00:00:00:000000]") {
		t.Fatalf("line %q", a[0])
	}
}
