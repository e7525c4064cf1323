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
	// BufferSize is the minimum capacity of the buffers Writer.Buffer
	// returns.
	BufferSize = 64 << 10
	// maxPooledBuffer keeps buffers an unusual batch grew very large out
	// of the pool.
	maxPooledBuffer = 4 << 20
)

// flusher is implemented by destinations that buffer or stage data: a
// *bufio.Writer around stdout, the spool sink.
type flusher interface{ Flush() error }

// item is one entry of a Writer's queue: a buffer to write or, when flush
// is not nil, a flush request to answer.
type item struct {
	buf   []byte
	flush chan error
}

// Writer is the single serialized writer of one destination. One
// goroutine owns the destination and writes the submitted buffers in
// submission order, each with one Write call, so events from many
// producers never interleave and no event costs a syscall of its own.
// The methods of a Writer are safe for concurrent use.
type Writer struct {
	dst   io.Writer
	name  string // destination key for error messages, may be empty
	limit int

	mu      sync.Mutex
	work    sync.Cond // signalled when the queue grows or closing is set
	space   sync.Cond // broadcast when queued shrinks or the writer fails
	queue   []item
	spare   []item // the goroutine's previous batch, reused as queue
	queued  int    // bytes submitted and not yet written
	err     error  // first error, sticky
	closing bool
	done    chan struct{} // closed when the goroutine has stopped

	bytes, writes atomic.Int64
}

// NewWriter starts the goroutine that owns dst. queueBytes bounds the
// bytes submitted but not yet written (backpressure: Submit blocks while
// full; DefaultQueueBytes when queueBytes <= 0). A single buffer larger
// than queueBytes is accepted when nothing else is queued.
func NewWriter(dst io.Writer, queueBytes int) *Writer {
	return newWriter(dst, queueBytes, "")
}

func newWriter(dst io.Writer, queueBytes int, name string) *Writer {
	if queueBytes <= 0 {
		queueBytes = DefaultQueueBytes
	}
	w := &Writer{dst: dst, name: name, limit: queueBytes, done: make(chan struct{})}
	w.work.L = &w.mu
	w.space.L = &w.mu
	go w.run()
	return w
}

// Buffer returns an empty buffer with a capacity of at least BufferSize
// from a pool shared by all Writers. Fill it and hand it to Submit.
func (w *Writer) Buffer() []byte { return getBuffer() }

// Submit hands buf over to the writer goroutine; the caller must not
// touch buf again. It blocks while the queue is full. It returns the
// writer's first error, if any (and then drops buf, without blocking), or
// ErrClosed once Close has been called, including when Close is called
// while Submit waits for room. Empty buffers are not written.
func (w *Writer) Submit(buf []byte) error {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		putBuffer(buf)
		return ErrClosed
	}
	for len(buf) > 0 && w.err == nil && !w.closing && w.queued > 0 && w.queued+len(buf) > w.limit {
		w.space.Wait()
	}
	if w.closing {
		w.mu.Unlock()
		putBuffer(buf)
		return ErrClosed
	}
	if err := w.err; err != nil || len(buf) == 0 {
		w.mu.Unlock()
		putBuffer(buf)
		return err
	}
	w.queue = append(w.queue, item{buf: buf})
	w.queued += len(buf)
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
		batch := w.queue
		w.queue = w.spare[:0]
		w.mu.Unlock()
		for i := range batch {
			it := &batch[i]
			if it.flush != nil {
				if failed == nil {
					failed = w.flushDst()
				}
				it.flush <- failed
				it.flush = nil
				continue
			}
			n := len(it.buf)
			if failed == nil {
				failed = w.write(it.buf)
			}
			putBuffer(it.buf)
			it.buf = nil
			w.mu.Lock()
			w.queued -= n
			w.space.Broadcast()
			w.mu.Unlock()
		}
		w.mu.Lock()
		w.spare = batch[:0]
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

// write writes one buffer and returns the writer's error.
func (w *Writer) write(buf []byte) error {
	n, err := w.dst.Write(buf)
	w.bytes.Add(int64(n))
	w.writes.Add(1)
	if err == nil && n < len(buf) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return w.fail("write", err)
	}
	return nil
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

// Buffers travel through bufPool inside *[]byte boxes so that Put does
// not allocate; the emptied boxes wait in boxPool for the next Put.
var bufPool, boxPool sync.Pool

func getBuffer() []byte {
	if p, ok := bufPool.Get().(*[]byte); ok {
		b := *p
		*p = nil
		boxPool.Put(p)
		return b[:0]
	}
	// Twice the size: callers hand a buffer over once it holds BufferSize
	// bytes, so the event that crosses that mark fits without the buffer
	// growing (grown buffers used to pile up in the pool).
	return make([]byte, 0, 2*BufferSize)
}

func putBuffer(b []byte) {
	if cap(b) < BufferSize || cap(b) > maxPooledBuffer {
		return
	}
	p, _ := boxPool.Get().(*[]byte)
	if p == nil {
		p = new([]byte)
	}
	*p = b[:0]
	bufPool.Put(p)
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

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type nopFlushCloser struct {
	io.Writer
	f flusher
}

func (c nopFlushCloser) Flush() error { return c.f.Flush() }
func (nopFlushCloser) Close() error   { return nil }
