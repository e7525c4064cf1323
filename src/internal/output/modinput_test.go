package output

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// refXMLEscaped is the escaping of modinput.go (its doc comment) written
// the plain way, one character at a time, as the reference for
// appendXMLEscaped's faster scan.
func refXMLEscaped(s []byte, attr bool) []byte {
	var b []byte
	for _, r := range string(s) { // each invalid byte comes as U+FFFD
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case attr && r == '"':
			b = append(b, "&quot;"...)
		case attr && r == '\t':
			b = append(b, "&#x9;"...)
		case attr && r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\t' || r == '\n':
			b = append(b, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// TestXMLEscapedMatchesReference checks appendXMLEscaped against the
// reference on every byte value at every offset of an 8-byte word, next
// to clean runs of every length, and on multi-byte and invalid sequences
// across word boundaries, from []byte and from string.
func TestXMLEscapedMatchesReference(t *testing.T) {
	var inputs [][]byte
	for b := range 256 {
		for off := range 17 {
			s := []byte(strings.Repeat("a", off) + "_" + strings.Repeat("z", 17-off))
			s[off] = byte(b)
			inputs = append(inputs, s)
		}
	}
	for _, tc := range encoderCases {
		inputs = append(inputs, tc.e.Raw, []byte(tc.e.Host), []byte(tc.e.Stanza))
	}
	inputs = append(inputs,
		[]byte("1234567\u00e9\u65e5\u672c\U0001F389 multi-byte across words"),
		[]byte("1234567\xe2\x82 cut at a word boundary \xe2"),
		[]byte("&&&&&&&&<<<<<<<<>>>>>>>>\r\r\r\r\r\r\r\r\t\t\t\t\t\t\t\t\n\n\n\n\n\n\n\n"),
		[]byte("line one\nline two\tcolumn\nline three is longer than eight bytes"),
		[]byte("=?;:%$#\"!'()*+,-./0123456789@[\\]^_`{|}~\x7f"), // near the bytes looked for
		nil,
	)
	for _, s := range inputs {
		for _, attr := range []bool{false, true} {
			want := append([]byte("prefix"), refXMLEscaped(s, attr)...)
			if got := appendXMLEscaped([]byte("prefix"), s, attr); !bytes.Equal(got, want) {
				t.Errorf("appendXMLEscaped(%q, attr %v) = %q, want %q", s, attr, got, want)
			}
			if got := appendXMLEscaped([]byte("prefix"), string(s), attr); !bytes.Equal(got, want) {
				t.Errorf("appendXMLEscaped(string %q, attr %v) = %q, want %q", s, attr, got, want)
			}
		}
	}
}

func FuzzXMLEscaped(f *testing.F) {
	for _, tc := range encoderCases {
		f.Add(tc.e.Raw, false)
	}
	f.Fuzz(func(t *testing.T, s []byte, attr bool) {
		if got, want := appendXMLEscaped(nil, s, attr), refXMLEscaped(s, attr); !bytes.Equal(got, want) {
			t.Errorf("appendXMLEscaped(%q, attr %v) = %q, want %q", s, attr, got, want)
		}
	})
}

// TestModinputCacheSameBytes checks that the cached metadata gives the
// bytes of the uncached path, whatever the order of the events: each
// metadata set repeated (cache hits), interleaved (misses), and with the
// same strings in different fields.
func TestModinputCacheSameBytes(t *testing.T) {
	var events []Event
	for i := range encoderCases {
		e := encoderCases[i].e
		events = append(events, e, e, e)
	}
	for range 3 {
		for i := range encoderCases {
			events = append(events, encoderCases[i].e)
		}
	}
	swapped := encoderCases[0].e
	swapped.Host, swapped.Source = swapped.Source, swapped.Host
	events = append(events, encoderCases[0].e, swapped, encoderCases[0].e)
	enc := new(modinputEncoder)
	var got, want []byte
	for round := range 2 * metaRebuild / len(events) {
		for i := range events {
			got = enc.Append(got[:0], &events[i])
			want = appendModinputEvent(want[:0], &events[i])
			if !bytes.Equal(got, want) {
				t.Fatalf("round %d, event %d:\ngot  %s\nwant %s", round, i, got, want)
			}
		}
	}
}

// TestModinputCacheAllocations checks that a stanza's metadata is escaped
// once (no allocation per event once cached), and that metadata changing
// with every event allocates at most once per metaRebuild events.
func TestModinputCacheAllocations(t *testing.T) {
	allocs := func(events []Event, n int) uint64 {
		enc := new(modinputEncoder)
		dst := make([]byte, 0, 4096)
		dst = enc.Append(dst, &events[0])
		// AllocsPerRun runs at GOMAXPROCS 1, so that other goroutines
		// of the test binary do not count (runtime.MemStats is global).
		return uint64(testing.AllocsPerRun(1, func() {
			for i := range n {
				dst = enc.Append(dst[:0], &events[i%len(events)])
			}
		}))
	}
	e := benchEvent()
	if n := allocs([]Event{e}, 10000); n != 0 {
		t.Errorf("one stanza: %d allocations in 10000 events, want 0", n)
	}
	// One stanza whose host changes with every event.
	rows := make([]Event, 7)
	for i := range rows {
		rows[i] = e
		rows[i].Host = strings.Repeat("h", i+1)
	}
	const n = 100 * metaRebuild
	// Two allocations (the entry and its bytes) per rebuild, plus the
	// first ones.
	if got, max := allocs(rows, n), uint64(2*(n/metaRebuild+11)); got > max {
		t.Errorf("changing host: %d allocations in %d events, want at most %d", got, n, max)
	}
}

// framed encodes e with a Framer into dst as a framed generator does: the
// text rendered in place between Open and Close.
func framed(f Framer, dst []byte, e *Event) []byte {
	f.Meta(e)
	dst = f.Open(dst, StampOf(e.Time))
	start := len(dst)
	dst = append(dst, e.Raw...)
	return f.Close(dst, start, 0)
}

// TestFramerSameBytes checks that the Framer gives Append's bytes: every
// encoder case, every byte value at every offset of a word, times in one
// second and across seconds, a stanza attribute set by the framer, and a
// buffer with no room left (Close's escaping then moves to a new array).
func TestFramerSameBytes(t *testing.T) {
	enc := new(modinputEncoder)
	var events []Event
	for _, tc := range encoderCases {
		events = append(events, tc.e)
	}
	base := encoderCases[0].e
	for b := range 256 {
		for off := 0; off < 17; off += 3 {
			e := base
			s := []byte(strings.Repeat("a", off) + "_" + strings.Repeat("z", 17-off))
			s[off] = byte(b)
			e.Raw = s
			e.Time = base.Time.Add(time.Duration(b*off) * 7 * time.Millisecond)
			events = append(events, e)
		}
	}
	for _, stanza := range []string{"", "eventgen://mine"} {
		f := NewFramer(enc, stanza)
		var got []byte
		for i := range events {
			e := events[i]
			got = framed(f, got[:0], &e)
			if stanza != "" {
				e.Stanza = stanza
			}
			want := appendModinputEvent(nil, &e)
			if !bytes.Equal(got, want) {
				t.Fatalf("stanza %q, event %d:\ngot  %q\nwant %q", stanza, i, got, want)
			}
			tight := framed(f, make([]byte, 0, len(want)-len("</data></event>\n")), &e)
			if !bytes.Equal(tight, want) {
				t.Fatalf("stanza %q, event %d, full buffer:\ngot  %q\nwant %q", stanza, i, tight, want)
			}
		}
	}
	// Plain text goes as it is.
	e := base
	e.Raw = []byte("plain text\twith a tab")
	want := appendModinputEvent(nil, &e)
	f := NewFramer(enc, "")
	f.Meta(&e)
	got := f.Open(nil, StampOf(e.Time))
	got = f.Close(append(got, e.Raw...), len(got), TextPlain)
	if !bytes.Equal(got, want) {
		t.Errorf("plain text:\ngot  %q\nwant %q", got, want)
	}
	if raw, _ := NewEncoder("raw"); NewFramer(raw, "") != nil {
		t.Error("the raw encoder has a Framer")
	}
}

func FuzzFramer(f *testing.F) {
	for _, tc := range encoderCases {
		f.Add(tc.e.Raw, tc.e.Host, int64(1709510400123))
	}
	enc := new(modinputEncoder)
	f.Fuzz(func(t *testing.T, raw []byte, host string, ms int64) {
		e := Event{Raw: raw, Host: host, Index: "main", Time: time.UnixMilli(ms)}
		if got, want := framed(NewFramer(enc, ""), nil, &e), appendModinputEvent(nil, &e); !bytes.Equal(got, want) {
			t.Errorf("framed %+v:\ngot  %q\nwant %q", e, got, want)
		}
	})
}

// TestStamp: a Stamp stands for the time.Time it was made from, location
// included, and answers IsZero and UnixMilli as that Time does, before
// 1970, at the zero time and a nanosecond from it, and in other zones.
func TestStamp(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	for _, tm := range []time.Time{
		{},
		time.Time{}.Add(time.Nanosecond),
		time.Time{}.Add(-time.Nanosecond),
		time.Date(1969, 12, 31, 23, 59, 58, 500_000_000, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Unix(0, 0).UTC(),
		time.Date(2024, 3, 4, 13, 40, 2, 123_456_789, kolkata),
		time.Date(2286, 11, 20, 17, 46, 40, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.Local),
	} {
		s := StampOf(tm)
		if got := s.Time(); !got.Equal(tm) || got.Location() != tm.Location() {
			t.Errorf("%v: Time() = %v", tm, got)
		}
		if s.IsZero() != tm.IsZero() {
			t.Errorf("%v: IsZero() = %v", tm, s.IsZero())
		}
		if s.UnixMilli() != tm.UnixMilli() {
			t.Errorf("%v: UnixMilli() = %d, want %d", tm, s.UnixMilli(), tm.UnixMilli())
		}
	}
}
