package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a destination that records every call.
type recorder struct {
	mu       sync.Mutex
	writes   [][]byte
	ops      []string
	closed   int
	writeErr func(n int) error // error for the n-th write (0-based), if any
	flushErr error
	closeErr error
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.writeErr != nil {
		if err := r.writeErr(len(r.writes)); err != nil {
			r.writes = append(r.writes, nil)
			return 0, err
		}
	}
	r.writes = append(r.writes, bytes.Clone(p))
	r.ops = append(r.ops, "write "+string(p))
	return len(p), nil
}

func (r *recorder) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, "flush")
	return r.flushErr
}

func (r *recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed++
	r.ops = append(r.ops, "close")
	return r.closeErr
}

func (r *recorder) snapshot() (ops []string, writes [][]byte, closed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ops...), append([][]byte(nil), r.writes...), r.closed
}

// filled returns one of w's batches holding p.
func filled[T ~string | ~[]byte](w *Writer, p T) *Batch {
	b := w.Buffer()
	b.Buf = append(b.Buf, p...)
	return b
}

func submit(t *testing.T, w *Writer, s string) {
	t.Helper()
	if err := w.Submit(filled(w, s)); err != nil {
		t.Fatalf("Submit(%q): %v", s, err)
	}
}

func TestWriterOrderSingleSubmitter(t *testing.T) {
	r := &recorder{}
	w := NewWriter(r, 64)
	var want []string
	total := 0
	for i := range 1000 {
		s := fmt.Sprintf("buf %d\n", i)
		total += len(s)
		want = append(want, "write "+s)
		submit(t, w, s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ops, _, closed := r.snapshot()
	want = append(want, "flush", "close")
	if strings.Join(ops, "|") != strings.Join(want, "|") {
		t.Errorf("ops = %q\nwant %q", ops, want)
	}
	if closed != 1 {
		t.Errorf("closed %d times", closed)
	}
	if n, writes := w.Stats(); writes != 1000 || n != int64(total) {
		t.Errorf("Stats = %d bytes, %d writes; want %d, 1000", n, writes, total)
	}
}

func TestWriterConcurrentSubmitters(t *testing.T) {
	const producers, perProducer = 16, 500
	r := &recorder{}
	w := NewWriter(r, 4096)
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range perProducer {
				// Several events per buffer: a buffer must reach the
				// destination whole, in one Write.
				buf := w.Buffer()
				for j := range 3 {
					buf.Buf = fmt.Appendf(buf.Buf, "p%d i%d e%d\n", p, i, j)
				}
				if err := w.Submit(buf); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, writes, _ := r.snapshot()
	if len(writes) != producers*perProducer {
		t.Fatalf("%d writes, want %d", len(writes), producers*perProducer)
	}
	next := make([]int, producers)
	for _, b := range writes {
		var p, i int
		if _, err := fmt.Sscanf(string(b), "p%d i%d e0\n", &p, &i); err != nil {
			t.Fatalf("write %q: %v", b, err)
		}
		want := fmt.Sprintf("p%d i%d e0\np%d i%d e1\np%d i%d e2\n", p, i, p, i, p, i)
		if string(b) != want {
			t.Fatalf("write %q, want %q", b, want)
		}
		if i != next[p] {
			t.Fatalf("producer %d: buffer %d written after %d", p, i, next[p]-1)
		}
		next[p]++
	}
}

// gate is a destination whose Write waits for a token on release and
// announces each call on entered.
type gate struct {
	entered chan int
	release chan error
	mu      sync.Mutex
	got     []byte
}

func newGate() *gate { return &gate{entered: make(chan int, 100), release: make(chan error)} }

func (g *gate) Write(p []byte) (int, error) {
	g.entered <- len(p)
	if err := <-g.release; err != nil {
		return 0, err
	}
	g.mu.Lock()
	g.got = append(g.got, p...)
	g.mu.Unlock()
	return len(p), nil
}

const (
	blockedFor = 30 * time.Millisecond // how long a blocked call is watched
	deadline   = 5 * time.Second       // failsafe for calls that must return
)

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(deadline):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestWriterBackpressure(t *testing.T) {
	g := newGate()
	w := NewWriter(g, 100)
	submitted := make(chan error, 10)
	// The queue counts the capacity of the buffers: these have exactly
	// their length.
	goSubmit := func(s string) {
		buf := []byte(s)
		buf = buf[:len(buf):len(buf)]
		go func() { submitted <- w.Submit(&Batch{Buf: buf}) }()
	}

	// The first buffer is taken by the goroutine, which blocks in Write;
	// it still counts against the queue until it is written.
	goSubmit(strings.Repeat("a", 60))
	if err := wait(t, submitted, "first Submit"); err != nil {
		t.Fatal(err)
	}
	wait(t, g.entered, "first Write")
	goSubmit(strings.Repeat("b", 30)) // 90 <= 100: accepted
	if err := wait(t, submitted, "second Submit"); err != nil {
		t.Fatal(err)
	}
	goSubmit(strings.Repeat("c", 30)) // 120 > 100: blocks
	select {
	case err := <-submitted:
		t.Fatalf("Submit over the limit returned %v, want it to block", err)
	case <-time.After(blockedFor):
	}
	g.release <- nil // "a" written: 60 bytes queued, "c" fits
	if err := wait(t, submitted, "blocked Submit"); err != nil {
		t.Fatal(err)
	}
	// Drain.
	done := make(chan error)
	go func() { done <- w.Close() }()
	for range 2 {
		wait(t, g.entered, "Write")
		g.release <- nil
	}
	if err := wait(t, done, "Close"); err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("a", 60) + strings.Repeat("b", 30) + strings.Repeat("c", 30); string(g.got) != want {
		t.Errorf("wrote %q, want %q", g.got, want)
	}
}

func TestWriterOversizeBufferWhenEmpty(t *testing.T) {
	r := &recorder{}
	w := NewWriter(r, 10)
	submit(t, w, strings.Repeat("x", 1000)) // larger than the queue, but nothing else is queued
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, writes := w.Stats(); writes != 1 {
		t.Errorf("%d writes, want 1", writes)
	}
}

func TestWriterStickyError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := &recorder{writeErr: func(n int) error {
		if n == 1 {
			return boom
		}
		return nil
	}}
	w := NewWriter(r, 0)
	submit(t, w, "one\n")
	submit(t, w, "two\n")
	err := w.Flush()
	if !errors.Is(err, boom) {
		t.Fatalf("Flush = %v, want %v", err, boom)
	}
	for i := range 3 {
		if err := w.Submit(filled(w, "more\n")); !errors.Is(err, boom) {
			t.Fatalf("Submit %d after failure = %v, want %v", i, err, boom)
		}
	}
	if err := w.Flush(); !errors.Is(err, boom) {
		t.Errorf("second Flush = %v", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want %v", err, boom)
	}
	ops, writes, closed := r.snapshot()
	if len(writes) != 2 || closed != 1 {
		t.Errorf("%d writes, closed %d times; want 2 writes (the second failing) and a close", len(writes), closed)
	}
	for _, op := range ops {
		if op == "flush" {
			t.Errorf("destination flushed after a write error: %q", ops)
		}
	}
}

func TestWriterErrorWakesBlockedSubmit(t *testing.T) {
	boom := errors.New("pipe gone")
	g := newGate()
	w := NewWriter(g, 10)
	submit(t, w, "0123456789")
	wait(t, g.entered, "first Write")
	submitted := make(chan error, 1)
	buf := filled(w, "blocked")
	go func() { submitted <- w.Submit(buf) }()
	select {
	case err := <-submitted:
		t.Fatalf("Submit returned %v, want it to block", err)
	case <-time.After(blockedFor):
	}
	g.release <- boom
	if err := wait(t, submitted, "blocked Submit"); !errors.Is(err, boom) {
		t.Fatalf("blocked Submit = %v, want %v", err, boom)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v", err)
	}
}

func TestWriterFlush(t *testing.T) {
	r := &recorder{}
	w := NewWriter(r, 0)
	submit(t, w, "a")
	submit(t, w, "b")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ops, _, _ := r.snapshot()
	if want := "write a|write b|flush"; strings.Join(ops, "|") != want {
		t.Errorf("after Flush: ops %q, want %q", ops, want)
	}
	submit(t, w, "c")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil { // nothing new: the destination is flushed again, harmlessly
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ops, _, _ = r.snapshot()
	if want := "write a|write b|flush|write c|flush|flush|flush|close"; strings.Join(ops, "|") != want {
		t.Errorf("ops %q, want %q", ops, want)
	}
	if err := w.Flush(); err != nil {
		t.Errorf("Flush after Close = %v", err)
	}
}

func TestWriterFlushError(t *testing.T) {
	boom := errors.New("rename failed")
	r := &recorder{flushErr: boom}
	w := NewWriter(r, 0)
	submit(t, w, "a")
	if err := w.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush = %v, want %v", err, boom)
	}
	if err := w.Submit(filled(w, "b")); !errors.Is(err, boom) {
		t.Errorf("Submit after a flush error = %v", err)
	}
	if err := w.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v", err)
	}
}

func TestWriterFlushWithoutFlusher(t *testing.T) {
	var b bytes.Buffer // no Flush method, no Close method
	w := NewWriter(&b, 0)
	submit(t, w, "x")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if b.String() != "x" {
		t.Errorf("after Flush: %q", b.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriterClose(t *testing.T) {
	closeErr := errors.New("close failed")
	for _, tc := range []struct {
		name    string
		r       *recorder
		wantErr error
	}{
		{"ok", &recorder{}, nil},
		{"close error", &recorder{closeErr: closeErr}, closeErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWriter(tc.r, 0)
			submit(t, w, "pending")
			for i := range 3 {
				if err := w.Close(); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
					t.Errorf("Close #%d = %v, want %v", i, err, tc.wantErr)
				}
			}
			ops, _, closed := tc.r.snapshot()
			if closed != 1 {
				t.Errorf("destination closed %d times", closed)
			}
			if want := "write pending|flush|close"; strings.Join(ops, "|") != want {
				t.Errorf("ops %q, want %q", ops, want)
			}
			if err := w.Submit(filled(w, "x")); !errors.Is(err, ErrClosed) {
				t.Errorf("Submit after Close = %v, want ErrClosed", err)
			}
			if ErrClosed.Error() != "output: writer closed" {
				t.Errorf("ErrClosed = %q", ErrClosed)
			}
		})
	}
}

func TestWriterConcurrentClose(t *testing.T) {
	r := &recorder{}
	w := NewWriter(r, 0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if err := w.Submit(filled(w, "x")); err != nil && !errors.Is(err, ErrClosed) {
					t.Error(err)
				}
			}
		})
		wg.Go(func() { w.Close() })
	}
	wg.Wait()
	if _, _, closed := r.snapshot(); closed != 1 {
		t.Errorf("closed %d times", closed)
	}
}

func TestWriterEmptyBuffer(t *testing.T) {
	r := &recorder{}
	w := NewWriter(r, 0)
	if err := w.Submit(w.Buffer()); err != nil {
		t.Fatal(err)
	}
	if err := w.Submit(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, writes := w.Stats(); writes != 0 {
		t.Errorf("%d writes for empty buffers", writes)
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestWriterShortWrite(t *testing.T) {
	w := NewWriter(shortWriter{}, 0)
	submit(t, w, "abcd")
	if err := w.Flush(); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("Flush = %v, want io.ErrShortWrite", err)
	}
	w.Close()
}

func TestWriterBuffer(t *testing.T) {
	w := NewWriter(io.Discard, 0)
	defer w.Close()
	for range 3 {
		b := w.Buffer()
		if len(b.Buf) != 0 || cap(b.Buf) < BufferSize || b.Len() != 0 {
			t.Fatalf("Buffer: len %d cap %d, %d events", len(b.Buf), cap(b.Buf), b.Len())
		}
		b.Buf = append(b.Buf, "data"...)
		if err := w.Submit(b); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNopCloser(t *testing.T) {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	wc := NopCloser(bw)
	if _, ok := wc.(flusher); !ok {
		t.Fatal("NopCloser(*bufio.Writer) has no Flush")
	}
	w := NewWriter(wc, 0)
	submit(t, w, "line\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if b.String() != "line\n" {
		t.Errorf("after Flush: %q (Flush not forwarded)", b.String())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := bw.WriteString("still open"); err != nil {
		t.Fatal(err)
	}

	if _, ok := NopCloser(&b).(flusher); ok {
		t.Error("NopCloser(*bytes.Buffer) has a Flush method")
	}
	if err := NopCloser(&b).Close(); err != nil {
		t.Error(err)
	}
}

// TestWriterReusesBuffers checks that written buffers come back from
// Buffer, that a grown buffer does not, and that the free list keeps no
// more than the queue's worth plus spareBuffers.
func TestWriterReusesBuffers(t *testing.T) {
	w := NewWriter(io.Discard, 3*bufferCap)
	defer w.Close()
	if want := 3 + spareBuffers; w.maxFree != want {
		t.Fatalf("maxFree = %d, want %d", w.maxFree, want)
	}
	first := func(b *Batch) *byte { return &b.Buf[:1][0] }

	b := w.Buffer()
	if cap(b.Buf) != bufferCap {
		t.Fatalf("cap %d, want %d", cap(b.Buf), bufferCap)
	}
	p := first(b)
	b.Buf = append(b.Buf, "x"...)
	b.Ends = append(b.Ends, 1)
	if err := w.Submit(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if b := w.Buffer(); first(b) != p || len(b.Buf) != 0 || b.Len() != 0 {
		t.Errorf("Buffer after a write: a new buffer (len %d, %d events), want the written one back, empty", len(b.Buf), b.Len())
	}

	// A buffer an event grew past its capacity is dropped, not kept.
	grown := filled(w, make([]byte, bufferCap+1))
	if err := w.Submit(grown); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	for _, f := range w.free {
		if cap(f.Buf) != bufferCap {
			t.Errorf("free list holds a buffer of cap %d", cap(f.Buf))
		}
	}
	w.mu.Unlock()

	// More buffers in use than the bound: the surplus is dropped.
	var held []*Batch
	for range w.maxFree + 3 {
		held = append(held, filled(w, "y"))
	}
	for _, b := range held {
		if err := w.Submit(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	if n := len(w.free); n != w.maxFree {
		t.Errorf("free list holds %d buffers, want %d", n, w.maxFree)
	}
	w.mu.Unlock()
}

// TestWriterQueueCountsCapacity checks that the queue bound is on memory:
// a nearly empty buffer counts for its whole capacity.
func TestWriterQueueCountsCapacity(t *testing.T) {
	g := newGate()
	w := NewWriter(g, 100)
	if err := w.Submit(&Batch{Buf: []byte("a")[:1:1]}); err != nil { // taken by the goroutine, blocked in Write
		t.Fatal(err)
	}
	wait(t, g.entered, "first Write")
	small := make([]byte, 1, 100) // 1 byte long, 100 bytes of memory: 101 > 100
	small[0] = 'b'
	submitted := make(chan error, 1)
	go func() { submitted <- w.Submit(&Batch{Buf: small}) }()
	select {
	case err := <-submitted:
		t.Fatalf("Submit of a buffer whose capacity does not fit returned %v, want it to block", err)
	case <-time.After(blockedFor):
	}
	g.release <- nil
	if err := wait(t, submitted, "blocked Submit"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- w.Close() }()
	wait(t, g.entered, "Write")
	g.release <- nil
	if err := wait(t, done, "Close"); err != nil {
		t.Fatal(err)
	}
	if string(g.got) != "ab" {
		t.Errorf("wrote %q, want %q", g.got, "ab")
	}
}

// batchesRecorder is a BatchesWriter that records each call (one batch
// per WriteBatch, several per WriteBatches) and can hold its first call
// until released, so that batches queue behind it.
type batchesRecorder struct {
	mu      sync.Mutex
	calls   []string
	flushes int
	hold    chan struct{} // the first call waits for it to be closed
	held    chan struct{} // closed when the first call started
	err     error         // returned by WriteBatches
}

func (r *batchesRecorder) record(kind string, bs []*Batch) {
	var texts []string
	for _, b := range bs {
		texts = append(texts, string(b.Buf))
	}
	r.mu.Lock()
	first := len(r.calls) == 0
	r.calls = append(r.calls, kind+" "+strings.Join(texts, ","))
	r.mu.Unlock()
	if first && r.hold != nil {
		close(r.held)
		<-r.hold
	}
}

func (r *batchesRecorder) Write(p []byte) (int, error) { return 0, errors.New("bytes") }
func (r *batchesRecorder) WriteBatch(b *Batch) error {
	r.record("one", []*Batch{b})
	return nil
}
func (r *batchesRecorder) WriteBatches(bs []*Batch) error {
	r.record("many", bs)
	return r.err
}
func (r *batchesRecorder) Flush() error {
	r.mu.Lock()
	r.calls = append(r.calls, "flush")
	r.mu.Unlock()
	return nil
}

// TestWriterHandsRunsToBatchesWriter: what queued while the destination
// was busy goes to a BatchesWriter in one WriteBatches call, in order, up
// to a flush request; a lone batch goes to WriteBatch; an error from
// WriteBatches is the writer's.
func TestWriterHandsRunsToBatchesWriter(t *testing.T) {
	r := &batchesRecorder{hold: make(chan struct{}), held: make(chan struct{})}
	w := NewWriter(r, 0)
	submit(t, w, "a")
	<-r.held // "a" is being written; the rest queues behind it
	for _, s := range []string{"b", "c", "d"} {
		submit(t, w, s)
	}
	flushed := make(chan error, 1)
	go func() { flushed <- w.Flush() }()
	for {
		w.mu.Lock()
		n := len(w.queue)
		w.mu.Unlock()
		if n == 4 { // b, c, d and the flush request
			break
		}
		time.Sleep(time.Millisecond)
	}
	submit(t, w, "e")
	close(r.hold)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	got := strings.Join(r.calls, "|")
	r.mu.Unlock()
	if want := "one a|many b,c,d|flush|one e|flush"; got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
	if n, writes := w.Stats(); n != 5 || writes != 5 {
		t.Errorf("Stats() = %d bytes, %d writes; want 5, 5", n, writes)
	}

	r2 := &batchesRecorder{hold: make(chan struct{}), held: make(chan struct{}), err: errors.New("receiver gone")}
	w2 := NewWriter(r2, 0)
	submit(t, w2, "a")
	<-r2.held
	submit(t, w2, "b")
	submit(t, w2, "c")
	close(r2.hold)
	if err := w2.Flush(); err == nil || !strings.Contains(err.Error(), "receiver gone") {
		t.Errorf("Flush after a failed WriteBatches = %v, want its error", err)
	}
	if err := w2.Submit(filled(w2, "d")); err == nil {
		t.Error("Submit after a failed WriteBatches succeeded")
	}
	w.Close()
	w2.Close()
}
