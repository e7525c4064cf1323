//go:build !cloud

package netout

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
	"cmp"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// Syslog facilities (RFC 5424 §6.2.1) and severities by name.
var (
	syslogFacilities = map[string]int{
		"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
		"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "audit": 13,
		"console": 14, "alert": 14, "clock": 15, "solaris-cron": 15,
		"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
	}
	syslogSeverities = map[string]int{
		"emerg": 0, "panic": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
		"warning": 4, "warn": 4, "notice": 5, "info": 6, "informational": 6, "debug": 7,
	}
)

const (
	syslogRFC3164 = "rfc3164"
	syslogRFC5424 = "rfc5424"
)

// syslogEncoder frames each event as a complete syslog message (without
// transport framing). Stateless; no allocation per event.
type syslogEncoder struct {
	rfc5424 bool
	header  bool
	pri     string // "<14>"
	app     string
	host    string // for events without a host
}

func (syslogEncoder) Begin(dst []byte) []byte { return dst }
func (syslogEncoder) End(dst []byte) []byte   { return dst }

func (s syslogEncoder) Append(dst []byte, e *output.Event) []byte {
	dst, start := streamBeginFrame(dst)
	dst = append(dst, s.pri...)
	switch {
	case s.rfc5424:
		dst = append(dst, "1 "...)
		if e.Time.IsZero() {
			dst = append(dst, '-')
		} else {
			dst = e.Time.AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		}
		dst = append(dst, ' ')
		dst = s.appendHost(dst, e.Host, 255)
		dst = append(dst, ' ')
		dst = append(dst, s.app...)
		dst = append(dst, " - - - "...)
	case s.header:
		t := e.Time
		if t.IsZero() {
			t = time.Now()
		}
		dst = t.AppendFormat(dst, time.Stamp) // "Jan _2 15:04:05": day space-padded
		dst = append(dst, ' ')
		dst = s.appendHost(dst, e.Host, 255)
		dst = append(dst, ' ')
		dst = append(dst, s.app...)
		dst = append(dst, ": "...)
	}
	dst = append(dst, streamTrim(e.Raw)...)
	return streamEndFrame(dst, start)
}

// appendHost appends host (or the default) with every byte that a syslog
// HOSTNAME cannot hold (space, control, non-ASCII) replaced by '_'.
func (s syslogEncoder) appendHost(dst []byte, host string, max int) []byte {
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

var _ output.Encoder = syslogEncoder{}

// syslogPriority reads syslogFacility and syslogSeverity.
func syslogPriority(s *config.Sample) (int, error) {
	get := func(key, def string, names map[string]int, maxN int) (int, error) {
		v, ok := streamValue(s, key)
		if !ok {
			return names[def], nil
		}
		if n, ok := names[strings.ToLower(v.Text)]; ok {
			return n, nil
		}
		if n, err := strconv.Atoi(v.Text); err == nil && n >= 0 && n <= maxN {
			return n, nil
		}
		return 0, streamSettingError(key, v, "use a name (%s) or a number from 0 to %d", syslogNames(names), maxN)
	}
	f, err := get("syslogFacility", "user", syslogFacilities, 23)
	if err != nil {
		return 0, err
	}
	sev, err := get("syslogSeverity", "info", syslogSeverities, 7)
	if err != nil {
		return 0, err
	}
	return f*8 + sev, nil
}

func syslogNames(m map[string]int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(m[a], m[b]), cmp.Compare(a, b)) })
	return strings.Join(names, ", ")
}

// openSyslog is the syslogout Opener.
func openSyslog(s *config.Sample, log *slog.Logger) (*Output, error) {
	addr, err := streamAddress(s, "syslogDestinationHost", "syslogDestinationPort", "127.0.0.1", 1514)
	if err != nil {
		return nil, err
	}
	proto, err := streamChoice(s, "syslogProtocol", "udp", "udp", "tcp")
	if err != nil {
		return nil, err
	}
	format, err := streamChoice(s, "syslogFormat", syslogRFC3164, syslogRFC3164, syslogRFC5424)
	if err != nil {
		return nil, err
	}
	framing, err := streamChoice(s, "syslogFraming", "lf", "lf", "octet")
	if err != nil {
		return nil, err
	}
	header := false
	if v, ok := streamValue(s, "syslogAddHeader"); ok {
		switch strings.ToLower(v.Text) {
		case "1", "true", "t", "yes", "y", "on":
			header = true
		case "0", "false", "f", "no", "n", "off":
		default:
			return nil, streamSettingError("syslogAddHeader", v, "not a boolean; use true or false")
		}
	}
	pri, err := syslogPriority(s)
	if err != nil {
		return nil, err
	}
	app := "eventgen"
	if v, ok := streamValue(s, "syslogAppName"); ok {
		if len(v.Text) > 48 || strings.ContainsFunc(v.Text, func(r rune) bool { return r < 33 || r > 126 || r == ':' || r == '[' || r == ']' }) {
			return nil, streamSettingError("syslogAppName", v, "use 1 to 48 printable ASCII characters without spaces, ':', '[' or ']'")
		}
		app = v.Text
	}
	if v, ok := streamValue(s, "syslogFraming"); ok && proto == "udp" {
		log.Warn("syslogFraming applies to syslogProtocol = tcp only; over UDP each event is one datagram", "setting", v.Text)
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	if s.Host != "" {
		host = s.Host
	}
	enc := syslogEncoder{rfc5424: format == syslogRFC5424, header: header, pri: "<" + strconv.Itoa(pri) + ">", app: app, host: host}

	wire, key := streamWireDatagram, "syslogout:udp://"+addr
	if proto == "tcp" {
		wire, key = streamWireSyslogLF, "syslogout:tcp://"+addr
		if framing == "octet" {
			wire, key = streamWireOctet, key+"#octet"
		}
	}
	name := fmt.Sprintf("syslogout %s://%s", proto, addr)
	return &Output{Enc: enc, Dst: newStreamDst(name, proto, addr, wire, log), Key: key}, nil
}
