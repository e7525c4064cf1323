package engine

import (
	"math"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// Sharding (issue 15): N processes run the same configuration, each with
// Options.Shard = K/N, and together generate exactly what one process
// generates alone, as a multiset of events. Two things make that so.
//
// Counts. The rater draws from a stream of its own (seed, stanza), never
// from the generator's, and a byte budget becomes a number of events
// before anything is rendered (volumeRater), so every shard decides the
// same count for every interval whatever share it renders.
//
// Values. For a generator that can render any range of an interval alike
// (rangedFork: the default generator without sequential tokens), event i
// of the interval at time t draws from a wyrand seeded with
// mix(seed, stanza, t) ^ mix(i): a pure function of seed, stanza,
// interval and event index, reseeded before each event (eventStream).
// Shard K renders the contiguous events Shard.Range(count) of each
// interval, in slices on every core as an unsharded run does; slices and
// cores change nothing either.
//
// Other generators (jinja, weblog, counter, windbag, the default one with
// seqfile/integerid tokens) draw one stream event after event: every
// shard renders the whole interval, in the same order from the same
// stream, and keeps events i with i mod N = K (filtered). That is exact,
// at N times the rendering work. Replay does the same per pass.

// eventStream reseeds a generator's source for each event of an
// interval. The source is a wyrand, not the stanza's PCG, for speed
// (package wyrand): a web access event draws five values, and the PCG's
// draws were a quarter of its rendering.
type eventStream struct {
	src  *wyrand.Source
	base uint64 // mix(seed, stanza, interval time), set per interval
	fn   func(i int)
}

func (s *eventStream) init(src *wyrand.Source) {
	s.src = src
	s.fn = s.seed
}

func (s *eventStream) seed(i int) { s.src.Seed(s.base ^ mix(uint64(i)+0x632be59bd9b4e019)) }

// intervalBase is the root of the event streams of st's interval at now.
func (st *Stanza) intervalBase(now time.Time) uint64 {
	return mix(st.key64 + mix(uint64(now.UnixNano())))
}

// mix is splitmix64's finalizer: nearby inputs, unrelated outputs.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// rangedFork returns a fork of gen drawing from src when gen renders
// event i of an interval the same whatever range it is asked for, given
// Batch.Stream, and nil otherwise: the generators that fork
// (generate.Forker) are those whose events do not depend on the ones
// before them.
func rangedFork(gen generate.Generator, src *wyrand.Source) generate.Generator {
	if f, ok := gen.(generate.Forker); ok {
		return f.Fork(src)
	}
	return nil
}

// total is how many events an interval of count events is for a ranged
// (default) generator: count, the sample's length for -1, count copies
// of the sample with bundlelines.
func (st *Stanza) total(count int) int {
	n := naturalCount(st.gen, nil)
	switch {
	case count < 0:
		return n
	case st.Sample.BundleLines:
		return count * n
	}
	return count
}

// calibrationEvents is how many events meanLen renders (at least the
// sample's length, at most calibrationMax).
const (
	calibrationEvents = 1 << 16
	calibrationMax    = 1 << 18
)

// eventLens are the mean lengths of st's events, in bytes of _raw, per
// sample event in the order an interval takes them (one mean with
// randomizeEvents, which picks them at random): what a byte budget
// (perDayVolume, kbps) becomes a number of events with (volumeRater). They
// are measured once, here, by rendering events from a stream of the seed
// and the stanza at a fixed time, so that every shard finds the same.
// Nil when st's byte budgets stay budgets (generators that cannot render
// a range: see volumeRater).
func (st *Stanza) eventLens() []float64 {
	s := st.Sample
	if st.gen == nil || !st.ranged || (s.PerDayVolume <= 0 && s.KBps <= 0) {
		return nil
	}
	natural := max(naturalCount(st.gen, nil), 1)
	per := natural
	if s.RandomizeEvents {
		per = 1
	}
	n := min(max(calibrationEvents, natural), calibrationMax)
	n -= n % natural // whole cycles of the sample
	n = max(n, natural)
	at := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	st.evs.base = mix(st.countKey ^ 0x6361_6c69_6272_6174)
	sums := make([]float64, per)
	counts := make([]int, per)
	i := 0
	st.rgen.Generate(generate.Batch{Count: n, Earliest: at, Latest: at, Stream: st.evs.fn}, func(ev *output.Event) bool {
		sums[i%per] += float64(len(ev.Raw))
		counts[i%per]++
		i++
		return true
	})
	if i == 0 {
		return nil
	}
	for k := range sums {
		sums[k] = math.Max(sums[k]/float64(max(counts[k], 1)), 1)
	}
	return sums
}
