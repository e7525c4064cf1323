package output

import (
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// modinputEncoder writes splunkd's XML streaming format for modular inputs
// (streaming_mode=xml, splunk-platform.md §1.7): one pre-broken event per
// <event> element, without unbroken="1", so a multi-line event stays one
// event and the sourcetype's line breaking is not applied to it.
//
//	<event stanza="eventgen://x"><time>1709622489.123</time><index>main</index><host>h</host><source>s</source><sourcetype>st</sourcetype><data>...</data></event>
//
// Every field is escaped; Eventgen 7.2.1 escaped only the data
// (eventgen-inventory.md §6 bug 38), so a host such as "h<1>&x" broke the
// stream. Metadata elements (and the stanza attribute) whose value is
// empty are left out, so splunkd uses the input's defaults; a zero Time
// leaves out <time>, so Splunk extracts the timestamp from the data.
//
// Escaping (XML 1.0):
//   - '&', '<' and '>' become &amp; &lt; &gt;; in the attribute '"' also
//     becomes &quot;, and TAB, LF and CR become character references so
//     attribute-value normalization does not turn them into spaces.
//   - CR becomes &#xD; in element text too: a literal CR would be turned
//     into LF by every conforming parser (XML 1.0 §2.11, end-of-line
//     handling), losing the CR of CRLF lines. TAB and LF are kept as is.
//   - Characters that XML 1.0 forbids (C0 controls other than TAB, LF and
//     CR; U+FFFE and U+FFFF) are dropped.
//   - Each byte of invalid UTF-8 becomes U+FFFD.
//
// Per event only the time and the data change: the escaped metadata
// (everything before <time> and between </time> and the data) is built
// once per distinct set of values and kept in a small cache, and the data
// is escaped by a scan that copies runs of plain ASCII in bulk. The output
// is the same, byte for byte, as escaping every field of every event.
type modinputEncoder struct {
	// meta caches the escaped metadata, one entry per slot; a stanza's
	// events go to one slot (metaSlotOf), so stanzas sharing the encoder do
	// not evict each other unless their names collide.
	meta [metaSlots]metaSlot
}

// metaSlots is the number of cached metadata sets of a modinputEncoder.
const metaSlots = 8

// metaSlot is one entry of the metadata cache. Entries are immutable once
// stored, so the encoder stays safe for concurrent use without a lock.
type metaSlot struct {
	p atomic.Pointer[xmlMeta]
	// misses counts events whose metadata was not the cached one. Only
	// some misses build a new entry (an allocation, see rebuild), so
	// metadata that changes with every event (CSV rows with their own
	// host, host.token, several stanzas in one slot) costs the plain
	// escaping and almost never an allocation.
	misses atomic.Uint64
}

// rebuild reports whether the n-th miss of a slot (from 1) builds a new
// entry: the powers of two up to metaRebuild, then every metaRebuild-th.
// A slot whose metadata changed for good is rebuilt within metaRebuild
// events; one whose metadata changes all the time allocates once per
// metaRebuild events at most.
func rebuild(n uint64) bool { return n&(n-1) == 0 && n <= metaRebuild || n%metaRebuild == 0 }

const metaRebuild = 1024

// xmlMeta is the escaped form of one set of metadata values.
type xmlMeta struct {
	stanza, index, host, source, sourcetype string
	// head is `<event stanza="…"><time>`, tail `</time><index>…</index>…<data>`;
	// without a time, both are used without their time tag.
	head, tail []byte
}

const (
	timeOpen  = "<time>"
	timeClose = "</time>"
)

func (m *xmlMeta) matches(e *Event) bool {
	return m.stanza == e.Stanza && m.index == e.Index && m.host == e.Host &&
		m.source == e.Source && m.sourcetype == e.Sourcetype
}

func newXMLMeta(e *Event) *xmlMeta {
	// Room for the tags and the values escaped twice over (a value full
	// of '&' grows the buffer once more).
	size := 2*(len(e.Stanza)+len(e.Index)+len(e.Host)+len(e.Source)+len(e.Sourcetype)) + 128
	b := appendXMLHead(make([]byte, 0, size), e)
	b = append(b, timeOpen...)
	n := len(b)
	b = append(b, timeClose...)
	b = appendXMLMeta(b, e)
	return &xmlMeta{
		stanza: e.Stanza, index: e.Index, host: e.Host, source: e.Source, sourcetype: e.Sourcetype,
		head: b[:n:n], tail: b[n:],
	}
}

// metaSlotOf picks the cache slot of a stanza from its length and two of
// its bytes: cheap, and different for most stanza names.
func metaSlotOf(stanza string) int {
	h := len(stanza)
	if h > 0 {
		h += 7*int(stanza[h-1]) + 13*int(stanza[h/2])
	}
	return h % metaSlots
}

func (*modinputEncoder) Begin(dst []byte) []byte { return append(dst, "<stream>\n"...) }
func (*modinputEncoder) End(dst []byte) []byte   { return append(dst, "</stream>\n"...) }

func (enc *modinputEncoder) Append(dst []byte, e *Event) []byte {
	slot := &enc.meta[metaSlotOf(e.Stanza)]
	m := slot.p.Load()
	if m == nil || !m.matches(e) {
		if !rebuild(slot.misses.Add(1)) {
			return appendModinputEvent(dst, e)
		}
		m = newXMLMeta(e)
		slot.p.Store(m)
	}
	if e.Time.IsZero() {
		dst = append(dst, m.head[:len(m.head)-len(timeOpen)]...)
		dst = append(dst, m.tail[len(timeClose):]...)
	} else {
		dst = append(dst, m.head...)
		dst = AppendEpochMillis(dst, e.Time)
		dst = append(dst, m.tail...)
	}
	dst = appendXMLEscaped(dst, e.Raw, false)
	return append(dst, "</data></event>\n"...)
}

// appendModinputEvent appends e escaping every field: the uncached path.
func appendModinputEvent(dst []byte, e *Event) []byte {
	dst = appendXMLHead(dst, e)
	if !e.Time.IsZero() {
		dst = append(dst, timeOpen...)
		dst = AppendEpochMillis(dst, e.Time)
		dst = append(dst, timeClose...)
	}
	dst = appendXMLMeta(dst, e)
	dst = appendXMLEscaped(dst, e.Raw, false)
	return append(dst, "</data></event>\n"...)
}

// appendXMLHead appends `<event stanza="…">`, or `<event>` when the
// stanza is empty after escaping.
func appendXMLHead(dst []byte, e *Event) []byte {
	dst = append(dst, "<event"...)
	if e.Stanza != "" {
		n := len(dst)
		dst = append(dst, ` stanza="`...)
		m := len(dst)
		dst = appendXMLEscaped(dst, e.Stanza, true)
		if len(dst) == m {
			dst = dst[:n]
		} else {
			dst = append(dst, '"')
		}
	}
	return append(dst, '>')
}

// appendXMLMeta appends the metadata elements that are not empty, and
// the <data> tag.
func appendXMLMeta(dst []byte, e *Event) []byte {
	dst = appendXMLElement(dst, "<index>", "</index>", e.Index)
	dst = appendXMLElement(dst, "<host>", "</host>", e.Host)
	dst = appendXMLElement(dst, "<source>", "</source>", e.Source)
	dst = appendXMLElement(dst, "<sourcetype>", "</sourcetype>", e.Sourcetype)
	return append(dst, "<data>"...)
}

// appendXMLElement appends open, the escaped v and close, or nothing when
// v is empty after escaping.
func appendXMLElement(dst []byte, open, close, v string) []byte {
	if v == "" {
		return dst
	}
	n := len(dst)
	dst = append(dst, open...)
	m := len(dst)
	dst = appendXMLEscaped(dst, v, false)
	if len(dst) == m {
		return dst[:n]
	}
	return append(dst, close...)
}

// What appendXMLEscaped does with an ASCII byte.
const (
	xmlKeep = iota
	xmlDrop
	xmlEscape
)

// xmlText and xmlAttr classify ASCII bytes in element text and in a
// double-quoted attribute value.
var xmlText, xmlAttr = func() (text, attr [utf8.RuneSelf]uint8) {
	for b := range 0x20 {
		text[b], attr[b] = xmlDrop, xmlDrop
	}
	text['\t'], text['\n'] = xmlKeep, xmlKeep
	for _, b := range []byte("&<>\r") {
		text[b] = xmlEscape
	}
	for _, b := range []byte("&<>\"\t\n\r") {
		attr[b] = xmlEscape
	}
	return text, attr
}()

// appendXMLEscaped appends s escaped for XML element text or, when attr is
// true, for a double-quoted attribute value. Runs of bytes kept as they
// are (plain ASCII, and valid multi-byte characters) are copied whole;
// in element text, which carries every event's data, they are found
// eight bytes at a time (xmlTextRun).
func appendXMLEscaped[S []byte | string](dst []byte, s S, attr bool) []byte {
	class := &xmlText
	if attr {
		class = &xmlAttr
	}
	start, i := 0, 0
	for {
		if attr {
			for i < len(s) && s[i] < utf8.RuneSelf && xmlAttr[s[i]] == xmlKeep {
				i++
			}
		} else {
			i += xmlTextRun(s[i:])
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			if class[b] == xmlEscape {
				switch b {
				case '&':
					dst = append(dst, "&amp;"...)
				case '<':
					dst = append(dst, "&lt;"...)
				case '>':
					dst = append(dst, "&gt;"...)
				case '"':
					dst = append(dst, "&quot;"...)
				case '\t':
					dst = append(dst, "&#x9;"...)
				case '\n':
					dst = append(dst, "&#xA;"...)
				case '\r':
					dst = append(dst, "&#xD;"...)
				}
			}
			i++
			start = i
			continue
		}
		// At most utf8.UTFMax bytes are converted, so the conversion stays
		// on the stack.
		r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
		case r == 0xFFFE || r == 0xFFFF:
			dst = append(dst, s[start:i]...)
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

// xmlTextClean reports the bytes element text keeps as they are: ASCII
// other than the C0 controls, '&', '<', '>' (TAB and LF included, CR
// not).
var xmlTextClean = func() (t [256]bool) {
	for b := range utf8.RuneSelf {
		t[b] = xmlText[b] == xmlKeep
	}
	return t
}()

const (
	lsb = 0x0101010101010101 // the low bit of every byte
	msb = 0x8080808080808080 // the high bit of every byte
)

// xmlTextRun returns the length of the longest prefix of s made of
// xmlTextClean bytes. Eight bytes at a time, it looks for any byte that
// is non-ASCII, below 0x20, '&', '<' or '>' with the classic SWAR tests
// ((x-lsb*n) &^ x has the high bit set in some byte exactly when some
// byte of x is below n, for n <= 0x80; '<' and '>' are the two bytes
// that become '>' when bit 1 is set). A word with such a byte is looked
// at byte by byte, which also lets TAB and LF through.
func xmlTextRun[S []byte | string](s S) int {
	i := 0
	for {
		// Two words per round: the tests of one do not wait for the
		// other's.
		for ; i+16 <= len(s); i += 16 {
			if xmlWordFlags(load64(s, i))|xmlWordFlags(load64(s, i+8)) != 0 {
				break
			}
		}
		if i+8 <= len(s) && xmlWordFlags(load64(s, i)) == 0 {
			i += 8
		}
		end := min(i+8, len(s))
		for ; i < end; i++ {
			if !xmlTextClean[s[i]] {
				return i
			}
		}
		if i == len(s) {
			return i
		}
	}
}

// load64 returns the 8 bytes of s from i, little-endian; the compiler
// makes one load of it.
func load64[S []byte | string](s S, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// xmlWordFlags is not zero when some byte of x is non-ASCII, below 0x20,
// '&', '<' or '>'.
func xmlWordFlags(x uint64) uint64 {
	amp := x ^ (lsb * '&')
	angle := (x | lsb*0x02) ^ (lsb * '>')
	return ((x-lsb*0x20)&^x | x | (amp-lsb)&^amp | (angle-lsb)&^angle) & msb
}

// Framer wraps events rendered straight into a chunk in an output format
// (generate.FramedGenerator): Meta sets the metadata of the events to
// come, Open appends what precedes an event's text, and Close what
// follows it, escaping the text in place (it starts at start) unless the
// caller knows it need not (text). The bytes are those the encoder's
// Append gives. A Framer keeps state (the metadata, the last second
// written) and belongs to one goroutine.
type Framer interface {
	Meta(e *Event)
	Open(dst []byte, t Stamp) []byte
	Close(dst []byte, start int, text Text) []byte
}

// Stamp is an event's time as a framed generator holds it: Unix seconds
// and nanoseconds (in [0, 1e9)) and a location, the time.Time
// time.Unix(Sec, Nsec).In(Loc). A Framer reads what it needs of it (the
// modular input its milliseconds; syslog's RFC 3164 default, nothing),
// so that no event builds a time.Time a framer does not read (a
// calendar conversion per event: 2% of syslogout's profile).
type Stamp struct {
	Sec, Nsec int64
	Loc       *time.Location
}

// StampOf is t's Stamp.
func StampOf(t time.Time) Stamp {
	return Stamp{t.Unix(), int64(t.Nanosecond()), t.Location()}
}

// Time is the time.Time s stands for.
func (s Stamp) Time() time.Time { return time.Unix(s.Sec, s.Nsec).In(s.Loc) }

// zeroUnix is the zero time.Time's Unix second (January 1, year 1, UTC).
const zeroUnix = -62135596800

// IsZero reports whether s is the zero time (s.Time().IsZero()).
func (s Stamp) IsZero() bool { return s.Sec == zeroUnix && s.Nsec == 0 }

// UnixMilli is s.Time().UnixMilli(), computed as time computes it,
// without building the Time.
func (s Stamp) UnixMilli() int64 { return s.Sec*1000 + s.Nsec/1e6 }

// Text is what a generator knows of the text of the events it frames,
// so that a Framer can skip a scan of it: 0 when it knows nothing.
type Text uint8

const (
	// TextPlain: printable ASCII other than '&', '<' and '>', and TAB and
	// LF (token.Template.XMLClean).
	TextPlain Text = 1 << iota
	// TextOneLine: no line feed (token.Template.LineFree).
	TextOneLine
)

// FramedEncoder is an Encoder with a Framer of its own (syslogout's).
type FramedEncoder interface {
	Encoder
	NewFramer(stanza string) Framer
}

// NewFramer returns a Framer for enc, or nil when enc has none (raw and
// jsonl). stanza, when not empty, is the stanza attribute of every event.
func NewFramer(enc Encoder, stanza string) Framer {
	switch e := enc.(type) {
	case *modinputEncoder:
		return &modinputFramer{enc: e, stanza: stanza, sec: -1}
	case FramedEncoder:
		return e.NewFramer(stanza)
	}
	return nil
}

// modinputFramer is the modinput encoder's Framer. Per event it skips
// what Append does again for every event: looking up and comparing the
// metadata, and formatting the ten digits of the second.
type modinputFramer struct {
	enc    *modinputEncoder
	stanza string
	ev     Event // Meta's event with the stanza attribute set
	m      *xmlMeta
	sec    int64    // the second in secText, -1 for none
	secTxt [10]byte // its ten digits
}

func (f *modinputFramer) Meta(e *Event) {
	if f.stanza != "" && e.Stanza != f.stanza {
		f.ev = *e
		f.ev.Stanza = f.stanza
		e = &f.ev
	}
	if f.m != nil && f.m.matches(e) {
		return
	}
	slot := &f.enc.meta[metaSlotOf(e.Stanza)]
	if m := slot.p.Load(); m != nil && m.matches(e) {
		f.m = m
		return
	}
	// Built once per set of metadata a framer sees, kept by the framer
	// whatever happens to the slot.
	f.m = newXMLMeta(e)
	slot.p.Store(f.m)
}

func (f *modinputFramer) Open(dst []byte, t Stamp) []byte {
	m := f.m
	if t.IsZero() {
		dst = append(dst, m.head[:len(m.head)-len(timeOpen)]...)
		return append(dst, m.tail[len(timeClose):]...)
	}
	dst = append(dst, m.head...)
	ms := t.UnixMilli()
	if ms < 1e12 || ms >= 1e13 {
		dst = AppendEpochMillis(dst, t.Time())
		return append(dst, m.tail...)
	}
	sec, frac := ms/1000, ms%1000
	if sec != f.sec {
		f.sec = sec
		var b [14]byte
		copy(f.secTxt[:], AppendEpochMillis(b[:0], t.Time())) // its first ten bytes are the second's digits
	}
	dst = append(dst, f.secTxt[:]...)
	dst = append(dst, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return append(dst, m.tail...)
}

func (f *modinputFramer) Close(dst []byte, start int, text Text) []byte {
	if text&TextPlain != 0 {
		return append(dst, "</data></event>\n"...)
	}
	if n := start + xmlTextRun(dst[start:]); n < len(dst) {
		// Escape the rest after the text, then move it into place: the
		// escaped bytes are appended past the source, or into a new
		// array, so they never overwrite what is still to be read.
		end := len(dst)
		dst = appendXMLEscaped(dst, dst[n:end], false)
		dst = dst[:n+copy(dst[n:], dst[end:])]
	}
	return append(dst, "</data></event>\n"...)
}
