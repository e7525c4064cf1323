//go:build !cloud

package syslogout

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Test helpers: receivers and samples (as delivery's stream tests have).

// stLog collects log output, safely for concurrent use.
type stLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *stLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// count returns how many log lines contain s.
func (l *stLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

func (l *stLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func stLogger() (*slog.Logger, *stLog) {
	lb := &stLog{}
	return slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})), lb
}

func stSample(mode string, kv ...string) *config.Sample {
	s := &config.Sample{Stanza: "stream.test", OutputMode: mode, Values: map[string]conf.Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Values[kv[i]] = conf.Value{Text: kv[i+1], File: "eventgen.conf", Line: i/2 + 1}
	}
	return s
}

// stOpen opens a syslogout sample with short back-offs.
func stOpen(t testing.TB, s *config.Sample, log *slog.Logger) (*outputs.Output, *delivery.Stream) {
	t.Helper()
	if log == nil {
		log, _ = stLogger()
	}
	o, err := Open(s, outputs.Env{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	d := o.Dst.(*delivery.Stream)
	d.Backoff = delivery.Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	d.DialTimeout = time.Second
	t.Cleanup(func() { d.Abort(); d.Close() })
	return o, d
}

// stHostPort splits an address for the host/port settings.
func stHostPort(addr string) (string, string) {
	h, p, _ := net.SplitHostPort(addr)
	return h, p
}

// stEvents returns n events "WINDBAG Event i of n" (i from 1), from t.
func stEvents(n int, t time.Time) []output.Event {
	evs := make([]output.Event, n)
	for i := range evs {
		evs[i] = output.Event{Time: t.Add(time.Duration(i) * time.Second), Raw: fmt.Appendf(nil, "WINDBAG Event %d of %d", i+1, n), Host: "host" + strconv.Itoa(i%2+1)}
	}
	return evs
}

// stChunks encodes evs into chunks of at most per events (and 64 KiB), as
// the engine does.
func stChunks(enc output.Encoder, evs []output.Event, per int) [][]byte {
	var chunks [][]byte
	var c []byte
	k := 0
	for i := range evs {
		c = enc.Append(c, &evs[i])
		k++
		if k == per || len(c) >= output.BufferSize {
			chunks = append(chunks, c)
			c, k = nil, 0
		}
	}
	if len(c) > 0 {
		chunks = append(chunks, c)
	}
	return chunks
}

// stWrite writes evs to o.Dst directly, in chunks of per events.
func stWrite(t testing.TB, o *outputs.Output, evs []output.Event, per int) {
	t.Helper()
	for _, c := range stChunks(o.Enc, evs, per) {
		if n, err := o.Dst.Write(c); err != nil || n != len(c) {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
}

// stTCP is a TCP receiver that records every byte it reads.
type stTCP struct {
	t     testing.TB
	addr  string
	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
	data  []byte
	gate  chan struct{} // when not nil, readers wait for it to be closed
	accep atomic.Int64
}

func newSTTCP(t testing.TB, addr string) *stTCP {
	s := &stTCP{t: t, addr: addr}
	s.listen()
	t.Cleanup(s.close)
	return s
}

func (s *stTCP) listen() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may be in TIME_WAIT use for a moment
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	gate := s.gate
	s.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.accep.Add(1)
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
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

// close closes the listener and every connection.
func (s *stTCP) close() {
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

func (s *stTCP) bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.data)
}

// waitBytes waits until the receiver has read at least n bytes.
func (s *stTCP) waitBytes(n int, timeout time.Duration) []byte {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b := s.bytes()
		if len(b) >= n || time.Now().After(deadline) {
			return b
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stLines returns the expected lines of evs.
func stLines(evs []output.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.Write(e.Raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// stUDP is a UDP receiver keeping every datagram.
type stUDP struct {
	pc   net.PacketConn
	mu   sync.Mutex
	dgs  [][]byte
	addr string
}

func newSTUDP(t testing.TB, addr string) *stUDP {
	t.Helper()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	pc.(*net.UDPConn).SetReadBuffer(4 << 20)
	u := &stUDP{pc: pc, addr: pc.LocalAddr().String()}
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

func (u *stUDP) wait(n int, timeout time.Duration) [][]byte {
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

// stFreePort returns a loopback address where nothing listens (TCP or UDP).
func stFreePort(t testing.TB) string {
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
