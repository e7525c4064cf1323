//go:build linux

package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// spliceTestPipe returns a pipe, closed at the end of the test.
func spliceTestPipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// fillPattern fills b with the bytes of buffer seq: each byte depends on
// the buffer and its offset, so a buffer overwritten before the reader has
// read it shows as a mismatch.
func fillPattern(b []byte, seq int) {
	x := uint32(seq)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
}

// TestSpliceStream: buffers submitted to a Writer on a spliced pipe reach
// a read(2)ing reader exactly, in order, while the Writer recycles them
// and the producer overwrites each one as soon as Buffer hands it out. The
// reader reads in odd sizes, often small, and now and then pauses, so that
// buffers are still in the pipe when the producer asks for more. Both
// ways of waiting for room (a blocking vmsplice, as into a shell's fifo or
// splunkd's pipe; EAGAIN and the poller, as os.Pipe's non-blocking ends),
// with FIONREAD asked only past twice the pipe's size (as shipped) and
// before every write (the rule at its tightest).
func TestSpliceStream(t *testing.T) {
	for _, c := range []struct {
		name      string
		blocking  bool
		everyTime bool
	}{
		{"non-blocking", false, false},
		{"non-blocking, FIONREAD every write", false, true},
		{"blocking", true, false},
		{"blocking, FIONREAD every write", true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, pw := spliceTestPipe(t)
			dst := Splice(pw)
			s, ok := dst.(*splicer)
			if !ok {
				t.Fatalf("Splice(pipe) = %T, want *splicer", dst)
			}
			if s.flags == 0 {
				t.Fatal("os.Pipe's write end: the splicer did not see it is non-blocking")
			}
			if c.blocking {
				s.flags = 0 // vmsplice blocks (it ignores O_NONBLOCK)
			}
			if c.everyTime {
				s.reclaimAt = 0
			}
			spliceStream(t, r, dst)
			if s.off {
				t.Error("the splicer fell back to write(2)")
			}
		})
	}
}

func spliceStream(t *testing.T, r io.Reader, dst io.Writer) {
	w := NewWriter(NopCloser(dst), 4*bufferCap)
	if w.keep == nil {
		t.Fatal("the Writer does not see the splicer as a keeper")
	}
	const buffers = 1500
	sizes := make([]int, buffers)
	rng := rand.New(rand.NewPCG(1, 2))
	var total int64
	for i := range sizes {
		switch rng.IntN(10) {
		case 0:
			sizes[i] = 1 + rng.IntN(spliceMin) // write(2)
		case 1:
			sizes[i] = bufferCap // full
		default:
			sizes[i] = BufferSize - 4096 + rng.IntN(8192)
		}
		total += int64(sizes[i])
	}

	type result struct {
		n   int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		want := make([]byte, 0, bufferCap)
		buf := make([]byte, 256<<10)
		rr := rand.New(rand.NewPCG(3, 4))
		seq, off := 0, 0 // position in the expected stream
		var n int64
		fail := func(err error) {
			done <- result{n, err}
			io.Copy(io.Discard, r) // let the writer finish
		}
		for {
			k := 1 + rr.IntN(len(buf))
			if rr.IntN(2) == 0 {
				k = 1 + rr.IntN(8192)
			}
			m, err := r.Read(buf[:k])
			got := buf[:m]
			for len(got) > 0 {
				if seq >= buffers {
					fail(fmt.Errorf("%d bytes more than written", len(got)))
					return
				}
				if off == 0 {
					want = want[:sizes[seq]]
					fillPattern(want, seq)
				}
				c := min(len(got), len(want)-off)
				if !bytes.Equal(got[:c], want[off:off+c]) {
					fail(fmt.Errorf("buffer %d differs at offset %d (stream byte %d)", seq, off, n))
					return
				}
				got, off, n = got[c:], off+c, n+int64(c)
				if off == len(want) {
					seq, off = seq+1, 0
				}
			}
			if err == io.EOF {
				done <- result{n, nil}
				return
			}
			if err != nil {
				fail(err)
				return
			}
			if rr.IntN(20) == 0 {
				time.Sleep(100 * time.Microsecond)
			}
		}
	}()

	seen := map[*byte]bool{}
	timeout := time.After(60 * time.Second)
	for i := 0; i < buffers; i++ {
		b := w.Buffer()
		seen[unsafe.SliceData(b.Buf[:1])] = true
		b.Buf = b.Buf[:sizes[i]]
		fillPattern(b.Buf, i)
		if err := w.Submit(b); err != nil {
			t.Fatal(err)
		}
		select {
		case res := <-done:
			t.Fatalf("reader stopped after %d bytes: %v", res.n, res.err)
		case <-timeout:
			t.Fatal("timed out")
		default:
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if f, ok := dst.(*splicer); ok {
		f.f.Close() // EOF for the reader
	}
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatal(res.err)
		}
		if res.n != total {
			t.Fatalf("reader got %d bytes, want %d", res.n, total)
		}
	case <-timeout:
		t.Fatal("timed out waiting for the reader")
	}
	// buffers were reused: far fewer than were submitted (the queue's 4,
	// up to ~36 held and a few)
	if len(seen) > 64 {
		t.Errorf("%d distinct buffers for %d submitted: not recycled", len(seen), buffers)
	}
	t.Logf("%d distinct buffers for %d submitted, %d bytes", len(seen), buffers, total)
}

// TestSpliceReleaseRule: a buffer is held back until spliceBatch are
// taken or Idle, and once handed over, released only when the reader has
// read all of its bytes; a buffer under spliceMin is copied and released
// at once, after what was held back.
func TestSpliceReleaseRule(t *testing.T) {
	r, pw := spliceTestPipe(t)
	s, ok := Splice(pw).(*splicer)
	if !ok {
		t.Fatal("Splice(pipe) is not a splicer")
	}
	s.reclaimAt = 0 // ask FIONREAD before every write
	var released [][]byte
	rel := func(b *Batch) { released = append(released, b.Buf) }
	a := bytes.Repeat([]byte{'a'}, 64<<10)
	if n, err := s.WriteKeep(&Batch{Buf: a}, rel); n != len(a) || err != nil {
		t.Fatalf("WriteKeep = %d, %v", n, err)
	}
	if len(s.pend) != 1 || unread(t, pw) != 0 {
		t.Fatalf("the first buffer is not held back: %d pending, %d bytes in the pipe", len(s.pend), unread(t, pw))
	}
	if err := s.Idle(); err != nil {
		t.Fatal(err)
	}
	if len(s.pend) != 0 || unread(t, pw) != len(a) {
		t.Fatalf("after Idle: %d pending, %d bytes in the pipe", len(s.pend), unread(t, pw))
	}
	small := []byte("small")
	if _, err := s.WriteKeep(&Batch{Buf: small}, rel); err != nil {
		t.Fatal(err)
	}
	if len(released) != 1 || &released[0][0] != &small[0] {
		t.Fatalf("after two writes, released %d buffers, want only the small one", len(released))
	}
	buf := make([]byte, len(a)-1)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	s.WriteKeep(&Batch{}, rel) // reclaims; empty: written (nothing) and released
	if len(released) != 2 {
		t.Fatalf("one byte of a unread: released %d, want 2 (small, empty)", len(released))
	}
	if _, err := io.ReadFull(r, buf[:1+len(small)]); err != nil {
		t.Fatal(err)
	}
	s.WriteKeep(&Batch{}, rel)
	if len(released) != 4 || &released[2][0] != &a[0] {
		t.Fatalf("all read: released %d, want a released third", len(released))
	}
	if len(s.held) != 0 || s.heldBytes != 0 {
		t.Fatalf("%d buffers (%d bytes) still held", len(s.held), s.heldBytes)
	}
	// spliceBatch buffers go over in one call without Idle
	for range spliceBatch {
		s.WriteKeep(&Batch{Buf: a}, rel)
	}
	if len(s.pend) != 0 || unread(t, pw) != spliceBatch*len(a) {
		t.Fatalf("after %d buffers: %d pending, %d bytes in the pipe", spliceBatch, len(s.pend), unread(t, pw))
	}
}

// unread returns the bytes in f's pipe.
func unread(t *testing.T, f *os.File) int {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	rc.Control(func(fd uintptr) { n, err = unix.IoctlGetInt(int(fd), unix.TIOCINQ) })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSpliceNotPipe: Splice leaves anything but a pipe alone (a regular
// file, /dev/null, a non-file writer), and does nothing when
// EVENTGEN_VMSPLICE=0.
func TestSpliceNotPipe(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := Splice(f); got != io.Writer(f) {
		t.Errorf("Splice(file) = %T, want the file", got)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if got := Splice(null); got != io.Writer(null) {
		t.Errorf("Splice(/dev/null) = %T, want the file", got)
	}
	var b bytes.Buffer
	if got := Splice(&b); got != io.Writer(&b) {
		t.Errorf("Splice(*bytes.Buffer) = %T", got)
	}
	_, pw := spliceTestPipe(t)
	t.Setenv(SpliceEnv, "0")
	if got := Splice(pw); got != io.Writer(pw) {
		t.Errorf("Splice(pipe) with %s=0 = %T, want the pipe", SpliceEnv, got)
	}
	t.Setenv(SpliceEnv, "1")
	if _, ok := Splice(pw).(*splicer); !ok {
		t.Errorf("Splice(pipe) with %s=1 is not a splicer", SpliceEnv)
	}
}

// TestSpliceFallback: when vmsplice fails (here EBADF: the file is not a
// pipe), the splicer writes with write(2) from then on, every byte in
// order.
func TestSpliceFallback(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	s := newSplicer(f, rc)
	w := NewWriter(NopCloser(s), 0)
	want := submitPatterns(t, w, 20)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !s.off {
		t.Error("vmsplice into a regular file did not turn the splicer off")
	}
	if len(s.held) != 0 {
		t.Errorf("%d buffers held after the fallback", len(s.held))
	}
	if got, _ := os.ReadFile(f.Name()); !bytes.Equal(got, want) {
		t.Fatalf("file holds %d bytes, differing from the %d written", len(got), len(want))
	}
}

// TestSpliceEPIPE: once the reader has closed its end, the Writer fails
// with EPIPE, as with write(2).
func TestSpliceEPIPE(t *testing.T) {
	r, pw := spliceTestPipe(t)
	dst := Splice(pw)
	if _, ok := dst.(*splicer); !ok {
		t.Fatal("Splice(pipe) is not a splicer")
	}
	w := NewWriter(NopCloser(dst), 0)
	r.Close()
	deadline := time.Now().Add(20 * time.Second)
	var err error
	for err == nil && time.Now().Before(deadline) {
		bb := w.Buffer()
		bb.Buf = bb.Buf[:BufferSize]
		err = w.Submit(bb)
		if err == nil {
			err = w.Flush()
		}
	}
	w.Close()
	if !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("err = %v, want EPIPE", err)
	}
}

// TestSpliceFullPipe: a writer that fills the pipe waits for the reader
// (os.Pipe's ends are non-blocking: vmsplice answers EAGAIN and the
// splicer waits in the poller) and then goes on, every byte in order.
func TestSpliceFullPipe(t *testing.T) {
	r, pw := spliceTestPipe(t)
	dst := Splice(pw)
	if _, ok := dst.(*splicer); !ok {
		t.Fatal("Splice(pipe) is not a splicer")
	}
	w := NewWriter(NopCloser(dst), 0)
	const buffers = 64 // 4 MiB: four times the pipe
	want := submitPatterns(t, w, buffers)
	got := make(chan []byte)
	go func() {
		time.Sleep(100 * time.Millisecond) // let the writer fill the pipe
		b, _ := io.ReadAll(r)
		got <- b
	}()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	select {
	case b := <-got:
		if !bytes.Equal(b, want) {
			t.Fatalf("read %d bytes, differing from the %d written", len(b), len(want))
		}
	case <-time.After(30 * time.Second):
		t.Fatal("timed out")
	}
}

// submitPatterns submits n full buffers to w, buffer i filled with
// fillPattern(i), and returns the bytes submitted.
func submitPatterns(t *testing.T, w *Writer, n int) []byte {
	t.Helper()
	var want []byte
	for i := range n {
		bb := w.Buffer()
		bb.Buf = bb.Buf[:BufferSize]
		fillPattern(bb.Buf, i)
		want = append(want, bb.Buf...)
		if err := w.Submit(bb); err != nil {
			t.Fatal(err)
		}
	}
	return want
}
