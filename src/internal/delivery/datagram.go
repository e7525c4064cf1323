//go:build !cloud

package delivery

// UDP: one datagram per event, sent in batches.
//
// One write(2) per datagram costs a system call per event, which bounds
// udpout to about 0.13 M events/s where tcpout, writing a chunk at once,
// does millions. On Linux a Stream hands up to sendBatch datagrams of a
// chunk to one sendmmsg(2) (datagram_linux.go); elsewhere it writes them
// one by one (datagram_other.go). The datagrams are the same either way:
// each event's span, as the encoder wrote it, or its message truncated to
// fit (the span is never copied: a truncated line is its cut message and
// a separate "\n").
//
// Errors: sendmmsg reports an error only when the first datagram of the
// call fails; when a later one fails it returns how many were sent and
// the kernel forgets the error. A "connection refused" (the ICMP port
// unreachable of an earlier datagram, raised by the next send) would so
// vanish, and with it the backpressure and the resend of the datagram it
// was for. So after a short count the Stream is unsure: it sends the
// datagram that failed alone, keeps both it and the one before it as the
// datagrams to send again after a refusal, and resumes batching; a
// receiver that is still down refuses the next call's first datagram,
// which is reported as before. The resends are single writes whose
// errors are handled like any other, so that a receiver that is down
// keeps the output waiting instead of losing the datagrams one by one.

import (
	"errors"
	"syscall"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// streamSendBatch is the most datagrams one sendmmsg call takes (the
// kernel takes at most UIO_MAXIOV, 1024).
const streamSendBatch = 256

// dgram is one event's datagram: head, then a line feed when nl (a
// WireLine message truncated to fit: its cut message, then its "\n").
type dgram struct {
	head []byte
	nl   bool
}

func (g dgram) size() int {
	if g.nl {
		return len(g.head) + 1
	}
	return len(g.head)
}

// udpState is the UDP side of a Stream (the WriteBatch goroutine's).
type udpState struct {
	batch    int       // datagrams per send call at most; tests lower it
	dgs      []dgram   // the chunk's datagrams, cleared after each chunk
	buf      []byte    // a datagram in one piece (the one-by-one sends)
	prev     []byte    // the datagrams to send again after "connection refused",
	prevEnds []int     // back to back, and where each ends
	resend   bool      // send prev again before going on
	unsure   bool      // the last call stopped short: an error may have been lost
	mm       mmsgState // the sendmmsg buffers (Linux)
}

// reset forgets the datagrams to send again: a new socket.
func (u *udpState) reset() {
	u.prev, u.prevEnds = u.prev[:0], u.prevEnds[:0]
	u.resend, u.unsure = false, false
}

// keep records g as a datagram to send again after a refusal: alone, or
// after those kept already (add).
func (u *udpState) keep(g dgram, add bool) {
	if !add {
		u.prev, u.prevEnds = u.prev[:0], u.prevEnds[:0]
	}
	u.prev = append(u.prev, g.head...)
	if g.nl {
		u.prev = append(u.prev, '\n')
	}
	u.prevEnds = append(u.prevEnds, len(u.prev))
}

// cut returns the datagram of an event's span: the span itself, or, when
// it is larger than a UDP datagram can carry, its message truncated,
// followed by the line feed of WireLine.
func (d *Stream) cut(span []byte) dgram {
	if len(span) <= d.maxDatagram {
		return dgram{head: span}
	}
	suffix := 0
	if d.wire == WireLine {
		suffix = 1
	}
	msg := span[:len(span)-suffix]
	d.truncated.Add(1)
	if !d.truncWarned {
		d.truncWarned = true
		d.log.Warn("event larger than a UDP datagram can carry: truncated (this warning is shown once; Close reports the count)", "to", d.name, "bytes", len(span), "max", d.maxDatagram)
	}
	return dgram{head: msg[:streamUTF8Cut(msg, d.maxDatagram-suffix)], nl: suffix == 1}
}

// flat returns g in one slice: head, or a copy with its line feed.
func (u *udpState) flat(g dgram) []byte {
	if !g.nl {
		return g.head
	}
	u.buf = append(append(u.buf[:0], g.head...), '\n')
	return u.buf
}

// datagram returns the datagram of an event's span in one slice.
func (d *Stream) datagram(span []byte) []byte { return d.udp.flat(d.cut(span)) }

// streamUTF8Cut returns a length <= limit that does not cut a UTF-8 sequence.
func streamUTF8Cut(b []byte, limit int) int {
	for i := 0; i < 3 && limit > 0 && b[limit]&0xC0 == 0x80; i++ {
		limit--
	}
	return limit
}

// writeDatagrams sends each event of the chunk as one datagram, in calls
// of up to d.udp.batch datagrams. A write is one call (its round trip,
// for the latency); Requests counts datagrams.
func (d *Stream) writeDatagrams(chunk *output.Batch) error {
	u := &d.udp
	n := chunk.Len()
	dgs := u.dgs[:0]
	for i := range n {
		_, msg := chunk.Event(i)
		dgs = append(dgs, d.cut(msg))
	}
	u.dgs = dgs
	defer clear(dgs) // keep nothing of the chunk once WriteBatch returns
	batch := u.batch
	if batch <= 0 {
		batch = streamSendBatch
	}
	for i := 0; i < n; {
		if d.gaveUp.Load() {
			for _, g := range dgs[i:] {
				d.dropped.Add(1)
				d.droppedBytes.Add(int64(g.size()))
			}
			return nil
		}
		l := d.connect()
		if l == nil {
			continue
		}
		if u.resend && !d.resendPrev(l) {
			continue
		}
		k := min(n-i, batch)
		if u.unsure {
			k = 1 // the datagram the last call stopped at, alone
		}
		start := time.Now()
		d.inFlight.Add(1)
		sent, err := d.send(l, dgs[i:i+k])
		d.timedWrite(start)
		if sent > 0 {
			var size int64
			for _, g := range dgs[i : i+sent] {
				size += int64(g.size())
			}
			d.events.Add(int64(sent))
			d.bytes.Add(size)
			d.requests.Add(int64(sent))
			u.keep(dgs[i+sent-1], u.unsure)
			u.unsure = err == nil && sent < k
			i += sent
			d.markProgress()
			d.recovered()
		}
		if err == nil {
			continue
		}
		u.unsure = false
		d.failures.Add(1)
		refused := errors.Is(err, syscall.ECONNREFUSED)
		if !refused {
			d.drop(l) // dial again (and resolve the name again)
		}
		d.failed(err)
		if !d.backoff() {
			continue
		}
		d.retries.Add(1)
		// The refusal was for a datagram sent before: on loopback and
		// nearby hosts, the previous one (or, after a short call, one of
		// the two kept).
		u.resend = refused && len(u.prevEnds) > 0
	}
	return nil
}

// resendPrev sends the kept datagrams again, one write each. A refusal
// (the receiver is still down) counts as a failure and waits the backoff:
// it returns false and the caller tries again.
func (d *Stream) resendPrev(l *streamLink) bool {
	u := &d.udp
	start := 0
	for _, end := range u.prevEnds {
		if _, err := l.c.Write(u.prev[start:end]); err != nil {
			d.failures.Add(1)
			if !errors.Is(err, syscall.ECONNREFUSED) {
				d.drop(l) // a new socket forgets them (connect)
			}
			d.failed(err)
			if d.backoff() {
				d.retries.Add(1)
			}
			return false
		}
		d.requests.Add(1)
		d.retries.Add(1)
		start = end
	}
	u.resend = false
	return true
}

// sendEach writes the datagrams one by one: the send where sendmmsg is
// not available. It returns how many were sent and the error of the next.
func (d *Stream) sendEach(l *streamLink, dgs []dgram) (int, error) {
	for i, g := range dgs {
		if _, err := l.c.Write(d.udp.flat(g)); err != nil {
			return i, err
		}
	}
	return len(dgs), nil
}
