package engine

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
)

// next asks r for n intervals, each making exactly what it asked for
// plus over bytes (intervals end on whole events).
func next(r Rater, n int, over int64) (counts []int, budgets []int64) {
	t0 := time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC)
	for i := range n {
		c, b := r.Next(t0.Add(time.Duration(i) * time.Second))
		counts, budgets = append(counts, c), append(budgets, b)
		made := b
		if b > 0 {
			made += over
		}
		r.Observe(c, made)
	}
	return counts, budgets
}

func TestRaters(t *testing.T) {
	cases := []struct {
		name     string
		s        config.Sample
		over     int64
		counts   []int
		budgets  []int64
		estimate int
	}{
		{"count", config.Sample{Count: 7, Interval: 1}, 0, []int{7, 7, 7}, []int64{0, 0, 0}, 7},
		{"count -1 is the generator's own", config.Sample{Count: -1, Interval: 1}, 0, []int{-1, -1}, []int64{0, 0}, 5},
		{"count -1 with rates is the sample's length", config.Sample{Count: -1, Interval: 1, Rates: config.Rates{Hour: map[int]float64{12: 2}}}, 0, []int{10}, []int64{0}, 10},
		{"bundlelines estimate is whole samples", config.Sample{Count: 3, Interval: 1, BundleLines: true}, 0, []int{3}, []int64{0}, 15},
		{"bundlelines count -1 with rates is copies of the sample", config.Sample{Count: -1, Interval: 1, BundleLines: true, Rates: config.Rates{Hour: map[int]float64{12: 2}}}, 0, []int{2}, []int64{0}, 10},
		{"bundlelines rate 0 is no copy", config.Sample{Count: 3, Interval: 1, BundleLines: true, Rates: config.Rates{Hour: map[int]float64{12: 0}}}, 0, []int{0}, []int64{0}, 0},
		{"eps carries fractions", config.Sample{EPS: 0.5, Interval: 1}, 0, []int{0, 1, 0, 1}, []int64{0, 0, 0, 0}, 0},
		{"eps × interval", config.Sample{EPS: 2.5, Interval: 2}, 0, []int{5, 5}, []int64{0, 0}, 5},
		{"kbps, overshoot carried", config.Sample{KBps: 1, Interval: 1}, 24, []int{0, 0, 0}, []int64{1024, 1000, 1000}, 10},
		{"perDayVolume, interval 0 is a day", config.Sample{PerDayVolume: 1}, 0, []int{0}, []int64{1 << 30}, 1 << 30 / 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.s.Location = time.UTC
			r := newRater(&c.s, rand.New(rand.NewPCG(1, 2)), 5, 100, nil)
			if got := r.Estimate(time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC)); got != c.estimate {
				t.Errorf("Estimate = %d, want %d", got, c.estimate)
			}
			counts, budgets := next(r, len(c.counts), c.over)
			for i := range counts {
				if counts[i] != c.counts[i] || budgets[i] != c.budgets[i] {
					t.Fatalf("intervals (count, bytes) = %v %v, want %v %v", counts, budgets, c.counts, c.budgets)
				}
			}
		})
	}
}

// TestRandomizeCountDrawsOncePerInterval: the seeded outputs depend on
// the raters drawing exactly one number per interval, and none to
// estimate.
func TestRandomizeCountDrawsOncePerInterval(t *testing.T) {
	for _, s := range []config.Sample{
		{Count: 100, Interval: 1, RandomizeCount: 0.2},
		{EPS: 100, Interval: 1, RandomizeCount: 0.2},
		{KBps: 100, Interval: 1, RandomizeCount: 0.2},
	} {
		s.Location = time.UTC
		rng := rand.New(rand.NewPCG(3, 4))
		r := newRater(&s, rng, 5, 100, nil)
		ref := rand.New(rand.NewPCG(3, 4))
		now := time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC)
		r.Estimate(now)
		r.Next(now)
		ref.IntN(201)
		if rng.Uint64() != ref.Uint64() {
			t.Fatalf("%+v: the rater did not draw exactly once", s)
		}
	}
}

// TestVolumeCountsCarryExactly: a byte budget turned into counts (shards)
// overshoots each interval by less than one event, and the carry makes
// the measured bytes of all intervals the total budget to within one
// event, whatever the budget per interval.
func TestVolumeCountsCarryExactly(t *testing.T) {
	lens := []float64{10, 31.5, 7}
	cum := []float64{0, 10, 41.5, 48.5}
	bytesOf := func(n int) float64 { return float64(n/3)*cum[3] + cum[n%3] }
	for _, perDay := range []float64{0.0001, 0.001, 0.37, 3} {
		s := config.Sample{PerDayVolume: perDay, Interval: 60, Location: time.UTC}
		r := newRater(&s, rand.New(rand.NewPCG(1, 2)), 3, 30, lens)
		var got, want float64
		at := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
		for i := range 1440 {
			n, b := r.Next(at.Add(time.Duration(i) * time.Minute))
			if b != 0 {
				t.Fatalf("a byte budget (%d) where a count was due", b)
			}
			got += bytesOf(n)
			want += perDay * (1 << 30) * 60 / 86400
			if d := got - want; d < 0 && -d >= 31.5 || d > 31.5 {
				t.Fatalf("perDayVolume %g, interval %d: %.1f bytes against %.1f", perDay, i, got, want)
			}
		}
	}
}
