//go:build !cloud

package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// TestStanzaDelivery: a stanza writing to a network output reads its
// destination's counters (shared with the stanzas writing there); one
// writing to stdout has none.
func TestStanzaDelivery(t *testing.T) {
	const delay = 20 * time.Millisecond
	port := streamtest.SlowHEC(t, delay)
	confText := fmt.Sprintf("[a.log]\nend = 3\noutputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":%q,\"key\":\"k\"}]}\n"+
		"[b.log]\nend = 3\n", port)
	samples := loadSamples(t, t.TempDir(), confText, map[string]string{"a.log": "a\n", "b.log": "b\n"})
	e, problems := Prepare(samples, Options{Stdout: io.Discard, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	sts := e.Stanzas()
	d, dest, ok := sts[0].Delivery()
	// The intervals of a simulated clock follow each other at once: HTTP
	// outputs batch their events into as few requests as the payload
	// size allows (one here), each with its round trip.
	if !ok || dest == "" || d.Events != 3 || d.Requests < 1 || d.RoundTrips != d.Requests || d.InFlight != 0 {
		t.Errorf("a.log: Delivery() = %+v, %q, %v; want 3 events, and a round trip per request", d, dest, ok)
	}
	if l := d.Latency(delivery.Stats{}); l < delay {
		t.Errorf("a.log: latency %v, want at least %v", l, delay)
	}
	if _, dest, ok := sts[1].Delivery(); ok || dest != "stdout" {
		t.Errorf("b.log: Delivery() = %q, %v; want stdout without counters", dest, ok)
	}
}

// TestStreamMatchesStdout: a stanza sent to tcpout (or udpout) arrives as
// the raw stdout output of the same configuration but for the trailing
// white space of each event, which tcpout strips (Eventgen's
// _raw.rstrip()) and stdout keeps: multi-line events keep their inner
// lines; intervals rendered whole or in concurrent slices (20,000 events:
// the slicer hands whole batches, spans included, between its workers).
// The default generator writes these lines in place (output.RawLiner),
// and syslogout's messages too (its output.Framer).
func TestStreamMatchesStdout(t *testing.T) {
	samples := map[string]string{"a.log": "E first @n  \nE second @n\t\n  continued \nE third @n \r\nE fourth\n"}
	conf := "breaker = ^E\ntoken.0.token = @n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:1000]\n"
	run := func(confText string) string {
		var out bytes.Buffer
		ss := loadSamples(t, t.TempDir(), confText, samples)
		e, problems := Prepare(ss, Options{Stdout: &out, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if err := e.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	// lines returns the events of stdout's raw output, trimmed, each with
	// its "\n".
	lines := func(stdout string) []string {
		var evs []string
		for _, ev := range strings.SplitAfter(stdout, "\n") {
			if strings.HasPrefix(ev, "E ") || len(evs) == 0 {
				evs = append(evs, ev)
			} else {
				evs[len(evs)-1] += ev
			}
		}
		for i, ev := range evs {
			evs[i] = string(delivery.Trim([]byte(ev))) + "\n"
		}
		return evs
	}
	// host.token: the generator cannot write in place (its draws), so the
	// events go through the encoder (emit) instead.
	hostTok := "host = web-HOST\nhost.token = HOST\nhost.replacement = a.log\n"
	for _, c := range []struct {
		name  string
		count int
		extra string
	}{{"50", 50, ""}, {"20000", 20000, ""}, {"encoder/20000", 20000, hostTok}} {
		t.Run("tcp/"+c.name, func(t *testing.T) {
			count := c.count
			c := fmt.Sprintf("[a.log]\nend = 2\ncount = %d\n%s%s", count, conf, c.extra)
			want := lines(run(c))
			if len(want) != 2*count {
				t.Fatalf("stdout: %d events, want %d", len(want), 2*count)
			}
			srv := streamtest.NewTCP(t, "127.0.0.1:0")
			h, p := streamtest.HostPort(srv.Addr)
			if out := run(c + fmt.Sprintf("outputMode = tcpout\ntcpDestinationHost = %s\ntcpDestinationPort = %s\n", h, p)); out != "" {
				t.Fatalf("tcpout wrote %d bytes to stdout", len(out))
			}
			w := strings.Join(want, "")
			if got := string(srv.WaitBytes(len(w), 10*time.Second)); got != w {
				t.Errorf("tcpout received %d bytes, want %d; they differ", len(got), len(w))
			}
		})
	}
	// syslogout (RFC 3164, no header: "<14>" + the message) over TCP, line
	// feeds or octet counting for the multi-line events, and over UDP; the
	// generator frames the messages in place (syslogout's output.Framer).
	syslog := func(evs []string, tcp bool) []string {
		out := make([]string, len(evs))
		for i, ev := range evs {
			msg := "<14>" + strings.TrimSuffix(ev, "\n")
			switch {
			case !tcp:
				out[i] = msg
			case strings.Contains(msg, "\n"):
				out[i] = fmt.Sprintf("%d %s", len(msg), msg)
			default:
				out[i] = msg + "\n"
			}
		}
		return out
	}
	t.Run("syslog/tcp", func(t *testing.T) {
		c := "[a.log]\nend = 2\ncount = 20000\n" + conf
		want := strings.Join(syslog(lines(run(c)), true), "")
		srv := streamtest.NewTCP(t, "127.0.0.1:0")
		h, p := streamtest.HostPort(srv.Addr)
		run(c + fmt.Sprintf("outputMode = syslogout\nsyslogProtocol = tcp\nsyslogDestinationHost = %s\nsyslogDestinationPort = %s\n", h, p))
		if got := string(srv.WaitBytes(len(want), 10*time.Second)); got != want {
			t.Errorf("syslogout received %d bytes, want %d; they differ", len(got), len(want))
		}
	})
	t.Run("syslog/udp", func(t *testing.T) {
		c := "[a.log]\nend = 2\ncount = 50\n" + conf
		checkDatagrams(t, syslog(lines(run(c)), false), func(h, p string) {
			run(c + fmt.Sprintf("outputMode = syslogout\nsyslogDestinationHost = %s\nsyslogDestinationPort = %s\n", h, p))
		})
	})
	t.Run("udp", func(t *testing.T) {
		c := "[a.log]\nend = 2\ncount = 50\n" + conf
		checkDatagrams(t, lines(run(c)), func(h, p string) {
			run(c + fmt.Sprintf("outputMode = udpout\nudpDestinationHost = %s\nudpDestinationPort = %s\n", h, p))
		})
	})
}

// checkDatagrams runs send with the host and port of a UDP receiver on
// loopback and checks that it received want, datagram by datagram.
func checkDatagrams(t *testing.T, want []string, send func(host, port string)) {
	t.Helper()
	u := streamtest.NewUDP(t, "127.0.0.1:0")
	send(streamtest.HostPort(u.Addr))
	got := u.Wait(len(want), 10*time.Second)
	if len(got) != len(want) {
		t.Fatalf("%d datagrams, want %d", len(got), len(want))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("datagram %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestQueueBytesDefaults: the socket outputs queue output.StreamQueueBytes
// unless the stanza sets outputQueueBytes, the HTTP outputs
// output.DefaultQueueBytes, local outputs output.LocalQueueBytes whatever
// the stanza says.
func TestQueueBytesDefaults(t *testing.T) {
	tcp := streamtest.NewTCP(t, "127.0.0.1:0")
	h, p := streamtest.HostPort(tcp.Addr)
	hec := streamtest.SlowHEC(t, 0)
	for _, c := range []struct {
		name, settings string
		want           int
	}{
		{"tcpout", "outputMode = tcpout\ntcpDestinationHost = " + h + "\ntcpDestinationPort = " + p + "\n", output.StreamQueueBytes},
		{"tcpout set", "outputMode = tcpout\ntcpDestinationHost = " + h + "\ntcpDestinationPort = " + p + "\noutputQueueBytes = 3000000\n", 3000000},
		{"syslogout", "outputMode = syslogout\nsyslogProtocol = tcp\nsyslogDestinationHost = " + h + "\nsyslogDestinationPort = " + p + "\n", output.StreamQueueBytes},
		{"udpout", "outputMode = udpout\nudpDestinationHost = 127.0.0.1\nudpDestinationPort = 9\n", output.StreamQueueBytes},
		{"udpout set", "outputMode = udpout\nudpDestinationHost = 127.0.0.1\nudpDestinationPort = 9\noutputQueueBytes = 65536\n", 65536},
		{"httpevent", fmt.Sprintf("outputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":%q,\"key\":\"k\"}]}\n", hec), output.DefaultQueueBytes},
		{"httpevent set", fmt.Sprintf("outputMode = httpevent\nhttpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":%q,\"key\":\"k\"}]}\noutputQueueBytes = 2000000\n", hec), 2000000},
		{"stdout", "outputMode = stdout\n", output.LocalQueueBytes},
		{"stdout set", "outputMode = stdout\noutputQueueBytes = 2000000\n", output.LocalQueueBytes},
	} {
		t.Run(c.name, func(t *testing.T) {
			samples := loadSamples(t, t.TempDir(), "[a.log]\nend = 1\n"+c.settings, map[string]string{"a.log": "a\n"})
			e, problems := Prepare(samples, Options{Stdout: io.Discard, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
			if len(problems) > 0 || len(e.Stanzas()) != 1 {
				t.Fatal(problems)
			}
			defer e.outs.CloseAll()
			if got := e.Stanzas()[0].w.QueueBytes(); got != c.want {
				t.Errorf("queue of %d bytes, want %d", got, c.want)
			}
		})
	}
}
