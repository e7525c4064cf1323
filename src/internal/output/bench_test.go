package output

import (
	"io"
	"testing"
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

func BenchmarkWriter(b *testing.B) {
	w := NewWriter(io.Discard, 0)
	chunk := make([]byte, BufferSize)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	b.SetBytes(BufferSize)
	b.ReportAllocs()
	for b.Loop() {
		buf := append(w.Buffer(), chunk...)
		if err := w.Submit(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
