package weblog

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func runGen(t *testing.T, g generate.Generator, b generate.Batch) []string {
	t.Helper()
	var out []string
	if err := g.Generate(b, func(ev *output.Event) bool { out = append(out, string(ev.Raw)); return true }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWeblogSeeded(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	gen := func(seed uint64) []string {
		g, _ := generate.New(&config.Sample{Generator: "weblog", Location: time.UTC}, rand.New(rand.NewPCG(seed, 0)), nil, nil)
		return runGen(t, g, generate.Batch{Count: 20, Earliest: t0, Latest: t0})
	}
	a, b, c := gen(1), gen(1), gen(2)
	if strings.Join(a, "\n") != strings.Join(b, "\n") || strings.Join(a, "\n") == strings.Join(c, "\n") || len(a) != 20 {
		t.Fatal("weblog is not reproducible from its seed")
	}
	if !strings.Contains(a[0], "[01/Jan/2024 00:00:00:000000]") {
		t.Fatalf("line %q", a[0])
	}
}
