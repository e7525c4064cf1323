package output

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Encoder appends the wire form of events to dst. Implementations are
// safe for concurrent use, and allocate nothing per event (a cache of
// per-stanza parts may allocate when metadata changes).
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
		return new(modinputEncoder), nil
	}
	return nil, fmt.Errorf("output: unknown format %q (valid: %s)", format, strings.Join(formats, ", "))
}

// RawLiner is an Encoder whose wire form is each event's _raw followed by
// "\n", without its trailing white space when trim: the generators that
// render in place (generate.RawGenerator) can write it straight into the
// chunk. The raw format (trim false), tcpout and udpout (trim true).
type RawLiner interface {
	Encoder
	RawLines() (trim bool)
}

// TrimSpace drops trailing ASCII white space (Eventgen's _raw.rstrip()).
func TrimSpace(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			b = b[:len(b)-1]
		default:
			return b
		}
	}
	return b
}

// rawEncoder writes Raw followed by "\n". Multi-line events stay as they
// are. Eventgen's stdout output stripped trailing whitespace; this one
// keeps what the sample line ends with (TestStreamMatchesStdout in the
// engine shows the difference with tcpout, which strips).
type rawEncoder struct{}

func (rawEncoder) RawLines() bool { return false }

func (rawEncoder) Begin(dst []byte) []byte { return dst }
func (rawEncoder) End(dst []byte) []byte   { return dst }

func (rawEncoder) Append(dst []byte, e *Event) []byte {
	dst = append(dst, e.Raw...)
	return append(dst, '\n')
}

// digitPairs holds "00" to "99".
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// AppendEpochMillis appends t as epoch seconds with exactly three
// decimals: 1709622489.123. Sub-millisecond digits are dropped (the value
// is rounded towards the past, as time.Time.UnixMilli does).
func AppendEpochMillis(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms >= 1e12 && ms < 1e13 {
		// Ten digits of seconds, 2001-09-09 to 2286-11-20: written two
		// digits at a time into a fixed array, for the modinput and jsonl
		// encoders, which write one per event.
		var b [14]byte
		u, f := uint64(ms/1000), uint64(ms%1000)
		for i := 8; i >= 0; i -= 2 {
			q := u / 100
			r := (u - q*100) * 2
			b[i], b[i+1] = digitPairs[r], digitPairs[r+1]
			u = q
		}
		b[10], b[11], b[12], b[13] = '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10)
		return append(dst, b[:]...)
	}
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
