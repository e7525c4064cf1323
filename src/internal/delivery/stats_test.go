//go:build !cloud

package delivery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/hashicorp/go-retryablehttp"
)

// plainTransport posts a batch's body as it is; 200 is success.
type plainTransport struct{}

func (plainTransport) Request(ctx context.Context, _ *Client, srv *Server, b *Batch) (*retryablehttp.Request, Outcome) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/", b.Body)
	if err != nil {
		return nil, Outcome{Kind: OutPerm, Err: err}
	}
	return req, Outcome{Kind: OutOK}
}

func (plainTransport) Classify(_ *Server, status int, _ []byte, _ *Batch) Outcome {
	if status == http.StatusOK {
		return Outcome{Kind: OutOK}
	}
	return Outcome{Kind: OutRetry, Invalid: -1, Err: fmt.Errorf("status %d", status)}
}

// chunkOf makes a chunk of n events of 8 bytes each.
func chunkOf(n int) *output.Batch {
	b := new(output.Batch)
	for i := range n {
		b.Buf = fmt.Appendf(b.Buf, "event%02d\n", i)
		b.Ends = append(b.Ends, int32(len(b.Buf)))
	}
	return b
}

// statsSink is a sink of one event per request (the payload limit is one
// event) to url.
func statsSink(url string, concurrency int) *Sink {
	opt := DefaultOptions()
	opt.MaxPayload = 8
	opt.Concurrency = concurrency
	opt.Retry = Backoff{Min: time.Millisecond, Max: time.Millisecond}
	return NewSink("test", slog.New(slog.NewTextHandler(io.Discard, nil)), opt, plainTransport{}, []*Server{{URL: url}}, false, false)
}

// TestStatsLatency: a receiver that answers after a known delay gives a
// mean round trip of about that delay, and nothing in flight at the end.
func TestStatsLatency(t *testing.T) {
	const delay = 40 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(delay)
	}))
	defer srv.Close()
	s := statsSink(srv.URL, 1)
	before := s.Stats()
	if err := s.WriteBatch(chunkOf(5)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if st.Requests != 5 || st.RoundTrips != 5 || st.Events != 5 || st.InFlight != 0 {
		t.Fatalf("stats = %+v, want 5 requests, round trips and events, none in flight", st)
	}
	// The sleep bounds it from below; a loaded machine adds to it.
	if got := st.Latency(before); got < delay || got > delay+500*time.Millisecond {
		t.Errorf("latency = %v, want %v to %v", got, delay, delay+500*time.Millisecond)
	}
	if got := st.Latency(st); got != 0 {
		t.Errorf("latency with no request between the readings = %v, want 0", got)
	}
}

// TestStatsInFlight: requests in flight reach the concurrency and never
// exceed it while the receiver holds every request.
func TestStatsInFlight(t *testing.T) {
	const concurrency = 3
	release := make(chan struct{})
	var now, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		n := now.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		now.Add(-1)
	}))
	defer srv.Close()
	s := statsSink(srv.URL, concurrency)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.WriteBatch(chunkOf(10)); err != nil {
			t.Error(err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().InFlight < concurrency && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for range 20 { // held there while the receiver holds them
		if got := s.Stats().InFlight; got != concurrency {
			t.Fatalf("in flight = %d, want %d", got, concurrency)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.InFlight != 0 || st.Events != 10 || st.RoundTrips != 10 {
		t.Errorf("stats at the end = %+v, want none in flight, 10 events and round trips", st)
	}
	if p := peak.Load(); p > concurrency {
		t.Errorf("the receiver saw %d requests at once, want at most %d", p, concurrency)
	}
}
