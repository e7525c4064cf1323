//go:build linux && !cloud

package delivery

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// The UDP socket outside the poller sends, honours the write deadline
// (Shutdown, Abort), and fails cleanly once closed; the Stream's tests
// above send every datagram through it.
func TestBlockingUDP(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
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
