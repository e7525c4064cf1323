//go:build !cloud

package delivery

import (
	"bytes"
	"fmt"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// udpLoopbacks are the loopback hosts the UDP tests run on; ::1 is
// skipped where the machine has no IPv6 loopback.
func udpLoopback(t *testing.T, host string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("no UDP on %s: %v", host, err)
	}
	pc.Close()
}

// batchEvents returns n events of varied shapes: plain lines, trailing
// whitespace (trimmed), several lines in one event, empty-looking ones,
// and, at every 97th, one larger than a datagram (truncated), so that
// several truncated datagrams share one sendmmsg call.
func batchEvents(n int) (evs []output.Event, want [][]byte) {
	big := bytes.Repeat([]byte("z"), 70000)
	for i := range n {
		var raw, w []byte
		switch {
		case i%97 == 5:
			raw = append(fmt.Appendf(nil, "big %d ", i), big...)
			w = append(raw[:maxDatagramTest-1:maxDatagramTest-1], '\n')
		case i%7 == 1:
			raw = fmt.Appendf(nil, "event %d with blanks \t\r\n ", i)
			w = fmt.Appendf(nil, "event %d with blanks\n", i)
		case i%11 == 2:
			raw = fmt.Appendf(nil, "event %d\nsecond line", i)
			w = fmt.Appendf(nil, "event %d\nsecond line\n", i)
		case i%13 == 3:
			raw = []byte(" \n")
			w = []byte("\n")
		default:
			raw = fmt.Appendf(nil, "event %d.%s", i, bytes.Repeat([]byte("x"), i%50))
			w = append(bytes.Clone(raw), '\n')
		}
		evs = append(evs, output.Event{Raw: raw})
		want = append(want, w)
	}
	return evs, want
}

// Many events through udpout to a real socket, in chunks of 300 events
// (a full sendmmsg call of streamSendBatch and a partial one each) and,
// with a smaller batch, of 100 (six full calls and a partial one), also
// through the net package's socket where udpConn could not make one: every
// datagram arrives with its bytes, in order, and the stats count each
// datagram, its bytes and each call. Each chunk is waited for, so that
// the receiver's socket buffer never overflows.
func TestStreamUDPBatches(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		for _, c := range []struct {
			batch, per int
			poller     bool // through the net package's socket (udpConn's fallback)
		}{{0, 300, false}, {16, 100, false}, {16, 100, true}} {
			t.Run(fmt.Sprintf("%s/batch%d/per%d/poller=%v", host, c.batch, c.per, c.poller), func(t *testing.T) {
				udpLoopback(t, host)
				u := streamtest.NewUDP(t, net.JoinHostPort(host, "0"))
				_, p := streamtest.HostPort(u.Addr)
				o, d := stOpen(t, stSample("udpout", "udpDestinationHost", host, "udpDestinationPort", p), nil)
				d.udp.batch = c.batch
				if c.poller {
					nc, err := net.Dial("udp", u.Addr)
					if err != nil {
						t.Fatal(err)
					}
					l := &streamLink{c: nc, done: make(chan struct{})}
					close(l.done)
					d.cur.Store(l)
					d.connected = true
				}
				batch := c.batch
				if batch == 0 {
					batch = streamSendBatch
				}
				const chunks = 4
				evs, want := batchEvents(chunks * c.per)
				var wantBytes int64
				for _, w := range want {
					wantBytes += int64(len(w))
				}
				for k := range chunks {
					b := new(output.Batch)
					for i := k * c.per; i < (k+1)*c.per; i++ {
						b.Add(o.Enc, &evs[i])
					}
					if err := d.WriteBatch(b); err != nil {
						t.Fatal(err)
					}
					if got := u.Wait((k+1)*c.per, 5*time.Second); len(got) != (k+1)*c.per {
						t.Fatalf("chunk %d: %d datagrams arrived, want %d", k, len(got), (k+1)*c.per)
					}
				}
				got := u.Wait(len(want), time.Second)
				for i := range want {
					if !bytes.Equal(got[i], want[i]) {
						t.Fatalf("datagram %d: %d bytes %.60q, want %d bytes %.60q", i, len(got[i]), got[i], len(want[i]), want[i])
					}
				}
				calls := int64(len(want))
				if runtime.GOOS == "linux" {
					calls = chunks * int64((c.per+batch-1)/batch)
				}
				st := d.Stats()
				if st.Events != int64(len(want)) || st.Requests != int64(len(want)) || st.Bytes != wantBytes ||
					st.RoundTrips != calls || st.Failures != 0 || st.Retries != 0 || st.Dropped != 0 || st.InFlight != 0 || st.RoundTripTime <= 0 {
					t.Errorf("stats %+v, want %d events, %d bytes, %d round trips", st, len(want), wantBytes, calls)
				}
				if n := d.Truncated(); n == 0 {
					t.Error("no event truncated")
				}
				if err := d.Close(); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// A receiver that is down while a chunk of many datagrams is sent: the
// refusals (which sendmmsg reports only for a call's first datagram)
// keep WriteBatch waiting, and once the receiver is up every datagram
// arrives, in order (the ones sent again after a refusal at most twice).
func TestStreamUDPBatchRefused(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			udpLoopback(t, host)
			pc, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
			if err != nil {
				t.Fatal(err)
			}
			addr := pc.LocalAddr().String()
			pc.Close() // nothing listens there now
			_, p := streamtest.HostPort(addr)
			log, lb := stLogger()
			o, d := stOpen(t, stSample("udpout", "udpDestinationHost", host, "udpDestinationPort", p), log)
			evs, want := batchEvents(600)
			b := new(output.Batch)
			for i := range evs {
				b.Add(o.Enc, &evs[i])
			}
			done := make(chan error, 1)
			go func() { done <- d.WriteBatch(b) }()
			time.Sleep(300 * time.Millisecond)
			select {
			case err := <-done:
				t.Fatalf("WriteBatch returned (%v) while nothing listened", err)
			default:
			}
			u := streamtest.NewUDP(t, addr)
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("WriteBatch still blocked 10 s after the receiver started")
			}
			got := u.Wait(len(want), 5*time.Second)
			// In order; a datagram sent again may arrive twice.
			j := 0
			for i, g := range got {
				if j < len(want) && bytes.Equal(g, want[j]) {
					j++
				} else if j == 0 || !bytes.Equal(g, want[j-1]) && (j < 2 || !bytes.Equal(g, want[j-2])) {
					t.Fatalf("datagram %d (%.40q) out of order: after %d of %d", i, g, j, len(want))
				}
			}
			if j != len(want) {
				t.Fatalf("%d of %d events arrived (%d datagrams)", j, len(want), len(got))
			}
			if extra := len(got) - len(want); extra > 0 {
				t.Logf("%d datagrams arrived twice", extra)
			}
			st := d.Stats()
			if st.Events != int64(len(want)) || st.Failures < 2 || st.Retries == 0 || st.Dropped != 0 {
				t.Errorf("stats %+v", st)
			}
			if lb.Count("cannot send to the receiver") != 1 || lb.Count("connection refused") < 1 || lb.Count("connected again") != 1 {
				t.Errorf("want one refusal warning and one recovery line; log:\n%s", lb)
			}
		})
	}
}
