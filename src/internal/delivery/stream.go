//go:build !cloud

package delivery

// The stream outputs (syslogout, tcpout, udpout) share one destination
// type, Stream, for TCP and UDP.
//
// Chunks: the encoders of these outputs write each event in its wire
// form (a line, an RFC 6587 octet-counted message, a datagram's payload:
// AppendFramed), and the engine records each event's span (output.Batch).
// Over TCP a Stream writes the chunk as it is, in one write, with no
// copy; over UDP each span is one datagram, sent in batches (sendmmsg on
// Linux: datagram.go).
//
// Delivery: nothing is dropped while the run goes on. The connection is
// opened on the first WriteBatch (a receiver may start after eventgen);
// dial and write errors are retried with a capped exponential backoff
// while WriteBatch blocks, so generation waits (backpressure). Over TCP a chunk
// whose write failed is sent again whole on the new connection
// (at-least-once: the receiver may see some events twice). TCP without
// application acknowledgements cannot tell what a receiver that vanished
// had read: the bytes the kernel accepted before the peer's close was
// noticed can be lost (a reader goroutine notices a closed connection
// as soon as the peer's FIN or RST arrives, before the next chunk).
// Over UDP, a "connection refused" (ICMP port unreachable) makes the
// previous datagram and the current one be sent again after the backoff;
// datagrams sent to a host that answers nothing are lost, as UDP is.
//
// Shutdown: Shutdown(grace) — which Close calls with closeGrace when the
// engine has not called it before — makes the destination give up once
// the receiver has been unreachable or stalled for grace: the chunk being
// written and every later one are counted as dropped (Stats.Dropped) and
// Close reports them in its error. A slow receiver that keeps reading is
// not cut off. Abort gives up at once. The engine calls Shutdown (through
// interface{ Shutdown(time.Duration) }, as for the HTTP outputs) before
// closing the writers: the chunks still queued in the output.Writer reach
// Dst.Close only after WriteBatch has returned for each of them.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

var errStreamFrame = errors.New("delivery: internal error: a chunk without its events' spans")

// Trim drops trailing ASCII whitespace (Eventgen's _raw.rstrip()).
func Trim(b []byte) []byte { return output.TrimSpace(b) }

// LineEncoder writes _raw without its trailing whitespace, followed by
// "\n": the wire form of tcpout and udpout (WireLine).
type LineEncoder struct{}

func (LineEncoder) Begin(dst []byte) []byte { return dst }
func (LineEncoder) End(dst []byte) []byte   { return dst }

func (LineEncoder) Append(dst []byte, e *output.Event) []byte {
	dst = append(dst, Trim(e.Raw)...)
	return append(dst, '\n')
}

// RawLines says the raw fast path can write LineEncoder's lines, trimmed.
func (LineEncoder) RawLines() bool { return true }

var _ output.RawLiner = LineEncoder{}

// Wire is how each message is framed on the wire. The encoders frame
// (AppendFramed); a Stream needs it only to truncate a datagram.
type Wire uint8

const (
	WireLine     Wire = iota // message + "\n" (tcpout, udpout)
	WireSyslogLF             // TCP syslog: message + "\n"; octet counting for a message holding a "\n"
	WireOctet                // TCP syslog, RFC 6587 octet counting: "<len> <message>"
	WireDatagram             // UDP syslog: the message is the datagram
)

// AppendFramed frames the message dst[start:] for the wire w, in place:
// a line feed after it (WireLine; WireSyslogLF), its length and a space
// before it (WireOctet; WireSyslogLF when the message holds a line feed,
// which line-feed framing would split: multiLine reports it, for the
// caller's warning), or nothing (WireDatagram).
func AppendFramed(dst []byte, start int, w Wire) (out []byte, multiLine bool) {
	switch w {
	case WireDatagram:
		return dst, false
	case WireOctet:
		return appendOctet(dst, start), false
	case WireSyslogLF:
		if bytes.IndexByte(dst[start:], '\n') >= 0 {
			return appendOctet(dst, start), true
		}
	}
	return append(dst, '\n'), false
}

// appendOctet puts "<length> " before the message dst[start:] (RFC 6587
// octet counting), moving the message along.
func appendOctet(dst []byte, start int) []byte {
	var p [24]byte
	pre := strconv.AppendInt(p[:0], int64(len(dst)-start), 10)
	pre = append(pre, ' ')
	end := len(dst)
	dst = append(dst, pre...)
	copy(dst[start+len(pre):], dst[start:end])
	copy(dst[start:], pre)
	return dst
}

const (
	// streamMaxDatagram is the largest UDP payload over IPv4 (65535 - 8 - 20).
	streamMaxDatagram = 65507
	CloseGrace        = 2 * time.Second
)

// Stream is the destination of the stream outputs: one lazily opened,
// reconnecting TCP connection, or a UDP socket sending one datagram per
// event. WriteBatch is called by one goroutine at a time (the output.Writer's);
// Shutdown, Close and Stats may be called from any goroutine.
type Stream struct {
	name    string // for messages: "syslogout tcp://127.0.0.1:1514"
	network string // "tcp" or "udp"
	addr    string // host:port
	wire    Wire
	log     *slog.Logger

	// Tunables; tests shorten them.
	Backoff     Backoff // between reconnections and resends
	DialTimeout time.Duration
	remind      time.Duration // repeat "still failing" at most this often
	closeGrace  time.Duration
	maxDatagram int

	// The writer goroutine's (output.Writer calls one method at a time):
	one  [1]*output.Batch // WriteBatch's argument to WriteBatches
	bufs net.Buffers      // writeStream's chunks for writeAll

	cur atomic.Pointer[streamLink]

	// WriteBatch goroutine only.
	backoffs    int  // back-offs waited since the last success
	connected   bool // has been connected once
	failing     bool // in a failure streak
	failSince   time.Time
	failCount   int
	failLim     logging.Limiter // the reminders of a failure streak
	peerLim     logging.Limiter // "the receiver closed the connection"
	truncWarned bool

	udp udpState // UDP: the datagrams' buffers and resends (datagram.go)

	// Shutdown state.
	stop      chan struct{} // closed by Shutdown
	stopOnce  sync.Once
	abort     chan struct{} // closed by Abort
	abortOnce sync.Once
	mu        sync.Mutex
	grace     time.Duration
	progress  time.Time // last progress since Shutdown
	gaveUp    atomic.Bool
	closed    atomic.Bool
	closeErr  error

	events, bytes, requests, retries, failures, dropped atomic.Int64
	droppedBytes, truncated                             atomic.Int64
	inFlight, writes, writeNanos                        atomic.Int64 // the writes' timing (Stats)
}

// streamLink is one connection; dead is set when the peer closed it.
type streamLink struct {
	c    net.Conn
	dead atomic.Bool
	done chan struct{} // closed when the reader goroutine has stopped (TCP)
}

func NewStream(name, network, addr string, wire Wire, log *slog.Logger) *Stream {
	return &Stream{
		name: name, network: network, addr: addr, wire: wire, log: log,
		Backoff:     Backoff{Min: 100 * time.Millisecond, Max: 5 * time.Second},
		DialTimeout: 5 * time.Second, remind: time.Minute, closeGrace: CloseGrace,
		maxDatagram: streamMaxDatagram,
		stop:        make(chan struct{}),
		abort:       make(chan struct{}),
	}
}

// Stats returns the destination's counters: events and bytes sent
// (bytes on the wire, framing included), Requests = TCP writes or UDP
// datagrams sent, Retries = writes or datagrams sent again, Failures =
// failed dials and writes, Dropped = events given up at shutdown. The
// round trips are the writes, as the HTTP outputs' are their requests:
// RoundTrips writes (the TCP chunks queued since the last write, in one
// writev; a batch of UDP datagrams — one
// sendmmsg on Linux, up to 256 datagrams; failed ones included)
// took RoundTripTime in all, and InFlight is 1 during one. A receiver
// that reads slowly makes TCP writes block: their latency rises.
func (d *Stream) Stats() Stats {
	return Stats{
		Events: d.events.Load(), Bytes: d.bytes.Load(), Requests: d.requests.Load(),
		Retries: d.retries.Load(), Failures: d.failures.Load(), Dropped: d.dropped.Load(),
		InFlight: d.inFlight.Load(), RoundTrips: d.writes.Load(), RoundTripTime: time.Duration(d.writeNanos.Load()),
	}
}

// timedWrite counts a write that started at start (with inFlight
// raised) and has ended.
func (d *Stream) timedWrite(start time.Time) {
	d.writeNanos.Add(int64(time.Since(start)))
	d.writes.Add(1)
	d.inFlight.Add(-1)
}

// Truncated returns how many events were cut to fit a UDP datagram.
func (d *Stream) Truncated() int64 { return d.truncated.Load() }

// Write refuses bytes: a Stream reads events from the spans of an
// output.Batch (WriteBatch), which the output.Writer hands it. It exists
// so that a Stream is an io.WriteCloser, as every destination is.
func (d *Stream) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("%s: internal error: events must come as an output.Batch", d.name)
}

// WriteBatch sends the events of one chunk. It blocks while the receiver
// is unreachable (backpressure) and fails only on a chunk without its
// spans or after Close; events given up at shutdown are counted, not
// reported here, so that every later chunk is counted too.
func (d *Stream) WriteBatch(b *output.Batch) error {
	d.one[0] = b
	err := d.WriteBatches(d.one[:])
	d.one[0] = nil
	return err
}

// WriteBatches sends the events of several chunks, in order: over TCP
// with one writev (output.BatchesWriter), so that the receiver wakes once
// for them; over UDP, chunk after chunk.
func (d *Stream) WriteBatches(bs []*output.Batch) error {
	if d.closed.Load() {
		return fmt.Errorf("%s: write after close", d.name)
	}
	for _, b := range bs {
		if !b.Check() {
			return errStreamFrame
		}
	}
	if d.network == "udp" {
		for _, b := range bs {
			if err := d.writeDatagrams(b); err != nil {
				return err
			}
		}
		return nil
	}
	return d.writeStream(bs)
}

// writeStream writes the chunks, already in their wire form, with one
// write (writev when there are several); after a failure, the chunks not
// wholly written go again, whole, on a new connection.
func (d *Stream) writeStream(chunks []*output.Batch) error {
	for len(chunks) > 0 {
		if d.gaveUp.Load() {
			for _, c := range chunks {
				d.dropped.Add(int64(c.Len()))
				d.droppedBytes.Add(int64(len(c.Buf)))
			}
			return nil
		}
		l := d.connect()
		if l == nil {
			continue // gave up
		}
		start := time.Now()
		d.inFlight.Add(1)
		d.bufs = d.bufs[:0]
		for _, c := range chunks {
			d.bufs = append(d.bufs, c.Buf)
		}
		written, err := d.writeAll(l, d.bufs)
		clear(d.bufs) // the chunks go back to the engine's free list
		d.timedWrite(start)
		// The chunks wholly written are sent, whatever happened after.
		sent := 0
		for sent < len(chunks) && int64(len(chunks[sent].Buf)) <= written {
			written -= int64(len(chunks[sent].Buf))
			d.events.Add(int64(chunks[sent].Len()))
			d.bytes.Add(int64(len(chunks[sent].Buf)))
			sent++
		}
		chunks = chunks[sent:]
		if err == nil {
			d.requests.Add(1)
			d.markProgress()
			d.recovered()
			continue
		}
		d.failures.Add(1)
		d.drop(l)
		d.failed(err)
		if d.backoff() {
			d.retries.Add(1)
		}
	}
	return nil
}

// writeAll writes bufs on l and returns how many bytes went out. After
// Shutdown a write that makes no progress for the grace period fails
// with a timeout; one that progresses goes on.
func (d *Stream) writeAll(l *streamLink, bufs net.Buffers) (int64, error) {
	var written int64
	for {
		if g := d.shutdownGrace(); g > 0 {
			l.c.SetWriteDeadline(time.Now().Add(g))
		}
		n, err := bufs.WriteTo(l.c) // consumes what it wrote from bufs
		written += n
		if err == nil {
			return written, nil
		}
		if n > 0 && errors.Is(err, os.ErrDeadlineExceeded) && len(bufs) > 0 {
			d.markProgress()
			continue
		}
		return written, err
	}
}

// connect returns the current connection, dialing (with backoff) when
// there is none or the peer closed it; nil once the destination gave up.
func (d *Stream) connect() *streamLink {
	for {
		if l := d.cur.Load(); l != nil {
			if !l.dead.Load() {
				return l
			}
			d.drop(l)
			if !d.failing {
				if ok, _ := d.peerLim.Allow(d.remind); ok {
					d.log.Info("the receiver closed the connection; reconnecting", "to", d.name)
				}
			}
		}
		if d.closed.Load() {
			d.giveUp("closed while sending")
		}
		if d.gaveUp.Load() {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), d.DialTimeout)
		go func() { // after Shutdown, dial no longer than the grace period; after Abort, stop
			var grace <-chan time.Time
			stop := d.stop
			for {
				select {
				case <-stop:
					stop, grace = nil, time.After(d.shutdownGrace())
				case <-grace:
					cancel()
					return
				case <-d.abort:
					cancel()
					return
				case <-ctx.Done():
					return
				}
			}
		}()
		var dialer net.Dialer
		c, err := dialer.DialContext(ctx, d.network, d.addr)
		cancel()
		if err == nil {
			if d.network == "udp" {
				c = udpConn(c) // a socket outside the poller on Linux (udpconn_linux.go)
			}
			l := &streamLink{c: c, done: make(chan struct{})}
			if d.network == "tcp" {
				go l.read()
			} else {
				close(l.done)
				d.udp.reset()
			}
			d.cur.Store(l)
			if !d.connected {
				d.connected = true
				d.log.Debug("connected", "to", d.name)
			}
			if d.network == "tcp" {
				d.recovered()
			}
			return l
		}
		d.failures.Add(1)
		d.failed(err)
		d.backoff()
	}
}

// read drains the connection (receivers send nothing) to notice at once
// when the peer closes it.
func (l *streamLink) read() {
	defer close(l.done)
	var b [256]byte
	for {
		if _, err := l.c.Read(b[:]); err != nil {
			l.dead.Store(true)
			return
		}
	}
}

// drop closes l and forgets it.
func (d *Stream) drop(l *streamLink) {
	l.c.Close()
	d.cur.CompareAndSwap(l, nil)
}

// failed starts or continues a failure streak: the first error is
// logged, then a reminder at most every d.remind.
func (d *Stream) failed(err error) {
	now := time.Now()
	if !d.failing {
		d.failing, d.failSince, d.failCount = true, now, 1
		d.failLim = logging.Limiter{}
		d.failLim.AllowAt(now, d.remind)
		d.log.Warn("cannot send to the receiver; retrying (generation waits)", "to", d.name, "error", err)
		return
	}
	d.failCount++
	if ok, _ := d.failLim.AllowAt(now, d.remind); ok {
		d.log.Warn("still cannot send to the receiver; retrying", "to", d.name, "for", now.Sub(d.failSince).Round(time.Second).String(), "attempts", d.failCount, "error", err)
	}
}

// recovered ends a failure streak.
func (d *Stream) recovered() {
	d.backoffs = 0
	if !d.failing {
		return
	}
	d.failing = false
	d.log.Info("connected again", "to", d.name, "after", time.Since(d.failSince).Round(time.Millisecond).String(), "attempts", d.failCount)
}

// backoff waits before the next attempt: d.Backoff after the failures
// in a row so far. After Shutdown it gives up (and returns false) once the
// grace period has passed without progress; after Abort at once.
func (d *Stream) backoff() bool {
	wait := d.Backoff.Delay(d.backoffs)
	d.backoffs++
	end := time.Now().Add(wait)
	for {
		if d.gaveUp.Load() {
			return false
		}
		stop := d.stop
		left := time.Until(end)
		if deadline, ok := d.giveUpAt(); ok {
			stop = nil // already shutting down: wait for the deadline or the end of the backoff
			if !deadline.After(time.Now()) {
				d.giveUp("the receiver has been unreachable or stalled for the shutdown grace period")
				return false
			}
			left = min(left, time.Until(deadline))
		}
		if left <= 0 {
			return true
		}
		t := time.NewTimer(left)
		select {
		case <-t.C:
		case <-stop:
		case <-d.abort:
		}
		t.Stop()
	}
}

func (d *Stream) giveUp(why string) {
	if d.gaveUp.CompareAndSwap(false, true) {
		d.log.Error("giving up: "+why+"; the events not sent are counted as dropped", "to", d.name)
	}
}

// Abort stops the destination now: a write in progress and the retries
// are interrupted, nothing more is sent, and the events not sent are
// counted in Close's error. Like the HTTP outputs' Abort.
func (d *Stream) Abort() {
	d.Shutdown(time.Nanosecond)
	d.giveUp("aborted")
	d.abortOnce.Do(func() { close(d.abort) })
	if l := d.cur.Load(); l != nil {
		l.c.SetWriteDeadline(time.Now())
	}
}

// Shutdown tells the destination that the run ends: from now on it gives
// up when the receiver is unreachable or stalled for grace, instead of
// retrying for ever. The first call counts.
func (d *Stream) Shutdown(grace time.Duration) {
	if grace <= 0 {
		grace = time.Nanosecond
	}
	d.stopOnce.Do(func() {
		d.mu.Lock()
		d.grace, d.progress = grace, time.Now()
		d.mu.Unlock()
		close(d.stop)
		if l := d.cur.Load(); l != nil {
			l.c.SetWriteDeadline(time.Now().Add(grace))
		}
	})
}

func (d *Stream) shutdownGrace() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.grace
}

func (d *Stream) giveUpAt() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.grace == 0 {
		return time.Time{}, false
	}
	return d.progress.Add(d.grace), true
}

func (d *Stream) markProgress() {
	d.mu.Lock()
	if d.grace > 0 {
		d.progress = time.Now()
	}
	d.mu.Unlock()
}

// Close shuts the destination down (Shutdown with closeGrace unless the
// engine called it before), half-closes a TCP connection and waits, within
// the grace period, for the receiver to close its side — so what was
// sent has been read — then closes. It returns an error naming the events
// that could not be sent. Later calls return the same error.
func (d *Stream) Close() error {
	d.Shutdown(d.closeGrace)
	if !d.closed.CompareAndSwap(false, true) {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.closeErr
	}
	if l := d.cur.Swap(nil); l != nil {
		if tc, ok := l.c.(*net.TCPConn); ok && !l.dead.Load() && !d.gaveUp.Load() {
			if tc.CloseWrite() == nil {
				t := time.NewTimer(d.shutdownGrace())
				select {
				case <-l.done:
				case <-t.C:
				}
				t.Stop()
			}
		}
		l.c.Close()
	}
	var err error
	if n := d.truncated.Load(); n > 0 {
		d.log.Warn("events truncated to fit a UDP datagram", "to", d.name, "events", n, "max", d.maxDatagram)
	}
	if n := d.dropped.Load(); n > 0 {
		err = fmt.Errorf("%s: %d events (%d bytes) not sent: the receiver was unreachable or stalled at shutdown", d.name, n, d.droppedBytes.Load())
	}
	d.mu.Lock()
	d.closeErr = err
	d.mu.Unlock()
	return err
}
