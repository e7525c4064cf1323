//go:build !cloud && !js

package syslogout

import (
	"bytes"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// stSyslogTCP opens a syslogout over TCP to a test receiver.
func stSyslogTCP(t *testing.T, kv ...string) (*streamtest.TCP, *outputs.Output, *delivery.Stream, *stLog) {
	srv := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(srv.Addr)
	log, lb := stLogger()
	o, d := stOpen(t, stSample("syslogout", append([]string{"syslogDestinationHost", h, "syslogDestinationPort", p, "syslogProtocol", "tcp"}, kv...)...), log)
	return srv, o, d, lb
}

// stSyslogUDP opens a syslogout over UDP to a test receiver.
func stSyslogUDP(t *testing.T, kv ...string) (*streamtest.UDP, *outputs.Output) {
	u := streamtest.NewUDP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(u.Addr)
	o, _ := stOpen(t, stSample("syslogout", append([]string{"syslogDestinationHost", h, "syslogDestinationPort", p}, kv...)...), nil)
	return u, o
}

func TestSyslogRFC3164NoHeader(t *testing.T) {
	u, o := stSyslogUDP(t)
	evs := streamtest.Events(5, time.Now())
	evs[4].Raw = []byte("multi\nline \n")
	streamtest.Write(t, o, evs, 5)
	got := u.Wait(5, 5*time.Second)
	want := []string{"<14>WINDBAG Event 1 of 5", "<14>WINDBAG Event 2 of 5", "<14>WINDBAG Event 3 of 5", "<14>WINDBAG Event 4 of 5", "<14>multi\nline"}
	if len(got) != 5 {
		t.Fatalf("%d datagrams", len(got))
	}
	for i := range want {
		if string(got[i]) != want[i] { // no NUL terminator (Eventgen bug 36)
			t.Errorf("datagram %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSyslogRFC3164Header(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	u, o := stSyslogUDP(t, "syslogAddHeader", "true", "syslogFacility", "local4", "syslogSeverity", "warning")
	o.Enc = syslogEncoder{header: true, pri: "<164>", app: "eventgen", host: "defhost", wire: delivery.WireDatagram} // the sample's host, not os.Hostname, for the test
	evs := []output.Event{
		{Time: time.Date(2024, 1, 5, 7, 8, 9, 0, time.UTC), Raw: []byte("day five"), Host: "web01"},
		{Time: time.Date(2024, 11, 15, 23, 59, 59, 999e6, time.UTC), Raw: []byte("day fifteen  "), Host: "web02"},
		{Time: time.Date(2024, 3, 1, 0, 0, 0, 0, paris), Raw: []byte("event's zone"), Host: ""},
		{Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Raw: []byte("odd host"), Host: "bad host\té"},
	}
	streamtest.Write(t, o, evs, 10)
	want := []string{
		"<164>Jan  5 07:08:09 web01 eventgen: day five",
		"<164>Nov 15 23:59:59 web02 eventgen: day fifteen",
		"<164>Mar  1 00:00:00 defhost eventgen: event's zone",
		"<164>Mar  1 00:00:00 bad_host___ eventgen: odd host",
	}
	got := u.Wait(len(want), 5*time.Second)
	if len(got) != len(want) {
		t.Fatalf("%d datagrams", len(got))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("datagram %d = %q, want %q", i, got[i], want[i])
		}
	}

	// The opener: PRI from the settings, the sample's host as default.
	s := stSample("syslogout", "syslogAddHeader", "true", "syslogFacility", "local4", "syslogSeverity", "warning", "syslogAppName", "gen")
	s.Host = "samplehost"
	oo, err := Open(s, outputs.Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer oo.Dst.Close()
	msg := oo.Enc.Append(nil, &output.Event{Time: evs[0].Time, Raw: []byte("m")})
	if string(msg) != "<164>Jan  5 07:08:09 samplehost gen: m" {
		t.Errorf("opened encoder: %q", msg)
	}
}

func TestSyslogPRI(t *testing.T) {
	for _, c := range []struct {
		fac, sev string
		pri      int
	}{
		{"", "", 14}, {"user", "info", 14}, {"kern", "emerg", 0}, {"local0", "info", 134},
		{"LOCAL7", "debug", 191}, {"auth", "err", 35}, {"daemon", "notice", 29}, {"4", "2", 34}, {"23", "7", 191},
		{"local3", "warning", 156}, {"mail", "crit", 18}, {"authpriv", "alert", 81},
	} {
		var kv []string
		if c.fac != "" {
			kv = append(kv, "syslogFacility", c.fac)
		}
		if c.sev != "" {
			kv = append(kv, "syslogSeverity", c.sev)
		}
		cfg, err := syslogConfigOf(stSample("syslogout", kv...))
		if err != nil || cfg.pri != c.pri {
			t.Errorf("%s.%s: %d, %v; want %d", c.fac, c.sev, cfg.pri, err, c.pri)
		}
	}
	if _, err := syslogConfigOf(stSample("syslogout", "syslogFacility", "24")); err == nil {
		t.Error("facility 24 accepted")
	}
}

func TestSyslogRFC5424(t *testing.T) {
	srv, o, _, _ := stSyslogTCP(t, "syslogFormat", "rfc5424", "syslogFacility", "local0", "syslogAppName", "myapp")
	o.Enc = syslogEncoder{rfc5424: true, pri: o.Enc.(syslogEncoder).pri, app: "myapp", host: "defhost", wire: o.Enc.(syslogEncoder).wire}
	evs := []output.Event{
		{Time: time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC), Raw: []byte("five four two four"), Host: "host1"},
		{Time: time.Date(2024, 3, 5, 7, 8, 9, 5e6, time.FixedZone("", -5*3600-30*60)), Raw: []byte("offset "), Host: "host2"},
		{Raw: []byte("no time")},
	}
	streamtest.Write(t, o, evs, 2)
	want := "<134>1 2024-03-05T07:08:09.123Z host1 myapp - - - five four two four\n" +
		"<134>1 2024-03-05T07:08:09.005-05:30 host2 myapp - - - offset\n" +
		"<134>1 - defhost myapp - - - no time\n"
	if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
		t.Errorf("received %q\nwant     %q", got, want)
	}
}

// stOctets splits an RFC 6587 stream (octet-counted or LF-terminated
// frames, detected per frame as rsyslog does).
func stOctets(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for len(b) > 0 {
		if b[0] >= '0' && b[0] <= '9' {
			sp := bytes.IndexByte(b, ' ')
			n, err := strconv.Atoi(string(b[:sp]))
			if err != nil || sp+1+n > len(b) {
				t.Fatalf("bad octet frame at %q", b)
			}
			out = append(out, "octet:"+string(b[sp+1:sp+1+n]))
			b = b[sp+1+n:]
			continue
		}
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			t.Fatalf("unterminated frame %q", b)
		}
		out = append(out, "lf:"+string(b[:nl]))
		b = b[nl+1:]
	}
	return out
}

func TestSyslogFraming(t *testing.T) {
	evs := streamtest.Events(3, time.Now())
	evs[1].Raw = []byte("line one\nline two\n")
	t.Run("octet", func(t *testing.T) {
		srv, o, _, _ := stSyslogTCP(t, "syslogFraming", "octet")
		streamtest.Write(t, o, evs, 3)
		want := "24 <14>WINDBAG Event 1 of 3" + "21 <14>line one\nline two" + "24 <14>WINDBAG Event 3 of 3"
		if got := srv.WaitBytes(len(want), 5*time.Second); string(got) != want {
			t.Errorf("received %q\nwant     %q", got, want)
		}
	})
	t.Run("lf", func(t *testing.T) {
		srv, o, _, lb := stSyslogTCP(t)
		streamtest.Write(t, o, evs, 3)
		streamtest.Write(t, o, evs, 3)
		want := []string{"lf:<14>WINDBAG Event 1 of 3", "octet:<14>line one\nline two", "lf:<14>WINDBAG Event 3 of 3"}
		want = append(want, want...)
		got := stOctets(t, srv.WaitBytes(2*(24+26+24), 5*time.Second))
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("frames %q\nwant   %q", got, want)
		}
		if lb.Count("octet-counting framing") != 1 {
			t.Errorf("want one warning; log:\n%s", lb)
		}
	})
}

// The encoders allocate nothing per event.
func TestSyslogEncoderNoAlloc(t *testing.T) {
	ev := output.Event{Time: time.Date(2024, 3, 5, 7, 8, 9, 123e6, time.UTC), Raw: []byte("message"), Host: "h"}
	buf := make([]byte, 0, 4096)
	for _, enc := range []output.Encoder{
		syslogEncoder{header: true, pri: "<14>", app: "eventgen", host: "x", wire: delivery.WireDatagram},
		syslogEncoder{rfc5424: true, pri: "<14>", app: "eventgen", host: "x", wire: delivery.WireSyslogLF},
		syslogEncoder{rfc5424: true, pri: "<14>", app: "eventgen", host: "x", wire: delivery.WireOctet},
	} {
		if n := testing.AllocsPerRun(100, func() { buf = enc.Append(buf[:0], &ev) }); n != 0 {
			t.Errorf("%T: %v allocations per event", enc, n)
		}
	}
}

// The Framer writes the bytes Append gives, for every format and wire,
// and for a message the generator says is one line (output.TextOneLine),
// without searching it, the bytes it writes when it searches.
func TestSyslogFramerMatchesAppend(t *testing.T) {
	at := time.Date(2024, 3, 5, 7, 8, 9, 123e6, time.FixedZone("", 3600))
	raws := []string{"plain", "trailing blanks \t\r\n", "two\nlines ", "", "é ünïcode"}
	for _, wire := range []delivery.Wire{delivery.WireDatagram, delivery.WireSyslogLF, delivery.WireOctet} {
		for _, enc := range []syslogEncoder{
			{pri: "<14>", app: "eventgen", host: "def"},
			{header: true, pri: "<14>", app: "gen", host: "def"},
			{rfc5424: true, pri: "<165>", app: "gen", host: "def"},
		} {
			enc.wire = wire
			fr := output.NewFramer(enc, "")
			for _, host := range []string{"", "web 01"} {
				fr.Meta(&output.Event{Host: host})
				var want, got []byte
				for _, raw := range raws {
					e := output.Event{Time: at, Raw: []byte(raw), Host: host}
					want = enc.Append(want, &e)
					got = fr.Open(got, output.StampOf(at))
					start := len(got)
					got = append(got, raw...)
					var text output.Text
					if !strings.Contains(raw, "\n") {
						text = output.TextOneLine
					}
					got = fr.Close(got, start, text)
				}
				if string(got) != string(want) {
					t.Errorf("wire %d, %+v, host %q:\ngot  %q\nwant %q", wire, enc, host, got, want)
				}
			}
		}
	}
}

// BenchmarkSyslogFramer is the framing of one event of scenario 2's size
// on the in-place path (Open, the message, Close), per format.
func BenchmarkSyslogFramer(b *testing.B) {
	at := time.Date(2024, 3, 5, 7, 8, 9, 123e6, time.UTC)
	raw := []byte(`14.108.134.80 - - [03/Mar/2024:23:59:59] "POST /cart.do?action=purchase HTTP/1.1" 389 84065`)
	for _, c := range []struct {
		name string
		enc  syslogEncoder
	}{
		{"rfc3164", syslogEncoder{pri: "<14>", app: "eventgen", host: "def", wire: delivery.WireSyslogLF}},
		{"rfc3164-header", syslogEncoder{header: true, pri: "<14>", app: "eventgen", host: "def", wire: delivery.WireSyslogLF}},
		{"rfc5424", syslogEncoder{rfc5424: true, pri: "<14>", app: "eventgen", host: "def", wire: delivery.WireSyslogLF}},
	} {
		b.Run(c.name, func(b *testing.B) {
			fr := output.NewFramer(c.enc, "")
			fr.Meta(&output.Event{Host: "web-01"})
			buf := make([]byte, 0, 64<<10)
			b.SetBytes(int64(len(raw)))
			for i := 0; b.Loop(); i++ {
				if len(buf) > 60<<10 {
					buf = buf[:0]
				}
				buf = fr.Open(buf, output.StampOf(at.Add(time.Duration(i)*time.Microsecond)))
				start := len(buf)
				buf = append(buf, raw...)
				buf = fr.Close(buf, start, output.TextPlain|output.TextOneLine)
			}
		})
	}
}

// The framer's timestamp cache gives AppendFormat's bytes: within a
// second (other milliseconds), across seconds, zones and a DST change,
// and for years the cache does not hold.
func TestSyslogStampCache(t *testing.T) {
	locs := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("X", -(5*3600 + 30*60))}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		locs = append(locs, ny)
	}
	base := time.Date(2024, 3, 10, 6, 59, 58, 0, time.UTC) // 01:59:58 in New York, before the change to DST
	var times []time.Time
	for _, d := range []time.Duration{0, 1, 999e6, 1e9, 1e9 + 5e6, 1e9 + 123e6, 2e9 + 7e6, 3600e9 + 450e6, -1e9} {
		times = append(times, base.Add(d))
	}
	times = append(times, time.Date(12345, 1, 2, 3, 4, 5, 6e6, time.UTC), time.Date(12345, 1, 2, 3, 4, 5, 7e6, time.UTC),
		time.Date(-5, 1, 2, 3, 4, 5, 8e6, time.UTC), time.Date(-5, 1, 2, 3, 4, 5, 9e6, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 250e6, time.UTC))
	for _, layout := range []string{time.Stamp, rfc5424Stamp} {
		var c stampCache
		for _, at := range times {
			for _, loc := range locs { // the same second in another zone
				at := at.In(loc)
				for range 2 {
					want := at.AppendFormat([]byte("x"), layout)
					if got := c.append([]byte("x"), at, layout); string(got) != string(want) {
						t.Errorf("%s at %v: got %q, want %q", layout, at, got, want)
					}
				}
			}
		}
	}
}
