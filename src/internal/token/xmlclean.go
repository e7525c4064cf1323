package token

import (
	"bytes"
	"strings"
)

// XMLClean reports whether every text t can render is plain: printable
// ASCII other than '&', '<' and '>', and TAB and LF. XML element text
// takes such text as it is, so the modular input's encoder need not scan
// it. It is conservative: a token kind whose values it cannot vouch for
// (anything but random ipv4 and integers, whole lines of a file whose
// lines are all plain, and timestamps whose format has only plain text
// and numeric or English-name directives) makes it false.
func (t *Template) XMLClean(tokens []*Token) bool {
	for i := range t.segs {
		s := &t.segs[i]
		if !xmlPlain(string(s.lit)) || s.tok >= 0 && !tokens[s.tok].xmlClean() {
			return false
		}
	}
	return true
}

// xmlClean reports whether every value of the token is plain (XMLClean).
func (t *Token) xmlClean() bool {
	switch t.fast {
	case fastIPv4, fastInteger:
		return true // digits, dots, a minus sign
	case fastLine:
		for _, l := range t.file.lines {
			if !xmlPlain(l) {
				return false
			}
		}
		return true
	case fastTimestamp:
		for _, l := range t.layouts {
			if !plainLayout(l) {
				return false
			}
		}
		return len(t.layouts) == len(t.formats)
	}
	return false
}

// LineFree reports whether no text t can render holds a line feed, so
// that a framer that must know (syslog's line-feed framing) need not
// search each event for one. Conservative as XMLClean is: random ipv4
// and integers, whole lines of a file, and timestamps whose format is
// plain (plainLayout) without a literal line feed or the letter n (%n is
// a line feed; a literal n only costs the search).
func (t *Template) LineFree(tokens []*Token) bool {
	for i := range t.segs {
		s := &t.segs[i]
		if bytes.IndexByte(s.lit, '\n') >= 0 || s.tok >= 0 && !tokens[s.tok].lineFree() {
			return false
		}
	}
	return true
}

// lineFree reports whether no value of the token holds a line feed.
func (t *Token) lineFree() bool {
	switch t.fast {
	case fastIPv4, fastInteger:
		return true
	case fastLine:
		for _, l := range t.file.lines {
			if strings.IndexByte(l, '\n') >= 0 {
				return false
			}
		}
		return true
	case fastTimestamp:
		for _, l := range t.layouts {
			if !plainLayout(l) || strings.IndexByte(l, 'n') >= 0 || strings.IndexByte(l, '\n') >= 0 {
				return false
			}
		}
		return len(t.layouts) == len(t.formats)
	}
	return false
}

// xmlPlain reports whether s is plain text for XMLClean.
func xmlPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f || c == '&' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// plainDirectives are the strftime conversions whose output is digits,
// signs, spaces, colons, dots, slashes and English names (format.go):
// not %Z (a zone's name), nor %c, %x, %X and the other composite or
// locale forms.
const plainDirectives = "aAbBCdDeFfgGhHIjklmMnNpPRsStTuUVwWyYz%"

// plainLayout reports whether a strftime layout renders plain text only:
// its literal text is plain and each directive (flags, width, ':' and an
// E or O modifier allowed) is one of plainDirectives.
func plainLayout(l string) bool {
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c != '%' {
			if !xmlPlain(l[i : i+1]) {
				return false
			}
			continue
		}
		i++
		for i < len(l) && strings.IndexByte("-_0^#", l[i]) >= 0 {
			i++
		}
		for i < len(l) && '0' <= l[i] && l[i] <= '9' {
			i++
		}
		if i < len(l) && l[i] == ':' {
			i++
		}
		if i < len(l) && (l[i] == 'E' || l[i] == 'O') {
			i++
		}
		if i == len(l) || strings.IndexByte(plainDirectives, l[i]) < 0 {
			return false
		}
	}
	return true
}
