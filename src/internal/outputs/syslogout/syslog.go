//go:build !cloud && !js

// Package syslogout is the syslogout output: syslog messages over UDP or
// TCP through a delivery.Stream.
package syslogout

// syslogout sends each event as one syslog message (eventgen-inventory.md
// §3.3) to syslogDestinationHost:syslogDestinationPort (127.0.0.1:1514).
//
// Eventgen 7.2.1 used Python's SysLogHandler: UDP only, "<14>" + message
// + a NUL byte, and with syslogAddHeader a header dated with the send time
// and a zero-padded day (bug 36). Here:
//
//   - syslogProtocol = udp (default) | tcp
//   - syslogFormat = rfc3164 (default) | rfc5424
//   - syslogAddHeader = true adds the RFC 3164 header
//     "<PRI>Mmm dd HH:MM:SS host tag: msg", dated with the event's time
//     (in the event's timezone), the day space-padded as RFC 3164 says,
//     host = the event's host. Without it an RFC 3164 message is
//     "<PRI>msg", as in Eventgen. RFC 5424 messages always have their
//     header: "<PRI>1 TIMESTAMP HOST APP-NAME - - - msg", TIMESTAMP in RFC
//     3339 with milliseconds.
//   - syslogFacility (default user) and syslogSeverity (default info), by
//     name or number, give PRI (Eventgen: always <14> = user.info).
//   - syslogAppName (default eventgen) is the RFC 3164 tag and the RFC 5424
//     APP-NAME.
//   - syslogFraming = lf (default) | octet: the TCP framing (RFC 6587).
//     With lf, an event that holds a line feed is sent octet-counted (a
//     warning says so once): line-feed framing would split it.
//   - No NUL terminator. The message is _raw without trailing whitespace.
//     Over UDP each event is one datagram (line feeds kept), truncated to
//     the largest UDP payload (a warning, and a count at Close).

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// syslogEncoder writes each event as a complete syslog message in its
// wire form (wire: a datagram's payload, a line, or octet-counted). No
// allocation per event; the only state is the multi-line warning's flag.
type syslogEncoder struct {
	rfc5424 bool
	header  bool
	pri     string // "<14>"
	app     string
	host    string // for events without a host
	wire    delivery.Wire
	// Line-feed framing octet-counts a multi-line message: warned once.
	warned *atomic.Bool
	log    *slog.Logger
	to     string // the destination, for the warning
}

func (syslogEncoder) Begin(dst []byte) []byte { return dst }
func (syslogEncoder) End(dst []byte) []byte   { return dst }

func (s syslogEncoder) Append(dst []byte, e *output.Event) []byte {
	start := len(dst)
	dst = s.appendHead(dst, e.Time, e.Host, nil)
	dst = append(dst, delivery.Trim(e.Raw)...)
	return s.frame(dst, start)
}

// appendHead appends PRI and, for RFC 5424 or with syslogAddHeader, the
// header of a message at t from host. With a cache (the framer's), the
// timestamp is formatted once per second of event time.
func (s *syslogEncoder) appendHead(dst []byte, t time.Time, host string, c *stampCache) []byte {
	dst = append(dst, s.pri...)
	switch {
	case s.rfc5424:
		dst = append(dst, "1 "...)
		if t.IsZero() {
			dst = append(dst, '-')
		} else {
			dst = c.append(dst, t, rfc5424Stamp)
		}
		dst = append(dst, ' ')
		dst = s.appendHost(dst, host, 255)
		dst = append(dst, ' ')
		dst = append(dst, s.app...)
		dst = append(dst, " - - - "...)
	case s.header:
		if t.IsZero() {
			t = time.Now()
		}
		dst = c.append(dst, t, time.Stamp) // "Jan _2 15:04:05": day space-padded
		dst = append(dst, ' ')
		dst = s.appendHost(dst, host, 255)
		dst = append(dst, ' ')
		dst = append(dst, s.app...)
		dst = append(dst, ": "...)
	}
	return dst
}

// frame frames the message dst[start:] for the wire.
func (s *syslogEncoder) frame(dst []byte, start int) []byte {
	dst, multiLine := delivery.AppendFramed(dst, start, s.wire)
	if multiLine && s.warned != nil && s.warned.CompareAndSwap(false, true) {
		s.log.Warn("multi-line event sent with octet-counting framing (RFC 6587): line-feed framing would split it into several messages; set syslogFraming = octet to frame every event so", "to", s.to)
	}
	return dst
}

// NewFramer returns the encoder's output.Framer: the generators that
// render in place (generate.FramedGenerator) write the messages straight
// into the chunk, with the bytes Append gives.
func (s syslogEncoder) NewFramer(string) output.Framer {
	return &syslogFramer{enc: s, priOnly: !s.rfc5424 && !s.header}
}

// syslogFramer is syslogEncoder's output.Framer. It runs twice per event
// on the hottest path of syslogout (the message of scenario 2 is ~90
// bytes), so it keeps its own copy of the encoder and calls it through a
// pointer, and takes the short ways of the default format: without a
// header, the head is PRI alone; with line-feed framing, a message
// without a line feed only gets its "\n".
type syslogFramer struct {
	enc     syslogEncoder
	priOnly bool // RFC 3164 without syslogAddHeader: the head is PRI
	host    string
	open    int // where the message being written starts
	stamp   stampCache
}

// rfc5424Stamp is the RFC 5424 TIMESTAMP: RFC 3339 with milliseconds.
const rfc5424Stamp = "2006-01-02T15:04:05.000Z07:00"

// stampCache holds the timestamp of the last second a framer formatted:
// the events of an interval share a few seconds, and formatting a time
// (a calendar conversion, a zone lookup) cost more than the rest of the
// message's framing (BenchmarkSyslogFramer: ~100 ns of ~110 with the RFC
// 3164 header). The key is the second and the location, which together
// fix every field but the milliseconds; those are written into the
// copy, at their place. The zero value is empty; a nil cache formats
// every time.
type stampCache struct {
	sec    int64
	loc    *time.Location
	layout string
	ms     int // where the milliseconds are in text, -1 when the layout has none
	n      int
	text   [48]byte
}

// append appends t formatted with layout (time.Stamp or rfc5424Stamp).
func (c *stampCache) append(dst []byte, t time.Time, layout string) []byte {
	if c == nil {
		return t.AppendFormat(dst, layout)
	}
	sec, loc := t.Unix(), t.Location()
	if c.n == 0 || sec != c.sec || loc != c.loc || layout != c.layout {
		b := t.AppendFormat(c.text[:0], layout)
		if len(b) > len(c.text) { // a year beyond four digits: no room, no cache
			c.n = 0
			return append(dst, b...)
		}
		c.sec, c.loc, c.layout, c.n, c.ms = sec, loc, layout, len(b), -1
		if layout == rfc5424Stamp && len(b) > 23 && b[19] == '.' {
			c.ms = 20 // a year of four digits; other years are formatted every time
		} else if layout == rfc5424Stamp {
			c.n = 0
		}
		return append(dst, b...)
	}
	start := len(dst)
	dst = append(dst, c.text[:c.n]...)
	if c.ms >= 0 {
		ms := t.Nanosecond() / 1e6
		dst[start+c.ms] = byte('0' + ms/100)
		dst[start+c.ms+1] = byte('0' + ms/10%10)
		dst[start+c.ms+2] = byte('0' + ms%10)
	}
	return dst
}

func (f *syslogFramer) Meta(e *output.Event) { f.host = e.Host }

func (f *syslogFramer) Open(dst []byte, t output.Stamp) []byte {
	f.open = len(dst)
	if f.priOnly {
		return append(dst, f.enc.pri...)
	}
	return f.enc.appendHead(dst, t.Time(), f.host, &f.stamp)
}

func (f *syslogFramer) Close(dst []byte, start int, text output.Text) []byte {
	dst = dst[:start+len(delivery.Trim(dst[start:]))]
	if f.enc.wire == delivery.WireSyslogLF && (text&output.TextOneLine != 0 || bytes.IndexByte(dst[f.open:], '\n') < 0) {
		return append(dst, '\n') // AppendFramed's answer, without its call
	}
	return f.enc.frame(dst, f.open)
}

// appendHost appends host (or the default) with every byte that a syslog
// HOSTNAME cannot hold (space, control, non-ASCII) replaced by '_'.
func (s *syslogEncoder) appendHost(dst []byte, host string, max int) []byte {
	if host == "" {
		host = s.host
	}
	if len(host) > max {
		host = host[:max]
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c < 33 || c > 126 {
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

var _ output.FramedEncoder = syslogEncoder{}

// Open is the syslogout Opener.
func Open(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
	log := env.Log
	c, err := syslogConfigOf(s)
	if err != nil {
		return nil, err
	}
	addr, proto := c.addr, "udp"
	if c.tcp {
		proto = "tcp"
	}
	if v, ok := s.Values["syslogFraming"]; ok && strings.TrimSpace(v.Text) != "" && !c.tcp {
		log.Warn("syslogFraming applies to syslogProtocol = tcp only; over UDP each event is one datagram", "setting", strings.TrimSpace(v.Text))
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	if s.Host != "" {
		host = s.Host
	}
	wire, key := delivery.WireDatagram, "syslogout:udp://"+addr
	if c.tcp {
		wire, key = delivery.WireSyslogLF, "syslogout:tcp://"+addr
		if c.octet {
			wire, key = delivery.WireOctet, key+"#octet"
		}
	}
	name := fmt.Sprintf("syslogout %s://%s", proto, addr)
	enc := syslogEncoder{rfc5424: c.rfc5424, header: c.header, pri: "<" + strconv.Itoa(c.pri) + ">", app: c.app, host: host,
		wire: wire, warned: new(atomic.Bool), log: log, to: name}
	return &outputs.Output{Enc: enc, Dst: delivery.NewStream(name, proto, addr, wire, log), Key: key, DefaultQueueBytes: output.StreamQueueBytes}, nil
}
