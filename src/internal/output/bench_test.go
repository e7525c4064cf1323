package output

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// benchEvent is a 150-byte access-log line with metadata.
func benchEvent() Event {
	raw := []byte(`10.11.36.9 - - [05/Mar/2024:07:08:09 +0000] "GET /product.screen?productId=WC-SH-A02&JSESSIONID=SD3SL1FF7 HTTP/1.1" 200 3221 "-" "Mozilla/5.0 (X11; Linux)"`)
	return Event{
		Time:       t0,
		Raw:        raw[:150],
		Index:      "main",
		Host:       "web01.example.com",
		Source:     "/var/log/httpd/access_log",
		Sourcetype: "access_combined",
		Stanza:     "eventgen://access",
	}
}

func benchmarkEncoder(b *testing.B, format string) {
	enc, err := NewEncoder(format)
	if err != nil {
		b.Fatal(err)
	}
	e := benchEvent()
	dst := make([]byte, 0, 4096)
	b.SetBytes(int64(len(e.Raw)))
	b.ReportAllocs()
	for b.Loop() {
		dst = enc.Append(dst[:0], &e)
	}
}

func BenchmarkEncodeRaw(b *testing.B)      { benchmarkEncoder(b, "raw") }
func BenchmarkEncodeJSONL(b *testing.B)    { benchmarkEncoder(b, "jsonl") }
func BenchmarkEncodeModinput(b *testing.B) { benchmarkEncoder(b, "modinput") }

// BenchmarkEncodeModinputChangingHost is the modinput encoder when the
// metadata changes with every event (CSV rows with their own host): the
// cache misses and every field is escaped.
func BenchmarkEncodeModinputChangingHost(b *testing.B) {
	enc, _ := NewEncoder("modinput")
	events := make([]Event, 16)
	for i := range events {
		events[i] = benchEvent()
		events[i].Host = fmt.Sprintf("web%02d.example.com", i)
	}
	dst := make([]byte, 0, 4096)
	b.SetBytes(int64(len(events[0].Raw)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		dst = enc.Append(dst[:0], &events[i%len(events)])
		i++
	}
}

// BenchmarkXMLEscaped is the escaping of event data, plain and with
// characters to escape.
func BenchmarkXMLEscaped(b *testing.B) {
	plain := benchEvent().Raw
	specials := []byte(`<tag a="1">x &amp; y</tag> <tag a="2">z &lt; w</tag> line one` + "\r\n" + `line two`)
	for _, in := range []struct {
		name string
		s    []byte
	}{{"plain", plain}, {"specials", specials}} {
		b.Run(in.name, func(b *testing.B) {
			dst := make([]byte, 0, 1024)
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				dst = appendXMLEscaped(dst[:0], in.s, false)
			}
		})
	}
}

func BenchmarkEpochMillis(b *testing.B) {
	dst := make([]byte, 0, 64)
	tm := t0
	for b.Loop() {
		dst = AppendEpochMillis(dst[:0], tm)
		tm = tm.Add(7 * time.Millisecond)
	}
}

// BenchmarkPipeline is the output side of an event as the engine drives
// it: encode into a Writer's buffer, hand the buffer over at BufferSize,
// write it to io.Discard from the writer goroutine. Allocations per
// event should be 0.
func BenchmarkPipeline(b *testing.B) {
	for _, format := range formats {
		b.Run(format, func(b *testing.B) {
			enc, _ := NewEncoder(format)
			e := benchEvent()
			w := NewWriter(io.Discard, LocalQueueBytes)
			buf := w.Buffer()
			buf.Buf = enc.Begin(buf.Buf)
			b.SetBytes(int64(len(e.Raw)))
			b.ReportAllocs()
			for b.Loop() {
				buf.Buf = enc.Append(buf.Buf, &e)
				if len(buf.Buf) >= BufferSize {
					if err := w.Submit(buf); err != nil {
						b.Fatal(err)
					}
					buf = w.Buffer()
				}
			}
			buf.Buf = enc.End(buf.Buf)
			if err := w.Submit(buf); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	w := NewWriter(io.Discard, 0)
	chunk := make([]byte, BufferSize)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	b.SetBytes(BufferSize)
	b.ReportAllocs()
	for b.Loop() {
		buf := w.Buffer()
		buf.Buf = append(buf.Buf, chunk...)
		if err := w.Submit(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
