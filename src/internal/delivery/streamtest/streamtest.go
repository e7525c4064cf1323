// Package streamtest holds the receivers and helpers the tests of the
// outputs share: TCP and UDP receivers and a HEC receiver with a known
// latency on loopback, events and batches encoded as the engine encodes
// them, samples with settings, and a log the tests read messages from.
// Tests only import it.
package streamtest

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// HostPort splits a host:port address.
func HostPort(addr string) (string, string) {
	h, p, _ := net.SplitHostPort(addr)
	return h, p
}

// Events returns n events "WINDBAG Event i of n" (i from 1), from t.
func Events(n int, t time.Time) []output.Event {
	evs := make([]output.Event, n)
	for i := range evs {
		evs[i] = output.Event{Time: t.Add(time.Duration(i) * time.Second), Raw: fmt.Appendf(nil, "WINDBAG Event %d of %d", i+1, n), Host: "host" + strconv.Itoa(i%2+1)}
	}
	return evs
}

// Chunks encodes evs into batches of at most per events (and 64 KiB),
// with their spans, as the engine does.
func Chunks(enc output.Encoder, evs []output.Event, per int) []*output.Batch {
	var chunks []*output.Batch
	c := new(output.Batch)
	for i := range evs {
		c.Add(enc, &evs[i])
		if c.Len() == per || len(c.Buf) >= output.BufferSize {
			chunks = append(chunks, c)
			c = new(output.Batch)
		}
	}
	if c.Len() > 0 {
		chunks = append(chunks, c)
	}
	return chunks
}

// Write writes evs to o.Dst directly (an output.BatchWriter), in
// batches of per events.
func Write(t testing.TB, o *outputs.Output, evs []output.Event, per int) {
	t.Helper()
	for _, c := range Chunks(o.Enc, evs, per) {
		if err := o.Dst.(output.BatchWriter).WriteBatch(c); err != nil {
			t.Fatalf("WriteBatch: %v", err)
		}
	}
}

// Submit hands evs to w in batches of per events, with their spans, as
// the engine does; per <= 0: batches filled to about output.BufferSize,
// as the engine's chunks are.
func Submit(w *output.Writer, enc output.Encoder, evs []output.Event, per int) error {
	if per <= 0 {
		b := w.Buffer()
		for i := range evs {
			if len(b.Buf) >= output.BufferSize {
				if err := w.Submit(b); err != nil {
					return err
				}
				b = w.Buffer()
			}
			b.Add(enc, &evs[i])
		}
		return w.Submit(b)
	}
	for _, c := range Chunks(enc, evs, per) {
		b := w.Buffer()
		b.Buf = append(b.Buf, c.Buf...)
		b.Ends = append(b.Ends, c.Ends...)
		b.Keys = append(b.Keys, c.Keys...)
		if err := w.Submit(b); err != nil {
			return err
		}
	}
	return nil
}

// TCP is a TCP receiver that records every byte it reads.
type TCP struct {
	T        testing.TB
	Addr     string        // where it listens (127.0.0.1:0 before Listen: a free port)
	Gate     chan struct{} // when not nil, readers wait for it to be closed (on a 64 KiB receive buffer)
	Accepted atomic.Int64  // connections accepted
	mu       sync.Mutex
	ln       net.Listener
	conns    []net.Conn
	data     []byte
}

// NewTCP listens on addr (host:0 for a free port) until the test ends.
func NewTCP(t testing.TB, addr string) *TCP {
	s := &TCP{T: t, Addr: addr}
	s.Listen()
	t.Cleanup(s.Close)
	return s
}

// Listen (again, after Close) on Addr.
func (s *TCP) Listen() {
	s.T.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may be in TIME_WAIT use for a moment
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.T.Fatal(err)
	}
	s.mu.Lock()
	s.ln, s.Addr = ln, ln.Addr().String()
	gate := s.Gate
	s.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.Accepted.Add(1)
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			if tc, ok := c.(*net.TCPConn); ok && gate != nil {
				// A receiver that stopped reading, with a fixed buffer: the
				// kernel's autotuning would otherwise keep taking data for
				// a while (megabytes on loopback), so that whether a sender
				// is blocked yet would depend on timing.
				tc.SetReadBuffer(64 << 10)
			}
			go func() {
				if gate != nil {
					<-gate
				}
				b := make([]byte, 32<<10)
				for {
					n, err := c.Read(b)
					s.mu.Lock()
					s.data = append(s.data, b[:n]...)
					s.mu.Unlock()
					if err != nil {
						c.Close()
						return
					}
				}
			}()
		}
	}()
}

// Close closes the listener and every connection.
func (s *TCP) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
	}
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
}

// Bytes returns everything read so far.
func (s *TCP) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.data)
}

// WaitBytes waits until the receiver has read at least n bytes.
func (s *TCP) WaitBytes(n int, timeout time.Duration) []byte {
	s.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b := s.Bytes()
		if len(b) >= n || time.Now().After(deadline) {
			return b
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Lines returns the expected lines of evs.
func Lines(evs []output.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.Write(e.Raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// UDP is a UDP receiver keeping every datagram.
type UDP struct {
	Addr string
	pc   net.PacketConn
	mu   sync.Mutex
	dgs  [][]byte
}

// NewUDP listens on addr until the test ends.
func NewUDP(t testing.TB, addr string) *UDP {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	pc.(*net.UDPConn).SetReadBuffer(4 << 20)
	u := &UDP{pc: pc, Addr: pc.LocalAddr().String()}
	t.Cleanup(func() { pc.Close() })
	go func() {
		b := make([]byte, 70000)
		for {
			n, _, err := pc.ReadFrom(b)
			if err != nil {
				return
			}
			u.mu.Lock()
			u.dgs = append(u.dgs, bytes.Clone(b[:n]))
			u.mu.Unlock()
		}
	}()
	return u
}

// Wait waits until n datagrams arrived (or timeout) and returns them.
func (u *UDP) Wait(n int, timeout time.Duration) [][]byte {
	deadline := time.Now().Add(timeout)
	for {
		u.mu.Lock()
		got := append([][]byte(nil), u.dgs...)
		u.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// FreePort returns a loopback address where nothing listens (TCP or UDP).
func FreePort(t testing.TB) string {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		pc, err := net.ListenPacket("udp", addr)
		ln.Close()
		if err == nil {
			pc.Close()
			return addr
		}
	}
	t.Fatal("no free port")
	return ""
}
