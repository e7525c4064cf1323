package output

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Encoder appends the wire form of events to dst. Implementations are
// stateless and safe for concurrent use. Zero allocations per event.
type Encoder interface {
	// Begin appends the stream header: "<stream>\n" for modinput,
	// nothing for the others.
	Begin(dst []byte) []byte
	// Append appends one event.
	Append(dst []byte, e *Event) []byte
	// End appends the stream trailer: "</stream>\n" for modinput, nothing
	// for the others.
	End(dst []byte) []byte
}

// formats lists the names NewEncoder accepts.
var formats = []string{"raw", "jsonl", "modinput"}

// NewEncoder returns the encoder for format: "raw", "jsonl" or "modinput".
func NewEncoder(format string) (Encoder, error) {
	switch format {
	case "raw":
		return rawEncoder{}, nil
	case "jsonl":
		return jsonlEncoder{}, nil
	case "modinput":
		return modinputEncoder{}, nil
	}
	return nil, fmt.Errorf("output: unknown format %q (valid: %s)", format, strings.Join(formats, ", "))
}

// rawEncoder writes Raw followed by "\n". Multi-line events stay as they
// are; Eventgen's stdout output did the same after stripping trailing
// whitespace, which the generator has already done.
type rawEncoder struct{}

func (rawEncoder) Begin(dst []byte) []byte { return dst }
func (rawEncoder) End(dst []byte) []byte   { return dst }

func (rawEncoder) Append(dst []byte, e *Event) []byte {
	dst = append(dst, e.Raw...)
	return append(dst, '\n')
}

// AppendEpochMillis appends t as epoch seconds with exactly three
// decimals: 1709622489.123. Sub-millisecond digits are dropped (the value
// is rounded towards the past, as time.Time.UnixMilli does).
func AppendEpochMillis(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	var u uint64
	if ms < 0 {
		dst = append(dst, '-')
		u = uint64(-ms)
	} else {
		u = uint64(ms)
	}
	dst = strconv.AppendUint(dst, u/1000, 10)
	f := u % 1000
	return append(dst, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}
