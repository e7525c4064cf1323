//go:build linux

package output

import (
	"io"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// spliceMin is the smallest buffer Splice hands over with vmsplice(2);
// smaller ones (the stream's header and footer, a partial chunk at the
// end of an interval) are copied with write(2), which packs them into
// the pipe's pages instead of taking a page slot for a few bytes.
const spliceMin = 16 << 10

// splicers holds the splicer of each file, for the life of the process:
// a splicer keeps the buffers still in its pipe, and must outlive the
// Writers that gave them (the engine may close the stdout Writer and open
// another on a reload), or the garbage collector could hand their memory
// to new objects while the reader has yet to read it.
var splicers struct {
	mu sync.Mutex
	m  map[*os.File]*splicer
}

// Splice returns dst unchanged, unless dst is an *os.File on a pipe and
// EVENTGEN_VMSPLICE is not "0": then it enlarges the pipe (as NewWriter
// does) and returns a writer that hands the Writer's buffers to the pipe
// with vmsplice(2) instead of copying them with write(2). The kernel then
// copies each byte once, into the reader's read(2) buffer, instead of
// twice; for the modular input's XML stream into splunkd (~260 bytes per
// event) that copy was a quarter of eventgen's CPU.
//
// Without SPLICE_F_GIFT the pipe refers to the buffer's pages until the
// reader has read them, so the buffer must not be reused before: the
// writer keeps each buffer and returns it to the Writer (see keeper) once
// ioctl(FIONREAD) shows that the reader has consumed its bytes (bytes
// handed to the pipe minus bytes unread >= the buffer's end). It never
// waits for that: a Writer short of buffers allocates new ones. The
// buffers kept add up to at most twice what the pipe holds (growPipe:
// 1 MiB, so ~2 MiB, ~32 chunks) plus one, and the spliceBatch held back
// for the next vmsplice call: the splicer asks what is unread only when
// it holds more than that (see splicer.reclaimAt). It hands buffers over
// spliceBatch at a time, or fewer when the Writer is idle or flushes.
//
// Caveat, the reason this is only for the modular input's stdout (read by
// splunkd with read(2)): a reader that moves the pages on with splice(2)
// or tee(2) instead of reading them (pv, a program splicing to a socket
// or a file) consumes them without copying; the buffer is then reused
// while its pages may still be in the next pipe or the page cache, and
// what that reader's consumer sees can change. EVENTGEN_VMSPLICE=0 turns
// it off.
//
// Buffers smaller than 16 KiB are written with write(2). If vmsplice
// fails (EINVAL, ENOSYS, a pipe that is not one), the rest of the buffer
// and every later one are written with write(2); an error of write(2)
// (EPIPE once the reader has gone, with SIGPIPE as usual for stdout) is
// returned as from Write.
func Splice(dst io.Writer) io.Writer {
	f, ok := dst.(*os.File)
	if !ok || os.Getenv(SpliceEnv) == "0" {
		return dst
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return dst
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return dst
	}
	splicers.mu.Lock()
	defer splicers.mu.Unlock()
	if s := splicers.m[f]; s != nil {
		return s
	}
	growPipe(f)
	s := newSplicer(f, rc)
	rc.Control(func(fd uintptr) {
		if n, err := unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0); err == nil && n > 0 {
			s.reclaimAt = 2 * int64(n)
		}
		if fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0); err == nil && fl&unix.O_NONBLOCK != 0 {
			// a pipe in Go's poller (os.Pipe, a non-blocking stdout): do not
			// block a thread in vmsplice, which ignores O_NONBLOCK, but
			// answer EAGAIN and wait in the poller as Write does
			s.flags = unix.SPLICE_F_NONBLOCK
		}
	})
	if splicers.m == nil {
		splicers.m = make(map[*os.File]*splicer)
	}
	splicers.m[f] = s
	return s
}

func newSplicer(f *os.File, rc syscall.RawConn) *splicer {
	s := &splicer{f: f, rc: rc, reclaimAt: 2 * pipeBytes}
	s.spliceFn, s.unreadFn = s.splice, s.unread
	return s
}

// splicer is Splice's writer.
type splicer struct {
	f  *os.File
	rc syscall.RawConn

	mu    sync.Mutex
	off   bool   // vmsplice failed: write(2) from now on
	total int64  // bytes handed to the pipe, by vmsplice and write
	pend  []kept // buffers taken and not yet handed over, at most spliceBatch
	held  []kept // buffers whose bytes may still be in the pipe, in order
	// heldBytes is the length of the buffers in held; reclaim asks the
	// pipe what is unread only once it exceeds reclaimAt, twice the pipe's
	// size: FIONREAD takes the pipe's mutex, which the reader holds while
	// it copies (up to its whole read), and asking before every vmsplice
	// had the writer spinning on that mutex for 3% of eventgen's CPU. With
	// twice the pipe's size held, at least half of it has been read, so
	// each ioctl releases ~16 chunks.
	heldBytes, reclaimAt int64
	iovs                 [spliceBatch]unix.Iovec
	flags                int // vmsplice's: SPLICE_F_NONBLOCK for a non-blocking pipe

	// state of the rc callbacks, which are method values made once (a
	// closure per call would cost an allocation per chunk)
	spliceFn  func(fd uintptr) bool
	unreadFn  func(fd uintptr)
	pi, po    int   // splice: the buffer of pend and the offset in it to hand over next
	err       error // splice: the error that stopped it
	nUnread   int   // unread: bytes in the pipe
	unreadErr error
}

// spliceBatch is how many buffers the splicer hands over in one vmsplice
// call (256 KiB of 64 KiB chunks): a quarter of the calls, and of the
// reader's wake-ups and reads, of one call per chunk. Fewer are handed
// over whenever the Writer has nothing more queued (Idle), so a buffer
// never waits for the next.
const spliceBatch = 4

// kept is a buffer taken by WriteKeep: it may be reused once the reader
// has consumed the stream up to end (set when it is handed over).
type kept struct {
	end     int64
	b       *Batch
	release func(*Batch)
}

// Write writes p with write(2), after what the splicer holds back: a
// splicer used as a plain io.Writer copies (and so never keeps p).
func (s *splicer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim()
	if err := s.handOver(); err != nil {
		return 0, err
	}
	n, err := s.f.Write(p)
	s.total += int64(n)
	return n, err
}

// WriteKeep is keeper's: it takes b, hands b.Buf it to the pipe with
// vmsplice(2) together with the next ones (spliceBatch, or fewer at the
// next Idle or Flush), and keeps it until the reader has read it. An
// error is that of the buffers handed over in this call.
func (s *splicer) WriteKeep(b *Batch, release func(*Batch)) (int, error) {
	buf := b.Buf
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim()
	if s.off || len(buf) < spliceMin {
		if err := s.handOver(); err != nil {
			release(b)
			return 0, err
		}
		n, err := s.f.Write(buf)
		s.total += int64(n)
		release(b)
		return n, err
	}
	s.pend = append(s.pend, kept{b: b, release: release})
	if len(s.pend) < spliceBatch {
		return len(buf), nil
	}
	return len(buf), s.handOver()
}

// Idle hands over what the splicer holds back: the Writer calls it when
// nothing more is queued.
func (s *splicer) Idle() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handOver()
}

// Flush hands over what the splicer holds back (Writer.Flush, Close).
func (s *splicer) Flush() error { return s.Idle() }

// handOver hands the pending buffers to the pipe in one vmsplice call (or
// more, when the pipe takes part of them), and moves them to held. If
// vmsplice fails (EINVAL, ENOSYS, EPIPE, a pipe that cannot be waited
// for), it writes what is left with write(2), which reports EPIPE (and
// raises SIGPIPE for stdout) as without Splice, and the splicer writes
// every later buffer so. It returns write(2)'s error.
func (s *splicer) handOver() error {
	if len(s.pend) == 0 {
		return nil
	}
	s.pi, s.po, s.err = 0, 0, nil
	if !s.off {
		err := s.rc.Write(s.spliceFn)
		if err == nil {
			err = s.err
		}
		if err != nil {
			s.off = true
		}
	}
	var werr error
	for i := range s.pend {
		p := &s.pend[i]
		k := 0 // bytes of p handed over by vmsplice
		switch {
		case i < s.pi:
			k = len(p.b.Buf)
		case i == s.pi:
			k = s.po
		}
		s.total += int64(k)
		if k < len(p.b.Buf) && werr == nil {
			m, err := s.f.Write(p.b.Buf[k:])
			s.total += int64(m)
			werr = err
		}
		if k > 0 {
			// some of p's pages are in the pipe
			p.end = s.total
			s.held = append(s.held, *p)
			s.heldBytes += int64(len(p.b.Buf))
		} else {
			p.release(p.b)
		}
		*p = kept{}
	}
	s.pend = s.pend[:0]
	return werr
}

// splice is the rc.Write callback: vmsplice until the pending buffers
// from s.pend[s.pi][s.po:] on are handed over. It returns false (wait
// until the pipe has room) on EAGAIN, which only a non-blocking pipe
// returns.
func (s *splicer) splice(fd uintptr) bool {
	defer clear(s.iovs[:]) // no pointers left behind for the GC to see
	for s.pi < len(s.pend) {
		iv := s.iovs[:len(s.pend)-s.pi]
		for i := range iv {
			b := s.pend[s.pi+i].b.Buf
			if i == 0 {
				b = b[s.po:]
			}
			iv[i].Base = &b[0]
			iv[i].SetLen(len(b))
		}
		n, err := unix.Vmsplice(int(fd), iv, s.flags)
		if n == 0 && err == nil {
			s.err = io.ErrShortWrite // cannot happen: the loop would spin
			return true
		}
		for n > 0 { // advance
			rest := len(s.pend[s.pi].b.Buf) - s.po
			if n < rest {
				s.po += n
				break
			}
			n -= rest
			s.pi, s.po = s.pi+1, 0
		}
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return false
		case err != nil:
			s.err = err
			return true
		}
	}
	return true
}

// unread is the rc.Control callback of reclaim.
func (s *splicer) unread(fd uintptr) {
	s.nUnread, s.unreadErr = unix.IoctlGetInt(int(fd), unix.TIOCINQ) // FIONREAD
}

// reclaim releases the kept buffers the reader has consumed, once they
// add up to more than reclaimAt.
func (s *splicer) reclaim() {
	if len(s.held) == 0 || s.heldBytes <= s.reclaimAt {
		return
	}
	err := s.rc.Control(s.unreadFn)
	if err == nil {
		err = s.unreadErr
	}
	if err != nil {
		// cannot tell what was read: keep what is held for good (at most
		// a pipe's worth) and splice no more
		s.off = true
		return
	}
	consumed := s.total - int64(s.nUnread)
	i := 0
	for ; i < len(s.held) && s.held[i].end <= consumed; i++ {
		s.heldBytes -= int64(len(s.held[i].b.Buf)) // before the release: b is then the Writer's
		s.held[i].release(s.held[i].b)
	}
	if i > 0 {
		n := copy(s.held, s.held[i:])
		clear(s.held[n:])
		s.held = s.held[:n]
	}
}

var _ keeper = (*splicer)(nil)
