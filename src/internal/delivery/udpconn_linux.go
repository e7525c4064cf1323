//go:build linux && !cloud

package delivery

// Why a UDP socket of our own: a socket the runtime's poller watches
// (every net.Conn) is in an epoll set for EPOLLOUT, and the kernel calls
// the epoll callback each time one of its datagrams is freed, which wakes
// a thread waiting in epoll_wait: at one datagram every few microseconds
// that costs about a quarter of the sender's time on loopback (measured:
// sendmmsg on a net.UDPConn 0.16 M/s, on a socket outside the poller
// 0.21 M/s, with another goroutine keeping the scheduler busy). A UDP
// send blocks only while the socket buffer is full, briefly, so the
// socket is left blocking, with a send timeout that lets a deadline
// (Shutdown, Abort) end a blocked send.

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// udpSendTimeout is how often a send blocked on a full socket buffer
// wakes to check the write deadline.
const udpSendTimeout = 50 * time.Millisecond

// blockingUDP is a connected, blocking UDP socket outside the runtime's
// poller, a net.Conn for what a Stream does with one (Write, Close,
// SetWriteDeadline, the addresses). The *os.File keeps the descriptor
// alive while a send uses it, so Close from another goroutine is safe.
type blockingUDP struct {
	f            *os.File
	rc           syscall.RawConn
	laddr, raddr net.Addr
	deadline     atomic.Int64 // the write deadline, UnixNano; 0: none
}

// udpConn replaces the dialed UDP connection c (its name resolved) by a
// blockingUDP socket connected to the same address, or returns c when
// that fails (c then works as before, one poller wakeup per datagram).
func udpConn(c net.Conn) net.Conn {
	ra, ok := c.RemoteAddr().(*net.UDPAddr)
	if !ok {
		return c
	}
	var sa unix.Sockaddr
	family := unix.AF_INET
	if ip4 := ra.IP.To4(); ip4 != nil {
		s := &unix.SockaddrInet4{Port: ra.Port}
		copy(s.Addr[:], ip4)
		sa = s
	} else if ip6 := ra.IP.To16(); ip6 != nil {
		s := &unix.SockaddrInet6{Port: ra.Port}
		copy(s.Addr[:], ip6)
		if ra.Zone != "" {
			ifi, err := net.InterfaceByName(ra.Zone)
			if err != nil {
				return c
			}
			s.ZoneId = uint32(ifi.Index)
		}
		sa, family = s, unix.AF_INET6
	} else {
		return c
	}
	fd, err := unix.Socket(family, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.IPPROTO_UDP)
	if err != nil {
		return c
	}
	tv := unix.NsecToTimeval(int64(udpSendTimeout))
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_BROADCAST, 1) != nil || // as the net package's UDP sockets
		unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv) != nil ||
		unix.Connect(fd, sa) != nil {
		unix.Close(fd)
		return c
	}
	local := c.LocalAddr()
	if lsa, err := unix.Getsockname(fd); err == nil {
		switch a := lsa.(type) {
		case *unix.SockaddrInet4:
			local = &net.UDPAddr{IP: net.IP(a.Addr[:]).To16(), Port: a.Port}
		case *unix.SockaddrInet6:
			local = &net.UDPAddr{IP: net.IP(a.Addr[:]), Port: a.Port, Zone: ra.Zone}
		}
	}
	f := os.NewFile(uintptr(fd), "udp "+ra.String()) // blocking: the file stays out of the poller
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return c
	}
	c.Close()
	return &blockingUDP{f: f, rc: rc, laddr: local, raddr: ra}
}

// send runs a send system call (write, sendmmsg: name) until it is done: again
// after EINTR, and after EAGAIN (the send timeout of a full buffer) until
// the write deadline. It returns the call's result and errno, or a
// timeout error once the deadline has passed, as the net package does.
func (c *blockingUDP) send(name string, call func(fd uintptr) (uintptr, syscall.Errno)) (int, error) {
	var r uintptr
	var errno syscall.Errno
	timedOut := false
	err := c.rc.Write(func(fd uintptr) bool {
		for {
			if dl := c.deadline.Load(); dl != 0 && time.Now().UnixNano() >= dl {
				timedOut = true
				return true
			}
			r, errno = call(fd)
			if errno != unix.EINTR && errno != unix.EAGAIN {
				return true
			}
		}
	})
	switch {
	case err != nil:
	case timedOut:
		err = os.ErrDeadlineExceeded
	case errno != 0:
		err = os.NewSyscallError(name, errno)
	default:
		return int(r), nil
	}
	return 0, &net.OpError{Op: "write", Net: "udp", Source: c.laddr, Addr: c.raddr, Err: err}
}

func (c *blockingUDP) Write(p []byte) (int, error) {
	var ptr *byte
	if len(p) > 0 {
		ptr = &p[0]
	}
	return c.send("write", func(fd uintptr) (uintptr, syscall.Errno) {
		r, _, e := unix.Syscall(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(ptr)), uintptr(len(p)))
		return r, e
	})
}

// Read is not used: a Stream reads nothing from a UDP socket.
func (c *blockingUDP) Read([]byte) (int, error) {
	return 0, &net.OpError{Op: "read", Net: "udp", Source: c.laddr, Addr: c.raddr, Err: errors.ErrUnsupported}
}

func (c *blockingUDP) Close() error         { return c.f.Close() }
func (c *blockingUDP) LocalAddr() net.Addr  { return c.laddr }
func (c *blockingUDP) RemoteAddr() net.Addr { return c.raddr }

func (c *blockingUDP) SetDeadline(t time.Time) error { return c.SetWriteDeadline(t) }

func (c *blockingUDP) SetReadDeadline(time.Time) error { return nil }

func (c *blockingUDP) SetWriteDeadline(t time.Time) error {
	var dl int64
	if !t.IsZero() {
		dl = max(t.UnixNano(), 1)
	}
	c.deadline.Store(dl)
	return nil
}
