package engine

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// sliceEvents is how many events one slice of a large interval holds.
// It is fixed, not derived from the number of cores, so that a seed gives
// the same output on any machine: slice j of an interval always draws
// from the same random stream, whichever goroutine renders it.
const sliceEvents = 8192

// rawEncoder is the raw output format: generators that implement
// generate.RawGenerator write it straight into the chunk.
var rawEncoder, _ = output.NewEncoder("raw")

// sink is where one generator writes an interval (or a slice of one):
// the chunk being filled, with the counts not yet added to the stanza's
// statistics, and what to do with a full chunk.
type sink struct {
	generate.Chunks
	ctx context.Context
	st  *Stanza
	err error // the writer's error
	// hand takes a full chunk; nil submits it to the stanza's writer.
	hand func(buf []byte, events int, bytes int64) error
}

func newSink(ctx context.Context, st *Stanza) *sink {
	k := &sink{ctx: ctx, st: st}
	k.Buf, k.Limit, k.Full = st.w.Buffer(), chunkSize, k.full
	return k
}

// submit hands a chunk to the writer and counts its events as written.
func (k *sink) submit(buf []byte, events int, bytes int64) error {
	err := k.st.w.Submit(buf)
	k.st.events.Add(int64(events))
	k.st.bytes.Add(bytes)
	return err
}

func (k *sink) full(c *generate.Chunks) bool {
	hand := k.hand
	if hand == nil {
		hand = k.submit
	}
	if err := hand(c.Buf, c.Events, c.Bytes); err != nil && k.err == nil {
		k.err = err
	}
	c.Buf, c.Events, c.Bytes = k.st.w.Buffer(), 0, 0
	// A large interval stops promptly on shutdown.
	return k.err == nil && k.ctx.Err() == nil
}

// emit encodes one event into the chunk (generators without a raw form,
// and encoders other than raw).
func (k *sink) emit(ev *output.Event) bool {
	if k.st.stream != "" {
		ev.Stanza = k.st.stream
	}
	k.Buf = k.st.enc.Append(k.Buf, ev)
	k.Events++
	k.Bytes += int64(len(ev.Raw))
	if len(k.Buf) >= k.Limit {
		return k.full(&k.Chunks)
	}
	return true
}

// fill generates b into k. An interval of more than sliceEvents events
// whose generator can fork is cut into slices rendered concurrently, one
// goroutine per core, and written in order.
func fill(k *sink, gen generate.Generator, b generate.Batch) error {
	if f, ok := gen.(generate.Forker); ok && b.Bytes <= 0 && b.Count > sliceEvents {
		pcg := rand.NewPCG(0, 0)
		if first := f.Fork(rand.New(pcg)); first != nil {
			return fillSlices(k, f, b, &fork{first, pcg})
		}
	}
	return fillOne(k, gen, b)
}

// fillOne generates b into k with one generator, in raw form when the
// stanza's encoder is raw and the generator can write it.
func fillOne(k *sink, gen generate.Generator, b generate.Batch) error {
	if r, ok := gen.(generate.RawGenerator); ok && k.st.enc == rawEncoder {
		if ok, err := r.GenerateRaw(b, &k.Chunks); ok || err != nil {
			return err
		}
	}
	return gen.Generate(b, k.emit)
}

// fork is a copy of a stanza's generator with its own random source.
type fork struct {
	gen generate.Generator
	pcg *rand.PCG
}

// fillSlices renders b in slices of sliceEvents events. Slice j draws
// from a PCG seeded with (a number drawn once per interval from the
// stanza's stream, j), so the output depends on the seed alone.
//
// Workers claim slices in order. The worker of the slice next in line
// writes its chunks as they fill; the others keep theirs and, when done,
// leave them in their slice's place and take the next slice at once. The
// slices are written in order by whichever worker completes the next one
// in line. A worker does not claim a slice more than maxAhead slices past
// the one being written, which bounds what waits in memory. The last
// slice's partial chunk is left in k, as fillOne leaves its last chunk.
func fillSlices(k *sink, f generate.Forker, b generate.Batch, first *fork) error {
	st := k.st
	n := (b.Count + sliceEvents - 1) / sliceEvents
	workers := min(runtime.GOMAXPROCS(0), n)
	maxAhead := int64(2 * workers)
	base := st.rng.Uint64()
	type chunk struct {
		buf    []byte
		events int
		bytes  int64
	}
	var (
		next   int          // the next slice to claim (under mu)
		turn   atomic.Int64 // the slice being written; changed under mu
		done   = make([][]chunk, n)
		ready  = make([]bool, n)
		stop   bool // under mu
		mu     sync.Mutex
		cond   = sync.NewCond(&mu)
		genErr error
	)
	// fail stops every worker; called with mu held.
	fail := func(err error, gen bool) {
		if gen && genErr == nil {
			genErr = err
		} else if !gen && err != nil && k.err == nil {
			k.err = err
		}
		stop = true
		cond.Broadcast()
	}
	// write hands the completed slices at the head of the line to the
	// writer, in order; called with mu held.
	write := func() {
		for j := int(turn.Load()); j < n && ready[j] && !stop; j++ {
			for _, c := range done[j] {
				if err := k.submit(c.buf, c.events, c.bytes); err != nil {
					fail(err, false)
					return
				}
			}
			done[j] = nil
			turn.Store(int64(j + 1))
		}
		if k.ctx.Err() != nil {
			fail(nil, false)
		}
		cond.Broadcast()
	}
	work := func(w *fork) {
		mu.Lock()
		defer mu.Unlock()
		for {
			for !stop && next < n && int64(next)-turn.Load() >= maxAhead {
				cond.Wait()
			}
			if stop || next >= n {
				return
			}
			j := next
			next++
			mu.Unlock()

			w.pcg.Seed(base, uint64(j))
			var held []chunk
			s := &sink{ctx: k.ctx, st: st}
			s.Limit, s.Full = chunkSize, s.full
			if j == 0 {
				s.Buf, k.Buf = k.Buf, nil // the interval's first chunk
			} else {
				s.Buf = st.w.Buffer()
			}
			s.hand = func(buf []byte, events int, bytes int64) error {
				if turn.Load() != int64(j) {
					held = append(held, chunk{buf, events, bytes})
					return nil
				}
				// Next in line: every slice before this one is written.
				for _, c := range held {
					if err := s.submit(c.buf, c.events, c.bytes); err != nil {
						return err
					}
				}
				held = held[:0]
				return s.submit(buf, events, bytes)
			}
			err := fillOne(s, w.gen, b.Slice(j*sliceEvents, min((j+1)*sliceEvents, b.Count)))

			mu.Lock()
			switch {
			case err != nil:
				fail(err, true)
				return
			case s.err != nil:
				fail(s.err, false)
				return
			}
			if j == n-1 {
				k.Chunks = s.Chunks // the caller submits the last chunk
			} else if len(s.Buf) > 0 {
				held = append(held, chunk{s.Buf, s.Events, s.Bytes})
			}
			done[j], ready[j] = held, true
			write()
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		pcg := rand.NewPCG(0, 0)
		g := f.Fork(rand.New(pcg))
		wg.Go(func() { work(&fork{g, pcg}) })
	}
	work(first)
	wg.Wait()
	return genErr
}
