package engine

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// Rater decides how much each interval of a stanza generates (inventory
// §3.2, Eventgen's config rater): a number of events (count, eps) or a
// number of bytes of _raw (perDayVolume, kbps), scaled by the rate tables
// (hourOfDayRate ...) and randomizeCount. One is chosen per stanza when it
// is prepared (newRater); runInterval asks it once per interval.
type Rater interface {
	// Next is the volume of the interval at now: count events (-1: the
	// generator's natural count), or, when bytes > 0, events until that
	// many bytes of _raw. It draws randomizeCount from the stanza's random
	// stream, in Eventgen's order: call it exactly once per interval.
	Next(now time.Time) (count int, bytes int64)
	// Observe tells the rater what the interval made (events, bytes of
	// _raw), so that what an interval owes or overshot is carried to
	// the next one.
	Observe(events int, bytes int64)
	// Estimate is about how many events an interval at now will have, for
	// messages; unlike Next it draws nothing and changes nothing.
	Estimate(now time.Time) int
	// carried is the carry-over, what earlier intervals owe (+) or
	// overshot (-): a reload that keeps a stanza's schedule hands it
	// from the old rater to the new one (continueFrom).
	carried() *float64
}

// Estimate is about how many events an interval at now will have, for
// messages; it changes nothing.
func (st *Stanza) Estimate(now time.Time) int { return st.rate.Estimate(now) }

// AutoTimestamps are the timestamp tokens autotimestamp found in the
// stanza's sample (for eventgen validate).
func (st *Stanza) AutoTimestamps() []token.Spec {
	var g any = st.gen
	if st.replay != nil {
		g = st.replay.r
	}
	if a, ok := g.(interface{ AutoTimestamps() []token.Spec }); ok {
		return a.AutoTimestamps()
	}
	return nil
}

// newRater chooses the rater of a sample. natural is the generator's
// natural count (its sample's length: what count = -1 means), meanLen the
// mean length of its events (to estimate a byte budget in events), lens
// when not nil the measured lengths a byte budget becomes a number of
// events with (see volumeRater).
func newRater(s *config.Sample, rng *rand.Rand, natural int, avgLen int64, lens []float64) Rater {
	var cum []float64 // cum[j]: the bytes of the first j events of a cycle
	if len(lens) > 0 {
		cum = make([]float64, len(lens)+1)
		for j, l := range lens {
			cum[j+1] = cum[j] + l
		}
	}
	b := rateBase{s: s, rng: rng}
	switch {
	case s.PerDayVolume > 0:
		// Eventgen's perdayvolume rater: GiB/day × interval / 86400, an
		// interval of 0 counting as a day.
		iv := float64(s.Interval)
		if iv == 0 {
			iv = 86400
		}
		return &volumeRater{rateBase: b, perInterval: s.PerDayVolume * (1 << 30) * iv / 86400, avgLen: avgLen, cum: cum}
	case s.KBps > 0:
		return &volumeRater{rateBase: b, perInterval: s.KBps * 1024 * float64(max(s.Interval, 1)), avgLen: avgLen, cum: cum}
	case s.EPS > 0:
		return &epsRater{rateBase: b}
	}
	return &countRater{rateBase: b, natural: natural}
}

// naturalCount is what count = -1 means for a generator: its sample's
// length, or 60 for those without a sample (windbag, counter: Eventgen's
// default).
func naturalCount(gen generate.Generator, replay generate.Replayer) int {
	if replay != nil {
		return replay.Len()
	}
	if n, ok := gen.(interface{ Len() int }); ok {
		return n.Len()
	}
	return 60
}

// avgLen is the mean length of a generator's events, 100 bytes when it
// cannot say (to estimate a byte budget in events).
func avgLen(gen generate.Generator) int64 {
	if a, ok := gen.(interface{ AvgLen() int64 }); ok {
		return a.AvgLen()
	}
	return 100
}

// rateBase is what every rater shares: the rate tables, randomizeCount
// and the carry-over.
type rateBase struct {
	s     *config.Sample
	rng   *rand.Rand
	carry float64 // what earlier intervals owe (+) or overshot (-)
}

func (b *rateBase) carried() *float64 { return &b.carry }

// Observe does nothing for the raters of a number of events.
func (b *rateBase) Observe(int, int64) {}

// factor is the rate tables' value at now times, with draw, the
// randomizeCount draw: a factor in [1-r/2, 1+r/2] in steps of 1/1000,
// as Eventgen drew it.
func (b *rateBase) factor(now time.Time, draw bool) float64 {
	s := b.s
	f := s.Rates.Factor(now.In(s.Location))
	if draw && s.RandomizeCount > 0 {
		bound := int(math.Round(s.RandomizeCount * 1000))
		r := b.rng.IntN(bound + 1)
		f *= 1 + (float64(r)-float64(bound)/2)/1000
	}
	return f
}

// countRater is count: count events (or the sample's length for -1) ×
// rate tables × randomizeCount, rounded half to even as Python's round().
type countRater struct {
	rateBase
	natural int
}

func (r *countRater) Next(now time.Time) (int, int64) {
	s := r.s
	if s.Count < 0 && s.Rates.Empty() && s.RandomizeCount == 0 {
		return -1, 0 // the generator's own count, whatever it is
	}
	return int(math.RoundToEven(float64(r.base()) * r.factor(now, true))), 0
}

func (r *countRater) Estimate(now time.Time) int {
	n := int(math.RoundToEven(float64(r.base()) * r.factor(now, false)))
	if r.s.BundleLines {
		n *= r.natural
	}
	return n
}

// base is the count before the rate tables: count, or for -1 the
// sample's length, or with bundlelines (where count is a number of
// copies of the sample) one copy.
func (r *countRater) base() int {
	switch {
	case r.s.Count >= 0:
		return r.s.Count
	case r.s.BundleLines:
		return 1
	}
	return r.natural
}

// epsRater is eps: eps × interval × rate tables events, the fraction
// carried to the next interval.
type epsRater struct{ rateBase }

func (r *epsRater) Next(now time.Time) (int, int64) {
	s := r.s
	exact := s.EPS*float64(max(s.Interval, 1))*r.factor(now, true) + r.carry
	n := math.Floor(exact)
	r.carry = exact - n
	return int(n), 0
}

func (r *epsRater) Estimate(now time.Time) int {
	s := r.s
	return int(s.EPS * float64(max(s.Interval, 1)) * r.factor(now, false))
}

// volumeRater is perDayVolume (GiB/day) and kbps (KiB/s): a byte budget
// per interval × rate tables × randomizeCount.
//
// For the generators that render any range of an interval (shard.go) the
// budget becomes a number of events before anything is rendered, with the
// lengths of the stanza's events measured once at start (eventLens: per
// sample event, as an interval cycles through the sample): the fewest
// events whose measured lengths reach the budget, what they overshoot
// carried to the next interval. Every shard decides the same count that
// way; the bytes over a day are the volume to within how far the events'
// lengths differ from the measured means (tokens whose length varies: a
// fraction of a percent).
//
// For the others, the interval renders events until the budget is
// reached, ending on a whole event, so each overshoots a little; the
// difference is carried over so that the volume over a day is exact to
// the byte.
type volumeRater struct {
	rateBase
	perInterval float64 // bytes per interval before the rate tables
	avgLen      int64
	cum         []float64 // not nil: budgets become counts (cum[j]: bytes of a cycle's first j events)
	budget      int64     // of the interval in progress
}

func (r *volumeRater) Next(now time.Time) (int, int64) {
	if r.cum != nil {
		return r.count(now), 0
	}
	r.budget = r.bytes(now, true)
	return 0, r.budget
}

func (r *volumeRater) Observe(_ int, bytes int64) {
	if r.cum != nil {
		return
	}
	r.carry = float64(r.budget) - float64(bytes)
}

func (r *volumeRater) Estimate(now time.Time) int {
	if r.cum != nil {
		return int(r.perInterval * r.factor(now, false) / (r.cum[len(r.cum)-1] / float64(len(r.cum)-1)))
	}
	return int(r.bytes(now, false) / r.avgLen)
}

func (r *volumeRater) bytes(now time.Time, draw bool) int64 {
	return max(int64(math.Round(r.perInterval*r.factor(now, draw)+r.carry)), 1)
}

// count is the fewest events whose measured lengths reach the interval's
// budget and the carry-over: whole cycles of the sample, then the
// shortest prefix of one; what they overshoot is carried (negative).
func (r *volumeRater) count(now time.Time) int {
	want := r.perInterval*r.factor(now, true) + r.carry
	if want <= 0 {
		r.carry = want
		return 0
	}
	per := len(r.cum) - 1
	cycle := r.cum[per]
	cycles := math.Floor(want / cycle)
	rest := want - cycles*cycle
	j := sort.SearchFloat64s(r.cum, rest) // cum[j] >= rest
	r.carry = want - (cycles*cycle + r.cum[j])
	return int(cycles)*per + j
}
