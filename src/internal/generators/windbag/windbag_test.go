package windbag

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"testing"
	"time"
)

func TestWindbagNaturalCountAndSpacing(t *testing.T) {
	g, err := generate.New(&config.Sample{Generator: "windbag", Stanza: "w", Location: time.UTC}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var got []string
	var times []time.Time
	g.Generate(generate.Batch{Count: -1, Earliest: t0, Latest: t0.Add(60 * time.Second)}, func(ev *output.Event) bool {
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
	g.Generate(generate.Batch{Count: 3, Earliest: t0, Latest: t0.Add(time.Second)}, func(ev *output.Event) bool { got = append(got, string(ev.Raw)); return true })
	if got[0] != "2024-01-01 00:00:00.333333 -0700 WINDBAG Event 1 of 3" {
		t.Fatalf("sub-second spacing: %q", got[0])
	}
}
