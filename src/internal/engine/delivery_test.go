//go:build !cloud

package engine

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
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
