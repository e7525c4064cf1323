//go:build linux && !cloud

package delivery

import (
	"net"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is the kernel's struct mmsghdr (x/sys/unix has none): a
// msghdr and the bytes sent, padded to the msghdr's alignment as C does.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// mmsgState holds the headers of one sendmmsg call, reused from call to
// call, and the raw handle of a net.Conn's socket (udpConn's fallback).
type mmsgState struct {
	c    net.Conn
	rc   syscall.RawConn
	hdrs []mmsghdr
	iovs []unix.Iovec
}

// lineFeed is the "\n" after a truncated line, its own iovec.
var lineFeed = [1]byte{'\n'}

// send sends the datagrams with one sendmmsg(2), which waits while the
// socket buffer is full (on a blockingUDP socket: blocked, until the
// write deadline; on a net.Conn's: in the runtime poller). It returns how many were sent, and the first datagram's error when it is
// the one that failed. When a later one failed the kernel drops its error
// and send returns a short count with no error (see datagram.go).
func (d *Stream) send(l *streamLink, dgs []dgram) (int, error) {
	m := &d.udp.mm
	b, own := l.c.(*blockingUDP)
	if !own && m.c != l.c {
		sc, ok := l.c.(syscall.Conn)
		if !ok {
			return d.sendEach(l, dgs)
		}
		rc, err := sc.SyscallConn()
		if err != nil {
			return d.sendEach(l, dgs)
		}
		m.c, m.rc = l.c, rc
	}
	hdrs := m.headers(dgs)
	defer clear(m.iovs[:cap(m.iovs)]) // keep no pointer into the chunk
	call := func(fd uintptr) (uintptr, syscall.Errno) {
		r, _, e := unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&hdrs[0])), uintptr(len(hdrs)), 0, 0, 0)
		return r, e
	}
	if own {
		sent, err := b.send("sendmmsg", call)
		if err == nil && sent <= 0 { // no datagram and no error: never seen
			err = &net.OpError{Op: "write", Net: "udp", Source: b.laddr, Addr: b.raddr, Err: os.NewSyscallError("sendmmsg", syscall.EIO)}
		}
		if err != nil {
			return 0, err
		}
		return min(sent, len(dgs)), nil
	}
	var sent int
	var errno syscall.Errno
	err := m.rc.Write(func(fd uintptr) bool {
		for {
			r, e := call(fd)
			if e == unix.EINTR {
				continue
			}
			if e == unix.EAGAIN {
				return false // the socket buffer is full: wait until writable
			}
			sent, errno = int(r), e
			return true
		}
	})
	if err == nil && errno != 0 {
		err = os.NewSyscallError("sendmmsg", errno)
	}
	if err != nil || sent <= 0 {
		if err == nil {
			err = os.NewSyscallError("sendmmsg", syscall.EIO) // no datagram and no error: never seen
		}
		return 0, &net.OpError{Op: "write", Net: l.c.RemoteAddr().Network(), Source: l.c.LocalAddr(), Addr: l.c.RemoteAddr(), Err: err}
	}
	return min(sent, len(dgs)), nil
}

// headers fills the sendmmsg headers of dgs: an iovec for each head, and
// one for the line feed of a truncated line.
func (m *mmsgState) headers(dgs []dgram) []mmsghdr {
	if cap(m.hdrs) < len(dgs) {
		m.hdrs = make([]mmsghdr, len(dgs))
	}
	if cap(m.iovs) < 2*len(dgs) {
		m.iovs = make([]unix.Iovec, 0, 2*len(dgs)) // never grown below: the headers point into it
	}
	hdrs, iovs := m.hdrs[:len(dgs)], m.iovs[:0]
	for j, g := range dgs {
		h := &hdrs[j]
		*h = mmsghdr{}
		first := len(iovs)
		if len(g.head) > 0 {
			iovs = append(iovs, unix.Iovec{Base: &g.head[0]})
			iovs[len(iovs)-1].SetLen(len(g.head))
		}
		if g.nl {
			iovs = append(iovs, unix.Iovec{Base: &lineFeed[0]})
			iovs[len(iovs)-1].SetLen(1)
		}
		if k := len(iovs) - first; k > 0 { // none: an empty datagram, as write(2) of nothing sends
			h.hdr.Iov = &iovs[first]
			h.hdr.SetIovlen(k)
		}
	}
	return hdrs
}
