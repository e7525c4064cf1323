//go:build !cloud

package delivery

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// stLog is the log the tests read messages from.
type stLog = streamtest.Log

func stLogger() (*slog.Logger, *stLog) { return streamtest.NewLog(slog.LevelDebug) }

// stSample returns a sample of the given output mode with settings.
func stSample(mode string, kv ...string) *config.Sample {
	return streamtest.Sample("stream.test", mode, kv...)
}

// stOpen opens a stream destination for a tcpout, udpout or (UDP)
// syslogout sample, as those outputs do, with short back-offs.
func stOpen(t testing.TB, s *config.Sample, log *slog.Logger) (*outputs.Output, *Stream) {
	t.Helper()
	if log == nil {
		log, _ = stLogger()
	}
	prefix := strings.TrimSuffix(s.OutputMode, "out")
	network, wire := prefix, WireLine
	if s.OutputMode == "syslogout" { // syslogout's default: UDP, one datagram per message
		network, wire = "udp", WireDatagram
	}
	addr, err := outputs.Addr(s, prefix+"DestinationHost", prefix+"DestinationPort")
	if err != nil {
		t.Fatal(err)
	}
	d := NewStream(s.OutputMode+" "+network+"://"+addr, network, addr, wire, log)
	d.Backoff = Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	d.DialTimeout = time.Second
	t.Cleanup(func() { d.Abort(); d.Close() })
	return &outputs.Output{Enc: LineEncoder{}, Dst: d, Key: s.OutputMode + ":" + addr}, d
}

// stHostPort splits an address for the host/port settings.

func TestStreamTCPOutLines(t *testing.T) {
	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
	if o.Key != "tcpout:"+srv.Addr {
		t.Errorf("Key = %q", o.Key)
	}
	evs := streamtest.Events(5, time.Now())
	evs[1].Raw = []byte("trailing blanks \t \r\n")
	evs[2].Raw = []byte("first line\nsecond line")
	streamtest.Write(t, o, evs, 2)
	want := "WINDBAG Event 1 of 5\ntrailing blanks\nfirst line\nsecond line\nWINDBAG Event 4 of 5\nWINDBAG Event 5 of 5\n"
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Errorf("received %q\nwant     %q", got, want)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	// A round trip per write, each timed.
	if st := d.Stats(); st.Events != 5 || st.Requests != 3 || st.Bytes != int64(len(want)) || st.Failures != 0 || st.Dropped != 0 ||
		st.RoundTrips != 3 || st.RoundTripTime <= 0 || st.InFlight != 0 || st.Latency(Stats{}) <= 0 {
		t.Errorf("stats %+v", st)
	}
	if n := srv.Accepted.Load(); n != 1 {
		t.Errorf("%d connections, want one persistent connection", n)
	}
}

func TestStreamUDPOutDatagrams(t *testing.T) {
	u := streamtest.NewUDP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(u.Addr)
	o, d := stOpen(t, stSample("udpout", "udpDestinationHost", h, "udpDestinationPort", p), nil)
	evs := streamtest.Events(5, time.Now())
	evs[4].Raw = []byte("two\nlines  ")
	streamtest.Write(t, o, evs, 10)
	got := u.Wait(5, 5*time.Second)
	want := []string{"WINDBAG Event 1 of 5\n", "WINDBAG Event 2 of 5\n", "WINDBAG Event 3 of 5\n", "WINDBAG Event 4 of 5\n", "two\nlines\n"}
	if len(got) != len(want) {
		t.Fatalf("%d datagrams, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("datagram %d = %q, want %q", i, got[i], want[i])
		}
	}
	// One round trip per write: one sendmmsg on Linux, a write per datagram elsewhere.
	writes := int64(5)
	if runtime.GOOS == "linux" {
		writes = 1
	}
	if st := d.Stats(); st.Events != 5 || st.Requests != 5 || st.RoundTrips != writes || st.RoundTripTime <= 0 || st.InFlight != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestStreamUDPTruncates(t *testing.T) {
	u := streamtest.NewUDP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(u.Addr)
	log, lb := stLogger()
	o, d := stOpen(t, stSample("udpout", "udpDestinationHost", h, "udpDestinationPort", p), log)
	big := bytes.Repeat([]byte("x"), 70000)
	evs := []output.Event{{Raw: big}, {Raw: []byte("small")}, {Raw: big}}
	streamtest.Write(t, o, evs, 1)
	got := u.Wait(3, 5*time.Second)
	if len(got) != 3 || len(got[0]) != maxDatagramTest || got[0][len(got[0])-1] != '\n' || string(got[1]) != "small\n" || len(got[2]) != maxDatagramTest {
		t.Fatalf("datagrams: %d, lengths %v", len(got), lens(got))
	}
	if d.Truncated() != 2 || lb.Count("truncated") != 1 {
		t.Errorf("truncated %d, log:\n%s", d.Truncated(), lb)
	}
	d.Close()
	if lb.Count("events truncated to fit a UDP datagram") != 1 || !strings.Contains(lb.String(), "events=2") {
		t.Errorf("log:\n%s", lb)
	}

	// A cut never splits a UTF-8 sequence.
	d.maxDatagram = 7
	d.udp.buf = nil
	if dg := d.datagram([]byte("abcdeé€")); string(dg) != "abcde\n" {
		t.Errorf("cut = %q", dg)
	}
}

const maxDatagramTest = 65507

func lens(b [][]byte) []int {
	l := make([]int, len(b))
	for i := range b {
		l[i] = len(b[i])
	}
	return l
}

// A receiver that goes away and comes back on the same port gets every
// event: the dead connection is noticed and replaced, the chunk that
// could not be written is sent again.
func TestStreamTCPReconnect(t *testing.T) {
	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	log, lb := stLogger()
	o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), log)
	evs := streamtest.Events(40, time.Now())
	want := streamtest.Lines(evs)
	streamtest.Write(t, o, evs[:10], 3)
	if got := srv.WaitBytes(len(streamtest.Lines(evs[:10])), 5*time.Second); string(got) != streamtest.Lines(evs[:10]) {
		t.Fatalf("first batch: %q", got)
	}
	srv.Close()
	waitFor(t, "the closed connection to be noticed", func() bool { l := d.cur.Load(); return l == nil || l.dead.Load() })

	done := make(chan struct{})
	go func() { defer close(done); streamtest.Write(t, o, evs[10:30], 4) }()
	time.Sleep(150 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Write returned while the receiver was down")
	default:
	}
	srv.Listen()
	<-done
	streamtest.Write(t, o, evs[30:], 5)
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Errorf("received %d bytes, want %d:\n%s", len(got), len(want), got)
	}
	if n := strings.Count(string(srv.Bytes()), "\n"); n != 40 {
		t.Errorf("%d events, want 40", n)
	}
	if lb.Count("cannot send to the receiver") != 1 || lb.Count("connected again") != 1 {
		t.Errorf("log:\n%s", lb)
	}
	if st := d.Stats(); st.Events != 40 || st.Failures == 0 {
		t.Errorf("stats %+v", st)
	}
}

// A write that fails on a connection whose close was not noticed yet is
// sent again whole on the next connection (at least once).
func TestStreamTCPResendsFailedChunk(t *testing.T) {
	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
	streamtest.Write(t, o, streamtest.Events(1, time.Now()), 1)
	srv.WaitBytes(1, 5*time.Second)
	// A connection that fails on write: replace it with one whose peer
	// has reset it, and hide the reader's notice.
	l := d.cur.Load()
	c1, c2 := net.Pipe()
	c2.Close()
	l.c.Close()
	d.cur.Store(&streamLink{c: c1, done: make(chan struct{})})
	evs := streamtest.Events(3, time.Now())
	streamtest.Write(t, o, evs, 3)
	want := "WINDBAG Event 1 of 1\n" + streamtest.Lines(evs)
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Errorf("received %q, want %q", got, want)
	}
	if st := d.Stats(); st.Retries != 1 || st.Failures != 1 || st.Events != 4 {
		t.Errorf("stats %+v", st)
	}
}

func waitFor(t testing.TB, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Nothing listens when the output starts: opening succeeds, Write blocks
// (backpressure) and the events arrive once the receiver starts.
func TestStreamLateReceiver(t *testing.T) {
	for _, mode := range []string{"tcpout", "udpout", "syslogout"} {
		t.Run(mode, func(t *testing.T) {
			addr := streamtest.FreePort(t)
			h, p := streamtest.HostPort(addr)
			prefix := map[string]string{"tcpout": "tcp", "udpout": "udp", "syslogout": "syslog"}[mode]
			log, lb := stLogger()
			o, d := stOpen(t, stSample(mode, prefix+"DestinationHost", h, prefix+"DestinationPort", p), log)
			evs := streamtest.Events(5, time.Now())
			done := make(chan struct{})
			go func() { defer close(done); streamtest.Write(t, o, evs, 5) }()
			time.Sleep(300 * time.Millisecond)
			select {
			case <-done:
				t.Fatal("Write returned while nothing listened")
			default:
			}
			var got int
			if mode == "tcpout" {
				srv := streamtest.NewTCP(t, addr)
				<-done
				got = strings.Count(string(srv.WaitBytes(len(streamtest.Lines(evs)), 5*time.Second)), "\n")
			} else {
				u := streamtest.NewUDP(t, addr)
				<-done
				got = len(u.Wait(5, 5*time.Second))
			}
			if got != 5 {
				t.Errorf("%d events arrived, want 5", got)
			}
			if lb.Count("cannot send to the receiver") != 1 || lb.Count("connected again") != 1 {
				t.Errorf("want one warning and one recovery line; log:\n%s", lb)
			}
			if st := d.Stats(); st.Events != 5 || st.Failures < 2 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// A receiver that does not read makes Write block: the memory held is
// bounded by the Writer's queue and the socket buffers; once it reads,
// everything arrives.
func TestStreamSlowReader(t *testing.T) {
	srv := &streamtest.TCP{T: t, Addr: "127.0.0.1:0", Gate: make(chan struct{})}
	srv.Listen()
	t.Cleanup(srv.Close)
	h, p := streamtest.HostPort(srv.Addr)
	o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
	w := output.NewWriter(o.Dst, 256<<10)
	raw := bytes.Repeat([]byte("y"), 1000)
	const total = 60000 // 60 MB
	var submitted atomic.Int64
	done := make(chan error, 1)
	go func() {
		buf := w.Buffer()
		for i := range total {
			buf.Add(o.Enc, &output.Event{Raw: raw})
			if len(buf.Buf) >= output.BufferSize || i == total-1 {
				n := len(buf.Buf)
				if err := w.Submit(buf); err != nil {
					done <- err
					return
				}
				submitted.Add(int64(n))
				buf = w.Buffer()
			}
		}
		done <- nil
	}()
	// Wait until the producer stops making progress.
	var last int64 = -1
	for i := 0; ; i++ {
		time.Sleep(200 * time.Millisecond)
		n := submitted.Load()
		if n == last {
			break
		}
		if i > 50 {
			t.Fatal("the producer never blocked")
		}
		last = n
	}
	if last > 40<<20 {
		t.Errorf("%d bytes submitted to a receiver that reads nothing", last)
	}
	t.Logf("blocked after %d KiB submitted", last>>10)
	close(srv.Gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitBytes(total*1001, 20*time.Second); len(got) != total*1001 {
		t.Errorf("received %d bytes, want %d", len(got), total*1001)
	}
	if st := d.Stats(); st.Events != total || st.Dropped != 0 {
		t.Errorf("stats %+v", st)
	}
}

// Close gives up within the grace period (2 s by default) when the
// receiver is unreachable, and reports the events it could not send.
func TestStreamCloseTimeout(t *testing.T) {
	t.Run("unreachable", func(t *testing.T) {
		h, p := streamtest.HostPort(streamtest.FreePort(t))
		o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
		w := output.NewWriter(o.Dst, 0)
		if err := streamtest.Submit(w, o.Enc, streamtest.Events(25, time.Now()), 10); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		start := time.Now()
		// What the engine does before closing the writers: without it the
		// queued chunks keep Writer.Close waiting for the receiver.
		d.Shutdown(CloseGrace)
		err := w.Close()
		el := time.Since(start)
		if el > 2500*time.Millisecond || el < 1500*time.Millisecond {
			t.Errorf("Close took %v, want about 2 s", el)
		}
		if err == nil || !strings.Contains(err.Error(), "25 events") {
			t.Errorf("Close: %v", err)
		}
		if st := d.Stats(); st.Dropped != 25 || st.Events != 0 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("stalled", func(t *testing.T) {
		srv := &streamtest.TCP{T: t, Addr: "127.0.0.1:0", Gate: make(chan struct{})}
		srv.Listen()
		t.Cleanup(func() { close(srv.Gate); srv.Close() })
		h, p := streamtest.HostPort(srv.Addr)
		log, lb := stLogger()
		o, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), log)
		w := output.NewWriter(o.Dst, 1<<20)
		raw := bytes.Repeat([]byte("z"), 4000)
		var submitted atomic.Int64
		go func() {
			for {
				buf := w.Buffer()
				for len(buf.Buf) < output.BufferSize {
					buf.Add(o.Enc, &output.Event{Raw: raw})
				}
				if w.Submit(buf) != nil {
					return
				}
				submitted.Add(1)
			}
		}()
		waitFor(t, "the writer to block", func() bool {
			a := submitted.Load()
			time.Sleep(200 * time.Millisecond)
			return a > 0 && submitted.Load() == a
		})
		start := time.Now()
		d.Shutdown(300 * time.Millisecond) // what the engine does before closing
		err := w.Close()
		if el := time.Since(start); el > 1500*time.Millisecond {
			t.Errorf("Close took %v with a grace of 300ms", el)
		} else {
			t.Logf("Close took %v with a grace of 300ms", el)
		}
		if err == nil || !strings.Contains(err.Error(), "not sent") || d.Stats().Dropped == 0 {
			t.Errorf("Close: %v, stats %+v", err, d.Stats())
		}
		if lb.Count("giving up") != 1 {
			t.Errorf("log:\n%s", lb)
		}
	})
	t.Run("abort", func(t *testing.T) {
		h, p := streamtest.HostPort(streamtest.FreePort(t))
		o, d := stOpen(t, stSample("udpout", "udpDestinationHost", h, "udpDestinationPort", p), nil)
		done := make(chan struct{})
		go func() { defer close(done); streamtest.Write(t, o, streamtest.Events(10, time.Now()), 10) }()
		time.Sleep(100 * time.Millisecond)
		d.Abort()
		select {
		case <-done:
		case <-time.After(time.Second):
			t.Fatal("Write still blocked after Abort")
		}
		if err := d.Close(); err == nil || d.Stats().Dropped == 0 {
			t.Errorf("Close: %v, stats %+v", err, d.Stats())
		}
	})
}

// IPv6 loopback, when the machine has it.
func TestStreamTCPIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	ln.Close()
	srv := streamtest.NewTCP(t, "[::1]:0")
	_, p := streamtest.HostPort(srv.Addr)
	o, _ := stOpen(t, stSample("tcpout", "tcpDestinationHost", "[::1]", "tcpDestinationPort", p), nil)
	evs := streamtest.Events(3, time.Now())
	streamtest.Write(t, o, evs, 3)
	if got := srv.WaitBytes(len(streamtest.Lines(evs)), 5*time.Second); string(got) != streamtest.Lines(evs) {
		t.Errorf("received %q", got)
	}
}

func TestStreamBadChunk(t *testing.T) {
	h, p := streamtest.HostPort(streamtest.FreePort(t))
	o, _ := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
	// Bytes without the events' spans: an engine bug, reported.
	if err := o.Dst.(output.BatchWriter).WriteBatch(&output.Batch{Buf: []byte("a")}); !errors.Is(err, errStreamFrame) {
		t.Errorf("WriteBatch: %v", err)
	}
	if _, err := o.Dst.Write([]byte("a\n")); err == nil {
		t.Error("Write of bytes: no error")
	}
}

// TestStreamWriteBatchesChecksFirst: a call whose later chunk lacks its
// events' spans (an engine bug) is refused whole, before anything is
// sent, over TCP and UDP; over UDP the chunks of a good call go out as
// datagrams in order.
func TestStreamWriteBatchesChecksFirst(t *testing.T) {
	good := func(prefix string) *output.Batch {
		b := new(output.Batch)
		for i := range 2 {
			b.Buf = fmt.Appendf(b.Buf, "%s%d\n", prefix, i)
			b.Ends = append(b.Ends, int32(len(b.Buf)))
		}
		return b
	}
	bad := &output.Batch{Buf: []byte("no spans\n")}

	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	_, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)
	if err := d.WriteBatches([]*output.Batch{good("t"), bad}); !errors.Is(err, errStreamFrame) {
		t.Errorf("tcp: WriteBatches = %v, want errStreamFrame", err)
	}
	if err := d.WriteBatches([]*output.Batch{good("ok")}); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitBytes(len("ok0\nok1\n"), 5*time.Second); string(got) != "ok0\nok1\n" {
		t.Errorf("tcp received %q, want only the good call's lines", got)
	}

	u := streamtest.NewUDP(t, "127.0.0.1:0")
	h, p = streamtest.HostPort(u.Addr)
	_, d = stOpen(t, stSample("udpout", "udpDestinationHost", h, "udpDestinationPort", p), nil)
	if err := d.WriteBatches([]*output.Batch{good("u"), bad}); !errors.Is(err, errStreamFrame) {
		t.Errorf("udp: WriteBatches = %v, want errStreamFrame", err)
	}
	if err := d.WriteBatches([]*output.Batch{good("a"), good("b")}); err != nil {
		t.Fatal(err)
	}
	got := u.Wait(4, 5*time.Second)
	want := []string{"a0\n", "a1\n", "b0\n", "b1\n"}
	if len(got) != len(want) {
		t.Fatalf("udp: %d datagrams %q, want %q", len(got), got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("udp datagram %d = %q, want %q", i, got[i], want[i])
		}
	}
	if st := d.Stats(); st.Events != 4 {
		t.Errorf("udp stats %+v, want 4 events", st)
	}
}

// The line encoder allocates nothing per event.
func TestStreamEncodersNoAlloc(t *testing.T) {
	ev := output.Event{Time: time.Date(2024, 3, 5, 7, 8, 9, 123e6, time.UTC), Raw: []byte("message"), Host: "h"}
	buf := make([]byte, 0, 4096)
	for _, enc := range []output.Encoder{LineEncoder{}} {
		if n := testing.AllocsPerRun(100, func() { buf = enc.Append(buf[:0], &ev) }); n != 0 {
			t.Errorf("%T: %v allocations per event", enc, n)
		}
	}
}

// TestQueryEncoderCache: the cached query string is the one appendQuery
// makes, whatever the order of the metadata, and metadata that changes
// every event allocates nothing per event.
func TestQueryEncoderCache(t *testing.T) {
	enc := &QueryEncoder{HostRegex: "h.*"}
	evs := []output.Event{
		{Raw: []byte("a"), Index: "main", Source: "s 1", Sourcetype: "st", Host: "h1"},
		{Raw: []byte("b"), Index: "main", Source: "s 1", Sourcetype: "st", Host: "h1"},
		{Raw: []byte("c"), Index: "main", Source: "s 1", Sourcetype: "st", Host: "h&2"},
		{Raw: []byte("d"), Index: "", Source: "s 1", Sourcetype: "st", Host: "h1"},
		{Raw: []byte("e"), Index: "main", Source: "s 1", Sourcetype: "st", Host: "h1"},
	}
	for i := range evs {
		out, keyEnd := enc.AppendKeyed(nil, &evs[i], nil)
		q := out[:keyEnd]
		if want := appendQuery(nil, &evs[i], "h.*"); string(q) != string(want) {
			t.Errorf("event %d: query %q, want %q", i, q, want)
		}
	}
	var changing [4]output.Event
	for i := range changing {
		changing[i] = output.Event{Raw: []byte("r"), Index: "main", Host: fmt.Sprint("x", i)}
	}
	enc = &QueryEncoder{} // (a host_regex that needs escaping allocates once per event)
	buf := make([]byte, 0, 4096)
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		buf = enc.Append(buf[:0], &changing[n%4])
		n++
	})
	if allocs > 0 {
		t.Errorf("%.1f allocations per event with changing hosts", allocs)
	}
}

// AppendFramed frames a message in place after what dst holds already.
func TestAppendFramed(t *testing.T) {
	for _, c := range []struct {
		name      string
		msg       string
		w         Wire
		want      string
		multiLine bool
	}{
		{"line", "a b", WireLine, "a b\n", false},
		{"datagram", "a\nb", WireDatagram, "a\nb", false},
		{"syslog lf", "<14>m", WireSyslogLF, "<14>m\n", false},
		{"syslog lf, multi-line", "<14>a\nb", WireSyslogLF, "7 <14>a\nb", true},
		{"octet", "<14>m", WireOctet, "5 <14>m", false},
		{"octet, empty", "", WireOctet, "0 ", false},
		{"octet, 10 bytes", "0123456789", WireOctet, "10 0123456789", false},
	} {
		dst := []byte("before|")
		got, ml := AppendFramed(append(dst, c.msg...), len(dst), c.w)
		if string(got) != "before|"+c.want || ml != c.multiLine {
			t.Errorf("%s: %q, %v; want %q, %v", c.name, got, ml, "before|"+c.want, c.multiLine)
		}
	}
}

// failAfter is a connection that takes limit bytes and then fails every
// write, as one the peer reset in the middle of a writev.
type failAfter struct {
	net.Conn
	got   []byte
	limit int
}

func (f *failAfter) Write(p []byte) (int, error) {
	n := min(len(p), max(f.limit-len(f.got), 0))
	f.got = append(f.got, p[:n]...)
	if n < len(p) {
		return n, errors.New("connection reset by peer (test)")
	}
	return n, nil
}

func (f *failAfter) Close() error                     { return nil }
func (f *failAfter) SetWriteDeadline(time.Time) error { return nil }

// TestStreamTCPWriteBatches: several chunks go out with one write, in
// order; when the connection fails in the middle of one, the chunks
// written whole count as sent and the rest go again, whole, on a new
// connection.
func TestStreamTCPWriteBatches(t *testing.T) {
	chunks := func(base int) ([]*output.Batch, []string) {
		var bs []*output.Batch
		var texts []string
		for c := range 3 {
			b := new(output.Batch)
			for i := range 3 {
				b.Buf = fmt.Appendf(b.Buf, "chunk%d-%d event%d\n", base, c, i)
				b.Ends = append(b.Ends, int32(len(b.Buf)))
			}
			bs, texts = append(bs, b), append(texts, string(b.Buf))
		}
		return bs, texts
	}
	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	_, d := stOpen(t, stSample("tcpout", "tcpDestinationHost", h, "tcpDestinationPort", p), nil)

	bs, texts := chunks(0)
	if err := d.WriteBatches(bs); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(texts, "")
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Fatalf("received %q, want %q", got, want)
	}
	if st := d.Stats(); st.Events != 9 || st.Requests != 1 || st.Bytes != int64(len(want)) {
		t.Fatalf("stats %+v, want 9 events in 1 write", st)
	}

	// The next connection takes the first chunk and 5 bytes of the second.
	bs, texts = chunks(1)
	f := &failAfter{limit: len(texts[0]) + 5}
	d.cur.Load().c.Close()
	d.cur.Store(&streamLink{c: f, done: make(chan struct{})})
	if err := d.WriteBatches(bs); err != nil {
		t.Fatal(err)
	}
	if w := texts[0] + texts[1][:5]; string(f.got) != w {
		t.Errorf("the failing connection got %q, want %q", f.got, w)
	}
	want += texts[1] + texts[2]
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Errorf("received %q, want %q", got, want)
	}
	if st := d.Stats(); st.Events != 18 || st.Requests != 2 || st.Retries != 1 || st.Failures != 1 {
		t.Errorf("stats %+v, want 18 events, 2 writes, 1 retry, 1 failure", st)
	}

	// Once the output has given up (the receiver gone at shutdown), the
	// chunks of a call are counted as dropped, every one of them.
	d.gaveUp.Store(true)
	bs, _ = chunks(2)
	if err := d.WriteBatches(bs); err != nil {
		t.Fatal(err)
	}
	if st := d.Stats(); st.Dropped != 9 || st.Events != 18 {
		t.Errorf("stats %+v, want 9 dropped and still 18 sent", st)
	}
	if got := srv.Bytes(); len(got) != len(want) {
		t.Errorf("received %d bytes after giving up, want %d", len(got), len(want))
	}
}
