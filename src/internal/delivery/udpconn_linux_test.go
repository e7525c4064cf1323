//go:build linux && !cloud

package delivery

import (
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// dialBlockingUDP starts a UDP receiver on host (skipping the test where
// host is not a loopback address here) and returns it with a blockingUDP
// socket connected to it.
func dialBlockingUDP(t *testing.T, host string) (*streamtest.UDP, *blockingUDP) {
	t.Helper()
	udpLoopback(t, host)
	u := streamtest.NewUDP(t, net.JoinHostPort(host, "0"))
	dc, err := net.Dial("udp", u.Addr)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := udpConn(dc).(*blockingUDP)
	if !ok {
		t.Fatal("udpConn kept the net package's socket")
	}
	return u, c
}

// The UDP socket outside the poller sends, honours the write deadline
// (Shutdown, Abort), and fails cleanly once closed; the Stream's tests
// above send every datagram through it.
func TestBlockingUDP(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			u, c := dialBlockingUDP(t, host)
			if c.RemoteAddr().String() != u.Addr || c.LocalAddr().(*net.UDPAddr).Port == 0 {
				t.Errorf("addresses %v -> %v", c.LocalAddr(), c.RemoteAddr())
			}
			if _, err := c.Write([]byte("one\n")); err != nil {
				t.Fatal(err)
			}
			if got := u.Wait(1, 5*time.Second); len(got) != 1 || string(got[0]) != "one\n" {
				t.Fatalf("received %q", got)
			}
			c.SetWriteDeadline(time.Now().Add(-time.Second))
			if _, err := c.Write([]byte("late\n")); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("Write after the deadline: %v", err)
			}
			c.SetWriteDeadline(time.Time{})
			if _, err := c.Write([]byte("two\n")); err != nil {
				t.Errorf("Write without a deadline: %v", err)
			}
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Write([]byte("closed\n")); err == nil {
				t.Error("Write after Close: no error")
			}
			if got := u.Wait(2, 5*time.Second); len(got) != 2 || string(got[1]) != "two\n" {
				t.Errorf("received %q", got)
			}
		})
	}
}

// A send that finds the socket buffer full (EAGAIN after SO_SNDTIMEO) or is
// interrupted (EINTR) is made again until it goes through; once the write
// deadline has passed it gives up with the net package's timeout error, and
// any other errno is returned as the call's error. Loopback never fills a
// UDP send buffer, so the call is scripted here.
func TestBlockingUDPSendRetries(t *testing.T) {
	u, c := dialBlockingUDP(t, "127.0.0.1")
	defer c.Close()

	script := func(errs ...syscall.Errno) (func(uintptr) (uintptr, syscall.Errno), *int) {
		calls := 0
		return func(uintptr) (uintptr, syscall.Errno) {
			calls++
			if calls <= len(errs) {
				return 0, errs[calls-1]
			}
			return 7, 0
		}, &calls
	}

	call, calls := script(syscall.EAGAIN, syscall.EINTR, syscall.EAGAIN)
	if n, err := c.send("sendmmsg", call); n != 7 || err != nil || *calls != 4 {
		t.Errorf("after EAGAIN, EINTR, EAGAIN: n=%d err=%v calls=%d, want 7, nil, 4", n, err, *calls)
	}

	// Full until the deadline: the timeout, as a net.OpError naming the peer.
	c.SetWriteDeadline(time.Now().Add(30 * time.Millisecond))
	full := func(uintptr) (uintptr, syscall.Errno) { time.Sleep(5 * time.Millisecond); return 0, syscall.EAGAIN }
	start := time.Now()
	_, err := c.send("sendmmsg", full)
	var op *net.OpError
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &op) || op.Addr.String() != u.Addr {
		t.Errorf("full past the deadline: %v, want a timeout naming %s", err, u.Addr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
	c.SetWriteDeadline(time.Time{})

	// Another errno: returned at once, named after the call.
	call, calls = script(syscall.ECONNREFUSED)
	_, err = c.send("sendmmsg", call)
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "sendmmsg") || *calls != 1 {
		t.Errorf("ECONNREFUSED: %v after %d calls, want it at once, named sendmmsg", err, *calls)
	}
}
