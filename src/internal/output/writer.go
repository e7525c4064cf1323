package output

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("output: writer closed")

const (
	// DefaultQueueBytes bounds the bytes a Writer holds when NewWriter is
	// given a queue size <= 0.
	DefaultQueueBytes = 8 << 20
	// BufferSize is the fill level at which producers hand a buffer
	// from Writer.Buffer over to Submit: large writes, few syscalls.
	BufferSize = 64 << 10
	// bufferSlack is the room Writer.Buffer leaves above BufferSize, so
	// that the event crossing BufferSize fits without the buffer growing
	// (an event larger than that grows it once, and the grown buffer is
	// not reused).
	bufferSlack = 16 << 10
	// bufferCap is the capacity of every buffer Writer.Buffer returns.
	bufferCap = BufferSize + bufferSlack
	// spareBuffers is how many buffers beyond the queue's worth a Writer
	// keeps for reuse: those its producers hold besides the queue. That
	// is one per stanza being filled, and, when the engine renders an
	// interval in slices on several cores, the chunks of the slices
	// waiting for their turn (~9 chunks per slice in the modinput
	// format). With only the queue's worth kept, a third of the buffers
	// of scenario 5 were new allocations, dropped again after their write:
	// garbage the GC then chased. A Writer never keeps more buffers than
	// were in use at once, so the bound (20 MiB) only limits what a rare
	// peak leaves behind.
	spareBuffers = 256
)

// flusher is implemented by destinations that buffer or stage data: a
// *bufio.Writer around stdout, the spool sink.
type flusher interface{ Flush() error }

// idler is implemented by destinations that gather several writes into
// one unit of their own (the HTTP outputs' requests): the writer
// goroutine calls Idle when it has written everything queued, so that
// what they hold goes out now instead of waiting for more.
type idler interface{ Idle() error }

// item is one entry of a Writer's queue: a batch to write or, when flush
// is not nil, a flush request to answer.
type item struct {
	b     *Batch
	flush chan error
}

// Writer is the single serialized writer of one destination. One
// goroutine owns the destination and writes the submitted batches in
// submission order, each with one Write (or WriteBatch) call, so events
// from many producers never interleave and no event costs a syscall of
// its own. The methods of a Writer are safe for concurrent use.
type Writer struct {
	dst       io.Writer
	bw        BatchWriter   // dst, when it takes batches
	bsw       BatchesWriter // dst, when it takes several batches at once
	keep      keeper        // dst's keeper (Splice), if it is one
	idle      idler         // dst's idler, or keep
	releaseFn func(*Batch)  // w.release, made once
	name      string        // destination key for error messages, may be empty
	limit     int

	mu      sync.Mutex
	work    sync.Cond // signalled when the queue grows or closing is set
	space   sync.Cond // broadcast when queued shrinks or the writer fails
	queue   []item
	spare   []item   // the goroutine's previous run of items, reused as queue
	bsBuf   []*Batch // the writer goroutine's argument to WriteBatches, reused
	queued  int      // capacity of the buffers submitted and not yet written
	free    []*Batch // written batches with a Buf of bufferCap, for Buffer
	maxFree int      // bound of free
	err     error    // first error, sticky
	closing bool
	done    chan struct{} // closed when the goroutine has stopped

	bytes, writes atomic.Int64
}

// NewWriter starts the goroutine that owns dst. queueBytes bounds the
// memory of the buffers submitted but not yet written, counted by their
// capacity (backpressure: Submit blocks while full; DefaultQueueBytes when
// queueBytes <= 0). A single buffer larger than queueBytes is accepted
// when nothing else is queued.
func NewWriter(dst io.Writer, queueBytes int) *Writer {
	return newWriter(dst, queueBytes, "")
}

func newWriter(dst io.Writer, queueBytes int, name string) *Writer {
	if queueBytes <= 0 {
		queueBytes = DefaultQueueBytes
	}
	w := &Writer{dst: dst, name: name, limit: queueBytes, done: make(chan struct{}),
		maxFree: queueBytes/bufferCap + spareBuffers}
	w.bw, _ = dst.(BatchWriter)
	w.bsw, _ = dst.(BatchesWriter)
	w.work.L = &w.mu
	w.space.L = &w.mu
	w.idle, _ = dst.(idler)
	if k, ok := unwrap(dst).(keeper); ok {
		w.keep, w.releaseFn, w.idle = k, w.release, k
	}
	growPipe(unwrap(dst))
	go w.run()
	return w
}

// Buffer returns an empty batch whose Buf has room for BufferSize bytes
// and the event that crosses that mark. Fill it (recording the events'
// spans when TakesBatches says so) and hand it to Submit.
//
// Buffers are reused through the Writer's own free list, bounded to the
// queue's worth plus a few, instead of a sync.Pool: the buffers in use
// are then those queued (bounded by queueBytes) plus those producers are
// filling, from the start, and a deep queue at some point does not leave
// extra buffers behind for the garbage collector to drop whenever it next
// runs (with almost no garbage per event it runs about once a minute, so
// memory used to creep up in steps).
func (w *Writer) Buffer() *Batch {
	w.mu.Lock()
	if n := len(w.free); n > 0 {
		b := w.free[n-1]
		w.free[n-1] = nil
		w.free = w.free[:n-1]
		w.mu.Unlock()
		return b
	}
	w.mu.Unlock()
	return &Batch{Buf: make([]byte, 0, bufferCap)}
}

// TakesBatches reports whether the destination reads events from the
// batches' spans (it is a BatchWriter): producers must then record them.
// Byte-stream destinations do not pay for spans.
func (w *Writer) TakesBatches() bool { return w.bw != nil }

// recycle keeps b for Buffer if it is one of Buffer's, ungrown, and the
// free list has room; w.mu must be held.
func (w *Writer) recycle(b *Batch) {
	if b != nil && cap(b.Buf) == bufferCap && len(w.free) < w.maxFree {
		b.Reset()
		w.free = append(w.free, b)
	}
}

// release recycles a batch a keeper has done with.
func (w *Writer) release(b *Batch) {
	w.mu.Lock()
	w.recycle(b)
	w.mu.Unlock()
}

// Submit hands b over to the writer goroutine; the caller must not touch
// b again. It blocks while the queue is full. It returns the writer's
// first error, if any (and then drops b, without blocking), or ErrClosed
// once Close has been called, including when Close is called while Submit
// waits for room. Empty batches (and nil) are not written.
func (w *Writer) Submit(b *Batch) error {
	size := 0
	if b != nil {
		size = cap(b.Buf)
	}
	w.mu.Lock()
	for b != nil && len(b.Buf) > 0 && w.err == nil && !w.closing && w.queued > 0 && w.queued+size > w.limit {
		w.space.Wait()
	}
	if w.closing {
		w.recycle(b)
		w.mu.Unlock()
		return ErrClosed
	}
	if err := w.err; err != nil || b == nil || len(b.Buf) == 0 {
		w.recycle(b)
		w.mu.Unlock()
		return err
	}
	w.queue = append(w.queue, item{b: b})
	w.queued += size
	w.work.Signal()
	w.mu.Unlock()
	return nil
}

// Flush waits until everything submitted before it has been written and
// then, if the destination has a Flush() error method, calls it in the
// writer goroutine. It returns the writer's first error, if any. After
// Close it waits for Close to finish and returns its result.
func (w *Writer) Flush() error {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		<-w.done
		return w.Err()
	}
	if err := w.err; err != nil {
		w.mu.Unlock()
		return err
	}
	ch := make(chan error, 1)
	w.queue = append(w.queue, item{flush: ch})
	w.work.Signal()
	w.mu.Unlock()
	return <-ch
}

// Close writes everything submitted, flushes and closes the destination
// if it is an io.Closer (even after a write error), and stops the
// goroutine. It returns the writer's first error. Close is idempotent;
// later calls wait for the first one and return the same error. Close
// blocks as long as the destination's Write blocks.
func (w *Writer) Close() error {
	w.mu.Lock()
	if !w.closing {
		w.closing = true
		w.work.Signal()
		w.space.Broadcast()
	}
	w.mu.Unlock()
	<-w.done
	return w.Err()
}

// Err returns the writer's first error, or nil.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Stats returns the bytes written to the destination and the number of
// Write calls made.
func (w *Writer) Stats() (bytes, writes int64) {
	return w.bytes.Load(), w.writes.Load()
}

// QueueBytes returns the bound of the Writer's queue (see NewWriter).
func (w *Writer) QueueBytes() int { return w.limit }

// Name returns the destination's key ("stdout", "file:/abs/path", ...),
// or "" for a Writer made by NewWriter.
func (w *Writer) Name() string { return w.name }

// Dst returns the destination the Writer writes to (inside NopCloser's
// wrapper, if any), for callers that read its own counters.
func (w *Writer) Dst() io.Writer { return unwrap(w.dst) }

// run is the writer goroutine.
func (w *Writer) run() {
	defer close(w.done)
	var failed error // the goroutine's copy of w.err
	w.mu.Lock()
	for {
		for len(w.queue) == 0 && !w.closing {
			w.work.Wait()
		}
		if len(w.queue) == 0 {
			break // closing and drained
		}
		run := w.queue
		w.queue = w.spare[:0]
		w.mu.Unlock()
		for i := 0; i < len(run); i++ {
			it := &run[i]
			if n := w.batchesAt(run[i:]); n > 1 && failed == nil {
				failed = w.writeBatches(run[i : i+n])
				i += n - 1
				continue
			}
			if it.flush != nil {
				if failed == nil {
					failed = w.flushDst()
				}
				it.flush <- failed
				it.flush = nil
				continue
			}
			kept, size := false, cap(it.b.Buf) // b may be released once written (write)
			if failed == nil {
				kept, failed = w.write(it.b)
			}
			w.mu.Lock()
			w.queued -= size
			if !kept {
				w.recycle(it.b)
			}
			it.b = nil
			w.space.Broadcast()
			w.mu.Unlock()
		}
		w.mu.Lock()
		w.spare = run[:0]
		if id := w.idle; id != nil && failed == nil && len(w.queue) == 0 {
			w.mu.Unlock()
			if err := id.Idle(); err != nil {
				failed = w.fail("write", err)
			}
			w.mu.Lock()
		}
	}
	w.mu.Unlock()
	if failed == nil {
		w.flushDst()
	}
	if c, ok := w.dst.(io.Closer); ok {
		if err := c.Close(); err != nil {
			w.fail("close", err)
		}
	}
}

// batchesAt returns how many batches the run starts with that one
// WriteBatches call takes: those before the first flush request, when the
// destination is a BatchesWriter; 0 otherwise.
func (w *Writer) batchesAt(run []item) int {
	if w.bsw == nil {
		return 0
	}
	n := 0
	for n < len(run) && run[n].flush == nil {
		n++
	}
	return n
}

// writeBatches writes the batches of run with one WriteBatches call,
// recycles them, and returns the writer's error.
func (w *Writer) writeBatches(run []item) error {
	bs := w.bsBuf[:0]
	size := 0
	for i := range run {
		bs = append(bs, run[i].b)
		size += len(run[i].b.Buf)
	}
	err := w.bsw.WriteBatches(bs)
	clear(bs)
	w.bsBuf = bs[:0]
	if err == nil {
		w.bytes.Add(int64(size))
		w.writes.Add(int64(len(run)))
	} else {
		err = w.fail("write", err)
	}
	w.mu.Lock()
	for i := range run {
		w.queued -= cap(run[i].b.Buf)
		w.recycle(run[i].b)
		run[i].b = nil
	}
	w.space.Broadcast()
	w.mu.Unlock()
	return err
}

// write writes one batch and returns the writer's error, and whether
// the destination took b over (a keeper, which releases it later).
func (w *Writer) write(b *Batch) (kept bool, _ error) {
	// The length is read before the write: a keeper may release b while
	// WriteKeep returns, and b is then another chunk's (with another
	// length) as soon as the engine takes it from the free list.
	size := len(b.Buf)
	var n int
	var err error
	switch {
	case w.bw != nil:
		if err = w.bw.WriteBatch(b); err == nil {
			n = size
		}
	case w.keep != nil:
		n, err = w.keep.WriteKeep(b, w.releaseFn)
		kept = true
	default:
		n, err = w.dst.Write(b.Buf)
	}
	w.bytes.Add(int64(n))
	w.writes.Add(1)
	if err == nil && n < size {
		err = io.ErrShortWrite
	}
	if err != nil {
		return kept, w.fail("write", err)
	}
	return kept, nil
}

// flushDst flushes the destination if it can be flushed and returns the
// writer's error.
func (w *Writer) flushDst() error {
	if f, ok := w.dst.(flusher); ok {
		if err := f.Flush(); err != nil {
			return w.fail("flush", err)
		}
	}
	return nil
}

// fail records err as the writer's error unless there is one already,
// wakes blocked submitters and returns the writer's error.
func (w *Writer) fail(op string, err error) error {
	if w.name != "" {
		err = fmt.Errorf("output: %s: %s: %w", w.name, op, err)
	} else {
		err = fmt.Errorf("output: %s: %w", op, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
	w.space.Broadcast()
	return w.err
}

// NopCloser returns w with a Close method that does nothing, for a
// destination the process does not own, such as stdout. If w has a
// Flush() error method, the result has one that calls it.
func NopCloser(w io.Writer) io.WriteCloser {
	if f, ok := w.(flusher); ok {
		return nopFlushCloser{w, f}
	}
	return nopCloser{w}
}

// unwrap returns the writer inside NopCloser's wrappers, or w.
func unwrap(w io.Writer) io.Writer {
	switch c := w.(type) {
	case nopCloser:
		return c.Writer
	case nopFlushCloser:
		return c.Writer
	}
	return w
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type nopFlushCloser struct {
	io.Writer
	f flusher
}

func (c nopFlushCloser) Flush() error { return c.f.Flush() }
func (nopFlushCloser) Close() error   { return nil }
