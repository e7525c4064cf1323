//go:build !cloud

package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
)

// TestStanzaDelivery: a stanza writing to a network output reads its
// destination's counters (shared with the stanzas writing there); one
// writing to stdout has none.
func TestStanzaDelivery(t *testing.T) {
	const delay = 20 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(delay)
		w.Write([]byte(`{"text":"Success","code":0}`))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
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

// TestStreamMatchesStdout: a stanza sent to tcpout arrives as the raw
// stdout output of the same configuration, byte for byte but for the
// trailing white space of each event, which tcpout strips (Eventgen's
// _raw.rstrip()) and stdout keeps, whether its intervals are rendered
// whole or in concurrent slices (20,000 events: the slicer hands whole
// batches, spans included, between its workers).
func TestStreamMatchesStdout(t *testing.T) {
	samples := map[string]string{"a.log": "first @n  \nsecond @n\t\nthird @n \r\nfourth\n"}
	tok := "token.0.token = @n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:1000]\n"
	for _, count := range []int{50, 20000} {
		t.Run(fmt.Sprint(count), func(t *testing.T) {
			conf := fmt.Sprintf("[a.log]\nend = 2\ncount = %d\n%s", count, tok)
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
			stdout := run(conf)
			if n := strings.Count(stdout, "\n"); n != 2*count {
				t.Fatalf("stdout: %d lines, want %d", n, 2*count)
			}
			var want strings.Builder
			for _, l := range strings.SplitAfter(stdout, "\n") {
				if l != "" {
					want.WriteString(string(delivery.Trim([]byte(l))) + "\n")
				}
			}
			srv := streamtest.NewTCP(t, "127.0.0.1:0")
			h, p := streamtest.HostPort(srv.Addr)
			if out := run(conf + fmt.Sprintf("outputMode = tcpout\ntcpDestinationHost = %s\ntcpDestinationPort = %s\n", h, p)); out != "" {
				t.Fatalf("tcpout wrote %d bytes to stdout", len(out))
			}
			got := string(srv.WaitBytes(want.Len(), 10*time.Second))
			if got != want.String() {
				t.Errorf("tcpout received %d bytes, want %d; they differ", len(got), want.Len())
			}
		})
	}
}
