package output

import "unicode/utf8"

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
type modinputEncoder struct{}

func (modinputEncoder) Begin(dst []byte) []byte { return append(dst, "<stream>\n"...) }
func (modinputEncoder) End(dst []byte) []byte   { return append(dst, "</stream>\n"...) }

func (modinputEncoder) Append(dst []byte, e *Event) []byte {
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
	dst = append(dst, '>')
	if !e.Time.IsZero() {
		dst = append(dst, "<time>"...)
		dst = AppendEpochMillis(dst, e.Time)
		dst = append(dst, "</time>"...)
	}
	dst = appendXMLElement(dst, "<index>", "</index>", e.Index)
	dst = appendXMLElement(dst, "<host>", "</host>", e.Host)
	dst = appendXMLElement(dst, "<source>", "</source>", e.Source)
	dst = appendXMLElement(dst, "<sourcetype>", "</sourcetype>", e.Sourcetype)
	dst = append(dst, "<data>"...)
	dst = appendXMLEscaped(dst, e.Raw, false)
	return append(dst, "</data></event>\n"...)
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
// true, for a double-quoted attribute value.
func appendXMLEscaped[S []byte | string](dst []byte, s S, attr bool) []byte {
	class := &xmlText
	if attr {
		class = &xmlAttr
	}
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			c := class[b]
			if c == xmlKeep {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			if c == xmlEscape {
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
