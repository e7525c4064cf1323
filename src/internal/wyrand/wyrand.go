// Package wyrand is Wang Yi's wyrand, the generator behind wyhash, as
// Go's runtime uses it for its cheap random numbers (runtime.cheaprand):
// a 64-bit state that a constant advances, and an output that folds the
// 128-bit product of the state and a constant-xored copy of it.
//
// Why not math/rand/v2's PCG: the engine draws every value of an event
// from a stream of its own (engine/shard.go), five draws per event of
// the benchmark's web access stanza (its time, address, request, status
// and size), and PCG-DXSM's 128-bit step and output are five multiplies
// per draw against wyrand's one: the draws were a quarter of that
// event's rendering (docs/performance.md, sessions 7 and 8). Its author
// reports that wyrand passes BigCrush and PractRand; for synthetic
// events, whose values only have to look random and repeat with a seed,
// that is plenty. It is not for anything secret.
package wyrand

import "math/bits"

// The increment and the xor constant of runtime.cheaprand (wyhash's
// original wyp0 and wyp1).
const (
	inc = 0xa0761d6478bd642f
	mul = 0xe7037ed1a0b428db
)

// Source is a wyrand generator; it implements math/rand/v2's Source. Its
// zero value is a valid generator (seed 0). It is not safe for
// concurrent use.
type Source struct{ s uint64 }

// New returns a Source seeded with seed.
func New(seed uint64) *Source { return &Source{s: seed} }

// Seed restarts the generator at seed: every seed is valid, and nearby
// seeds give unrelated sequences (the output mixes the whole state).
func (r *Source) Seed(seed uint64) { r.s = seed }

// Uint64 returns the next value. It is small enough for the compiler to
// inline, which is most of its point: a caller's loop pays no call per
// draw.
func (r *Source) Uint64() uint64 {
	r.s += inc
	hi, lo := bits.Mul64(r.s, r.s^mul)
	return hi ^ lo
}
