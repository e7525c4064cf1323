package engine

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/shard"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// sliceEvents is how many events one slice of a large interval holds.
// Each event draws from a stream of its own (shard.go), so the output
// does not depend on it; it is fixed so that the work does not either.
//
// Small enough that the chunks a worker holds while an earlier slice is
// written (a slice of scenario 2 is about 3 chunks) are still in its
// cache when they go out, and that the heap of a run stays under the
// runtime's first collection goal (4 MB): with 8192, scenario 2 through
// tcpout held 4 times as many, collected once or twice in its first
// 20 ms, and ran 7% slower. Large enough that claiming a slice (a lock)
// costs nothing measurable: 1024 was slower again.
const sliceEvents = 2048

// sliceEventsOf is how many events a slice of gen's intervals holds:
// sliceEvents unless gen asks for another size (generate.SliceSizer).
func sliceEventsOf(gen generate.Generator) int {
	if s, ok := gen.(generate.SliceSizer); ok {
		if n := s.SliceEvents(); n > 0 {
			return n
		}
	}
	return sliceEvents
}

// filler is what a stanza keeps from one interval to the next to fill
// them: its sink, and for sliced intervals the forks of its generator and
// the slices' bookkeeping. At a thousand or more intervals a second
// (scenario 1), making these afresh each interval was tens of kilobytes
// of garbage per interval, and the heap, and with it the RSS, grew in
// steps between collections; kept, an interval in the steady state
// allocates nothing.
type filler struct {
	sink   sink
	noFork bool    // the generator cannot fork (see generate.Forker)
	sl     *slicer // made at the first sliced interval
}

// sink is where one generator writes an interval (or a slice of one):
// the chunk being filled, with the counts not yet added to the stanza's
// statistics, and what to do with a full chunk.
//
// The chunk is b, a batch from the stanza's writer; generators fill its
// bytes and spans through Chunks.Buf and Chunks.Ends (b's are brought up
// to date when the chunk is handed on: see batch), and emit records its
// events' spans there too (and their keys' ends in b) when the
// destination takes batches.
type sink struct {
	generate.Chunks
	b   *output.Batch
	ctx context.Context
	st  *Stanza
	err error // the writer's error
	// hand takes a full chunk; nil submits it to the stanza's writer.
	hand   func(b *output.Batch, events int, bytes int64) error
	emitFn func(ev *output.Event) bool // k.emit, made once
	// fr frames events rendered in place (generate.FramedGenerator) for
	// the encoder and stanza attribute it was made for.
	fr       output.Framer
	frEnc    output.Encoder
	frStream string
	// A filtered shard (see shard.go): events seen in the interval, their
	// bytes of _raw, and which of them are this shard's.
	shard     shard.Shard
	seen      int
	seenBytes int64
	ownFn     func(ev *output.Event) bool // k.own, made once
}

// init readies k for st; the method values are made once, here.
func (k *sink) init(st *Stanza) {
	k.st = st
	k.Full, k.emitFn, k.ownFn = k.full, k.emit, k.own
}

// own emits the events of the interval that are k's shard's: every
// shard sees them all, in the same order.
func (k *sink) own(ev *output.Event) bool {
	i := k.seen
	k.seen++
	k.seenBytes += int64(len(ev.Raw))
	if !k.shard.Owns(i) {
		return true
	}
	return k.emit(ev)
}

// start begins an interval (or a slice) in k with b as its chunk.
func (k *sink) start(ctx context.Context, b *output.Batch) {
	k.ctx, k.err = ctx, nil
	k.b = b
	k.Buf, k.Ends, k.Limit, k.Events, k.Bytes = b.Buf, b.Ends, chunkSize, 0, 0
	k.Trim, k.Spans = k.st.trim, k.st.spans
}

// batch returns the chunk being filled, its Buf up to date, and takes it
// out of k; nil when k holds none (a sliced interval that stopped early).
func (k *sink) batch() *output.Batch {
	b := k.b
	if b == nil {
		return nil
	}
	b.Buf, b.Ends = k.Buf, k.Ends
	k.b, k.Buf, k.Ends = nil, nil, nil
	return b
}

// intervalSink returns st's sink, started for a new interval.
func intervalSink(ctx context.Context, st *Stanza) *sink {
	k := &st.fill.sink
	if k.st == nil {
		k.init(st)
	}
	k.start(ctx, st.w.Buffer())
	return k
}

// submit hands a chunk to the writer and counts its events as written.
func (k *sink) submit(b *output.Batch, events int, bytes int64) error {
	err := k.st.w.Submit(b)
	k.st.events.Add(int64(events))
	k.st.bytes.Add(bytes)
	return err
}

func (k *sink) full(c *generate.Chunks) bool {
	hand := k.hand
	if hand == nil {
		hand = k.submit
	}
	if err := hand(k.batch(), c.Events, c.Bytes); err != nil && k.err == nil {
		k.err = err
	}
	k.b = k.st.w.Buffer()
	c.Buf, c.Ends, c.Events, c.Bytes = k.b.Buf, k.b.Ends, 0, 0
	// A large interval stops promptly on shutdown.
	return k.err == nil && k.ctx.Err() == nil
}

// emit encodes one event into the chunk (generators without a raw form,
// and encoders other than raw).
func (k *sink) emit(ev *output.Event) bool {
	if k.st.stream != "" {
		ev.Stanza = k.st.stream
	}
	k.Buf = k.st.appendEvent(k.Buf, &k.Ends, k.b, ev)
	k.Events++
	k.Bytes += int64(len(ev.Raw))
	if len(k.Buf) >= k.Limit {
		return k.full(&k.Chunks)
	}
	return true
}

// appendEvent encodes ev at the end of buf and, when the destination
// takes batches, records the event's end in ends (and its key's end in
// b.Keys): buf and ends are b's Buf and Ends, kept apart while the chunk
// fills (see sink). Decided per stanza, once: byte streams record
// nothing. The key memo is b's, so it is the chunk's: a new chunk's
// first event carries its key.
func (st *Stanza) appendEvent(buf []byte, ends *[]int32, b *output.Batch, ev *output.Event) []byte {
	if !st.spans {
		return st.enc.Append(buf, ev)
	}
	if st.keyed != nil {
		var key int
		buf, key = st.keyed.AppendKeyed(buf, ev, &b.KeyMemo)
		b.Keys = append(b.Keys, int32(key))
	} else {
		buf = st.enc.Append(buf, ev)
	}
	*ends = append(*ends, int32(len(buf)))
	return buf
}

// runInterval fills one interval, the event path top to bottom: the
// interval's time window → the rater decides its volume → the generator
// renders events into chunks of the stanza's encoding → full chunks go to
// the writer. It returns the last, partly filled chunk for the caller to
// submit (after the checkpoint: see step).
func (e *Engine) runInterval(ctx context.Context, st *Stanza, now time.Time) (*output.Batch, error) {
	s := st.Sample
	loc := s.Location
	local := now.In(loc)
	earliest := s.Earliest.Resolve(local)
	latest := s.Latest.Resolve(local)
	if latest.Before(earliest) {
		return nil, fmt.Errorf("earliest (%s = %s) is after latest (%s = %s); swap them", s.Earliest, earliest.Format(time.RFC3339), s.Latest, latest.Format(time.RFC3339))
	}
	count, budget := st.rate.Next(now)
	k := intervalSink(ctx, st)
	events, bytes := st.events.Load(), st.bytes.Load()
	b := generate.Batch{Count: count, Bytes: budget, Earliest: earliest, Latest: latest}
	sh := e.opts.Shard
	switch {
	case st.ranged:
		// event i draws from its own stream; this shard renders its range
		st.evs.base = st.intervalBase(now)
		b.Stream = st.evs.fn
		total := st.total(count)
		from, to := sh.Range(total)
		b = b.Slice(from, to)
		if to > from {
			if err := fill(k, st.rgen, b); err != nil {
				return nil, err
			}
		}
	case !sh.Whole():
		// every shard renders the interval, keeping events i mod N = K
		k.shard, k.seen, k.seenBytes = sh, 0, 0
		err := st.gen.Generate(b, k.ownFn)
		k.shard = shard.Shard{}
		if err != nil {
			return nil, err
		}
	default:
		if err := fill(k, st.gen, b); err != nil {
			return nil, err
		}
	}
	// Full chunks were counted as they were written; k holds the rest.
	if !sh.Whole() && !st.ranged {
		st.rate.Observe(k.seen, k.seenBytes) // the whole interval's
	} else {
		st.rate.Observe(int(st.events.Load()+int64(k.Events)-events), st.bytes.Load()+k.Bytes-bytes)
	}
	st.events.Add(int64(k.Events))
	st.bytes.Add(k.Bytes)
	if k.err != nil {
		return nil, k.err
	}
	if err := ctx.Err(); err != nil {
		// what was generated is written; the interval counts as not done
		if len(k.Buf) > 0 {
			st.w.Submit(k.batch())
		}
		return nil, err
	}
	return k.batch(), nil
}

// fill generates b into k, the sink of k.st. An interval of more than
// a slice's events (sliceEventsOf) whose generator can fork is cut into
// slices rendered concurrently, one goroutine per core, and written in
// order.
func fill(k *sink, gen generate.Generator, b generate.Batch) error {
	fl := &k.st.fill
	if f, ok := gen.(generate.Forker); ok && !fl.noFork && b.Bytes <= 0 && b.Stream != nil && b.To-b.From > sliceEventsOf(gen) {
		if fl.sl == nil {
			if fl.sl = newSlicer(f, sliceEventsOf(gen)); fl.sl == nil {
				fl.noFork = true
			}
		}
		if fl.sl != nil {
			return fl.sl.fill(k, b)
		}
	}
	return fillOne(k, gen, b)
}

// fillOne generates b into k with one generator, in raw form when the
// stanza's encoder writes raw lines (output.RawLiner: the raw format,
// tcpout, udpout) and the generator can write them, trimmed and with
// their spans as the stanza needs (generate.Chunks); framed in place
// when the encoder has a Framer (modinput, syslogout), spans included.
// Other events go through emit.
func fillOne(k *sink, gen generate.Generator, b generate.Batch) error {
	if r, ok := gen.(generate.RawGenerator); ok && k.st.rawLines {
		if ok, err := r.GenerateRaw(b, &k.Chunks); ok || err != nil {
			return err
		}
	}
	if f, ok := gen.(generate.FramedGenerator); ok && !k.st.rawLines && k.st.keyed == nil {
		if fr := k.framer(); fr != nil {
			if ok, err := f.GenerateFramed(b, &k.Chunks, fr); ok || err != nil {
				return err
			}
		}
	}
	return gen.Generate(b, k.emitFn)
}

// framer returns the sink's output.Framer for its stanza's encoder, made
// once, or nil when the encoder has none.
func (k *sink) framer() output.Framer {
	if k.frEnc != k.st.enc || k.frStream != k.st.stream {
		k.fr, k.frEnc, k.frStream = output.NewFramer(k.st.enc, k.st.stream), k.st.enc, k.st.stream
	}
	return k.fr
}

// chunk is a full chunk waiting for its slice's turn to be written.
type chunk struct {
	b      *output.Batch
	events int
	bytes  int64
}

// worker is one goroutine's share of a sliced interval: a fork of the
// stanza's generator with its own random source (reseeded for every
// event, so what it drew before does not matter), its sink, and the
// chunks of its slice that wait for their turn.
type worker struct {
	sl   *slicer
	gen  generate.Generator
	src  wyrand.Source
	evs  eventStream // reseeds src for each event
	sink sink
	j    int64 // the slice being rendered
	held []chunk
	hand func(b *output.Batch, events int, bytes int64) error // w.handChunk, made once
	// The random state and the sink change with every event: a worker
	// sharing a cache line with another's made both cores wait on it.
	_ [128]byte
}

func (w *worker) handChunk(b *output.Batch, events int, bytes int64) error {
	if w.sl.turn.Load() != w.j {
		w.held = append(w.held, chunk{b, events, bytes})
		return nil
	}
	// Next in line: every slice before this one is written.
	for _, c := range w.held {
		if err := w.sink.submit(c.b, c.events, c.bytes); err != nil {
			return err
		}
	}
	clear(w.held)
	w.held = w.held[:0]
	return w.sink.submit(b, events, bytes)
}

// slicer renders a stanza's large intervals (or this shard's range of
// one) in slices of sliceEventsOf(gen) events. Every event draws from its own
// stream (eventStream, shard.go), so the slices, and which worker renders
// which, change nothing in the output.
//
// Workers claim slices in order. The worker of the slice next in line
// writes its chunks as they fill; the others keep theirs and, when done,
// leave them in their slice's place and take the next slice at once. The
// slices are written in order by whichever worker completes the next one
// in line. A worker does not claim a slice more than maxAhead slices past
// the one being written, which bounds what waits in memory. The last
// slice's partial chunk is left in the interval's sink, as fillOne leaves
// its last chunk.
//
// A slicer lives as long as its stanza; the fields below mu describe the
// interval being filled and are set afresh by fill.
type slicer struct {
	f       generate.Forker
	size    int       // events per slice
	workers []*worker // workers[0] is the caller's; forks are made on demand
	run     func()    // a worker goroutine, made once so that starting one allocates nothing
	wg      sync.WaitGroup

	mu       sync.Mutex
	cond     sync.Cond
	k        *sink // the interval's sink
	b        generate.Batch
	n        int   // slices in the interval
	maxAhead int64 // how far claims may run ahead of the writing
	base     uint64
	started  int          // workers started (under mu)
	next     int          // the next slice to claim (under mu)
	turn     atomic.Int64 // the slice being written; changed under mu
	done     [][]chunk    // per slice, its chunks once it is complete
	ready    []bool
	stop     bool
	genErr   error
}

// newSlicer returns a slicer for f with slices of size events, or nil
// when f cannot fork.
func newSlicer(f generate.Forker, size int) *slicer {
	sl := &slicer{f: f, size: size}
	if sl.worker(0) == nil {
		return nil
	}
	sl.cond.L = &sl.mu
	sl.run = func() {
		defer sl.wg.Done()
		sl.mu.Lock()
		i := sl.started
		sl.started++
		sl.mu.Unlock()
		sl.work(sl.workers[i])
	}
	return sl
}

// worker returns worker i, forking the generator the first time.
func (sl *slicer) worker(i int) *worker {
	for len(sl.workers) <= i {
		w := &worker{sl: sl}
		if w.gen = sl.f.Fork(&w.src); w.gen == nil {
			return nil
		}
		w.hand = w.handChunk
		w.evs.init(&w.src)
		sl.workers = append(sl.workers, w)
	}
	return sl.workers[i]
}

// fill renders b into k in slices.
func (sl *slicer) fill(k *sink, b generate.Batch) error {
	n := (b.To - b.From + sl.size - 1) / sl.size
	workers := min(runtime.GOMAXPROCS(0), n)
	for i := range workers {
		if sl.worker(i) == nil {
			workers = i // cannot happen: the first fork said the generator forks
			break
		}
	}
	sl.k, sl.b, sl.n, sl.maxAhead = k, b, n, int64(2*workers)
	sl.base = k.st.evs.base
	sl.started, sl.next, sl.stop, sl.genErr = 1, 0, false, nil
	sl.turn.Store(0)
	// Each grows on its own: append may give done more room than n, and
	// a later interval of more slices then fits in done but not ready.
	if cap(sl.done) < n {
		sl.done = append(sl.done[:cap(sl.done)], make([][]chunk, n-cap(sl.done))...)
	}
	if cap(sl.ready) < n {
		sl.ready = make([]bool, n)
	}
	sl.done, sl.ready = sl.done[:n], sl.ready[:n]
	for j := range sl.done {
		clear(sl.done[j])
		sl.done[j] = sl.done[j][:0]
	}
	clear(sl.ready)
	for range workers - 1 {
		sl.wg.Add(1)
		go sl.run()
	}
	sl.work(sl.workers[0])
	sl.wg.Wait()
	sl.k = nil
	return sl.genErr
}

// fail stops every worker; called with mu held.
func (sl *slicer) fail(err error, gen bool) {
	if gen && sl.genErr == nil {
		sl.genErr = err
	} else if !gen && err != nil && sl.k.err == nil {
		sl.k.err = err
	}
	sl.stop = true
	sl.cond.Broadcast()
}

// write hands the completed slices at the head of the line to the writer,
// in order; called with mu held.
func (sl *slicer) write() {
	k := sl.k
	for j := int(sl.turn.Load()); j < sl.n && sl.ready[j] && !sl.stop; j++ {
		for _, c := range sl.done[j] {
			if err := k.submit(c.b, c.events, c.bytes); err != nil {
				sl.fail(err, false)
				return
			}
		}
		clear(sl.done[j])
		sl.done[j] = sl.done[j][:0]
		sl.turn.Store(int64(j + 1))
	}
	if k.ctx.Err() != nil {
		sl.fail(nil, false)
	}
	sl.cond.Broadcast()
}

// work claims and renders slices until none is left.
func (sl *slicer) work(w *worker) {
	k := sl.k
	sl.mu.Lock()
	defer sl.mu.Unlock()
	for {
		for !sl.stop && sl.next < sl.n && int64(sl.next)-sl.turn.Load() >= sl.maxAhead {
			sl.cond.Wait()
		}
		if sl.stop || sl.next >= sl.n {
			return
		}
		j := sl.next
		sl.next++
		var first *output.Batch
		if j == 0 {
			// Taken under mu: the worker of the last slice sets k's chunk
			// under mu too, and may finish before this one starts.
			first = k.batch()
		}
		sl.mu.Unlock()

		w.evs.base = sl.base
		w.j = int64(j)
		clear(w.held) // what a stopped interval left
		w.held = w.held[:0]
		s := &w.sink
		if s.st == nil {
			s.init(k.st)
			s.hand = w.hand
		}
		if j == 0 {
			s.start(k.ctx, first) // the interval's first chunk
		} else {
			s.start(k.ctx, k.st.w.Buffer())
		}
		b := sl.b.Slice(sl.b.From+j*sl.size, min(sl.b.From+(j+1)*sl.size, sl.b.To))
		b.Stream = w.evs.fn
		err := fillOne(s, w.gen, b)

		sl.mu.Lock()
		switch {
		case err != nil:
			sl.fail(err, true)
			return
		case s.err != nil:
			sl.fail(s.err, false)
			return
		}
		if j == sl.n-1 {
			// the caller submits the last chunk
			k.Events, k.Bytes = s.Events, s.Bytes
			k.b = s.batch()
			k.Buf, k.Ends = k.b.Buf, k.b.Ends
		} else if len(s.Buf) > 0 {
			w.held = append(w.held, chunk{s.batch(), s.Events, s.Bytes})
		} else {
			s.batch() // empty: dropped, as it was
		}
		sl.done[j] = append(sl.done[j], w.held...)
		clear(w.held)
		w.held = w.held[:0]
		sl.ready[j] = true
		sl.write()
	}
}
