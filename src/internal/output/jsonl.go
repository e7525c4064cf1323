package output

import "unicode/utf8"

// jsonlEncoder writes one JSON object per line, keys in a fixed order:
//
//	{"_time":1709622489.123,"_raw":"...","index":"main","host":"h","source":"s","sourcetype":"st","stanza":"x"}
//
// Strings are escaped as encoding/json's Encoder with SetEscapeHTML(false)
// escapes them: '"', '\\' and control characters, U+2028 and U+2029 as
// \u2028 and \u2029, and every byte of invalid UTF-8 as \ufffd. '<', '>'
// and '&' are left as they are (json.Marshal would write \u003c etc.; both
// decode to the same string). A zero Time is written as "_time":null.
type jsonlEncoder struct{}

func (jsonlEncoder) Begin(dst []byte) []byte { return dst }
func (jsonlEncoder) End(dst []byte) []byte   { return dst }

func (jsonlEncoder) Append(dst []byte, e *Event) []byte {
	dst = append(dst, `{"_time":`...)
	if e.Time.IsZero() {
		dst = append(dst, "null"...)
	} else {
		dst = AppendEpochMillis(dst, e.Time)
	}
	dst = append(dst, `,"_raw":`...)
	dst = AppendJSONString(dst, e.Raw)
	dst = append(dst, `,"index":`...)
	dst = AppendJSONString(dst, e.Index)
	dst = append(dst, `,"host":`...)
	dst = AppendJSONString(dst, e.Host)
	dst = append(dst, `,"source":`...)
	dst = AppendJSONString(dst, e.Source)
	dst = append(dst, `,"sourcetype":`...)
	dst = AppendJSONString(dst, e.Sourcetype)
	dst = append(dst, `,"stanza":`...)
	dst = AppendJSONString(dst, e.Stanza)
	return append(dst, '}', '\n')
}

const hexDigits = "0123456789abcdef"

// jsonSafe reports the bytes that need no escaping in a JSON string:
// printable ASCII other than '"' and '\\'. Bytes >= utf8.RuneSelf start
// or continue a multi-byte sequence and are looked at by the slow path.
var jsonSafe = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// AppendJSONString appends s as a quoted JSON string, byte for byte as
// encoding/json with SetEscapeHTML(false) writes it, with no allocation.
// The HEC encoders use it too.
func AppendJSONString[S []byte | string](dst []byte, s S) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		for i < len(s) && jsonSafe[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
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
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
