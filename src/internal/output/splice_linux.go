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
// 1 MiB, so ~2 MiB, ~32 chunks) plus one: the splicer asks what is
// unread only when it holds more than that (see splicer.reclaimAt).
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
	held  []kept // buffers whose bytes may still be in the pipe, in order
	// heldBytes is the length of the buffers in held; reclaim asks the
	// pipe what is unread only once it exceeds reclaimAt, twice the pipe's
	// size: FIONREAD takes the pipe's mutex, which the reader holds while
	// it copies (up to its whole read), and asking before every vmsplice
	// had the writer spinning on that mutex for 3% of eventgen's CPU. With
	// twice the pipe's size held, at least half of it has been read, so
	// each ioctl releases ~16 chunks.
	heldBytes, reclaimAt int64
	iov                  [1]unix.Iovec

	// state of the rc callbacks, which are method values made once (a
	// closure per call would cost an allocation per chunk)
	spliceFn  func(fd uintptr) bool
	unreadFn  func(fd uintptr)
	rest      []byte // splice: what is left to hand over
	n         int    // splice: bytes handed over
	err       error  // splice: the error that stopped it
	nUnread   int    // unread: bytes in the pipe
	unreadErr error
}

// kept is a buffer in the pipe: it may be reused once the reader has
// consumed the stream up to end.
type kept struct {
	end     int64
	buf     []byte
	release func([]byte)
}

// Write writes p with write(2): a splicer used as a plain io.Writer
// copies (and so never keeps p).
func (s *splicer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim()
	n, err := s.f.Write(p)
	s.total += int64(n)
	return n, err
}

// WriteKeep is keeper's: it hands buf to the pipe with vmsplice(2) and
// keeps it until the reader has read it.
func (s *splicer) WriteKeep(buf []byte, release func([]byte)) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reclaim()
	if s.off || len(buf) < spliceMin {
		n, err := s.f.Write(buf)
		s.total += int64(n)
		release(buf)
		return n, err
	}
	s.rest, s.n, s.err = buf, 0, nil
	err := s.rc.Write(s.spliceFn)
	n, rest := s.n, s.rest
	spliced := n > 0
	s.rest = nil
	s.total += int64(n)
	if err == nil {
		err = s.err
	}
	if err != nil {
		// EINVAL, ENOSYS, EPIPE, a pipe that cannot be waited for: write(2)
		// the rest (it reports EPIPE, and raises SIGPIPE for stdout, as
		// without Splice) and every later buffer
		s.off = true
		m, werr := s.f.Write(rest)
		s.total += int64(m)
		n += m
		err = werr
	}
	if spliced {
		// some of buf's pages are in the pipe
		s.held = append(s.held, kept{end: s.total, buf: buf, release: release})
		s.heldBytes += int64(len(buf))
	} else {
		release(buf)
	}
	return n, err
}

// splice is the rc.Write callback: vmsplice until s.rest is handed over.
// It returns false (wait until the pipe has room) on EAGAIN, which only a
// non-blocking pipe returns.
func (s *splicer) splice(fd uintptr) bool {
	for len(s.rest) > 0 {
		s.iov[0].Base = &s.rest[0]
		s.iov[0].SetLen(len(s.rest))
		n, err := unix.Vmsplice(int(fd), s.iov[:], 0)
		s.iov[0].Base = nil
		if n > 0 {
			s.rest = s.rest[n:]
			s.n += n
		}
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return false
		case err != nil:
			s.err = err
			return true
		case n == 0:
			s.err = io.ErrShortWrite
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
		s.held[i].release(s.held[i].buf)
		s.heldBytes -= int64(len(s.held[i].buf))
	}
	if i > 0 {
		n := copy(s.held, s.held[i:])
		clear(s.held[n:])
		s.held = s.held[:n]
	}
}

var _ keeper = (*splicer)(nil)
