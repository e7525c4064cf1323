//go:build !cloud

package delivery

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// BenchmarkSinkWriteBatch is splunkstream's delivery of scenario 2's
// events: 64 KiB chunks of events that share one query string, into
// 1 MiB requests to a receiver that reads and discards them.
func BenchmarkSinkWriteBatch(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	opt := DefaultOptions()
	opt.MaxPayload = 1 << 20
	s := NewSink("bench", slog.New(slog.NewTextHandler(io.Discard, nil)), opt, plainTransport{}, []*Server{{URL: srv.URL}}, false, true)
	defer s.Close()
	enc := &QueryEncoder{}
	ev := output.Event{Index: "main", Source: "/var/log/access.log", Sourcetype: "access_combined", Host: "web-01.example.com",
		Raw: []byte(`14.108.134.80 - - [03/Mar/2024:23:59:59] "POST /cart.do?action=purchase HTTP/1.1" 389 84065`)}
	var c output.Batch
	for len(c.Buf) < 64<<10 {
		c.Add(enc, &ev)
	}
	b.SetBytes(int64(len(c.Buf)))
	b.ReportMetric(float64(c.Len()), "events/op")
	for b.Loop() {
		if err := s.WriteBatch(&c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryEncoder is splunkstream's encoding of scenario 2's events
// into a chunk: the same metadata for every event, so the query string
// is written once per chunk (output.SameKey).
func BenchmarkQueryEncoder(b *testing.B) {
	enc := &QueryEncoder{}
	ev := output.Event{Index: "main", Source: "/var/log/access.log", Sourcetype: "access_combined", Host: "web-01.example.com",
		Raw: []byte(`14.108.134.80 - - [03/Mar/2024:23:59:59] "POST /cart.do?action=purchase HTTP/1.1" 389 84065`)}
	var c output.Batch
	for b.Loop() {
		if len(c.Buf) >= 64<<10 {
			c.Reset()
		}
		c.Buf, _ = enc.AppendKeyed(c.Buf, &ev, &c.KeyMemo)
	}
}
