package timeutil

import (
	"errors"
	"unicode/utf8"
)

// directive is one %-sequence of a layout as glibc reads it: flags, a
// width, the colon of %:z, an E or O modifier, and the conversion
// character. strftime (format.go) and strptime (strptime.go) read layouts
// the same way and accept the same directives, so both use it.
type directive struct {
	seq      string // the whole sequence, e.g. "%-d" or "%3N"
	start    int    // its offset in the layout
	pad      byte   // from the last padding flag: 0 for '-', ' ' for '_', '0' for '0'
	padSet   bool
	upper    bool // '^'
	swap     bool // '#'
	minus    bool // '-' seen
	under    bool // '_' seen
	flags    int  // how many flag characters
	width    int
	hasWidth bool
	colon    bool // %:z
	mod      byte // 'E', 'O' or 0
	ch       byte // the conversion character; 0 when it is not ASCII
}

var (
	errLonePercent = errors.New("lone %")
	errIncomplete  = errors.New("incomplete directive")
)

// scanDirective reads the directive at layout[i], which is '%', and
// returns it with the offset just after it.
func scanDirective(layout string, i int) (directive, int, error) {
	d := directive{start: i}
	i++
	if i == len(layout) {
		return d, i, errLonePercent
	}
flags:
	for ; i < len(layout); i++ {
		switch layout[i] {
		case '-':
			d.pad, d.padSet, d.minus = 0, true, true
		case '_':
			d.pad, d.padSet, d.under = ' ', true, true
		case '0':
			d.pad, d.padSet = '0', true
		case '^':
			d.upper = true
		case '#':
			d.swap = true
		default:
			break flags
		}
		d.flags++
	}
	for ; i < len(layout) && '0' <= layout[i] && layout[i] <= '9'; i++ {
		d.hasWidth = true
		if d.width < 1000 {
			d.width = d.width*10 + int(layout[i]-'0')
		}
	}
	if i < len(layout) && layout[i] == ':' {
		d.colon = true
		i++
	}
	if i < len(layout) && (layout[i] == 'E' || layout[i] == 'O') {
		d.mod = layout[i]
		i++
	}
	if i == len(layout) {
		d.seq = layout[d.start:]
		return d, i, errIncomplete
	}
	if c := layout[i]; c < utf8.RuneSelf {
		d.ch = c
		i++
	} else {
		// Keep a multi-byte character whole in literals and messages.
		_, size := utf8.DecodeRuneInString(layout[i:])
		i += size
	}
	d.seq = layout[d.start:i]
	return d, i, nil
}

// conv is the conversion the directive names, or an invalid conv when
// Python's strftime would have printed it as text: the rules both
// ParseFormat and CompileLayout apply.
func (d directive) conv() conv {
	if d.ch == 0 {
		return conv{}
	}
	cv := convs[d.ch]
	decorated := d.padSet || d.upper || d.swap || d.hasWidth || d.mod != 0
	switch {
	case d.colon:
		// Python 3.12's %:z; any other use of the colon is unknown.
		if d.ch != 'z' || decorated {
			return conv{}
		}
		cv.kind = opZoneOffsetColon
	case cv.valid && cv.kind == opFraction:
		// %f and %N are not glibc's: Python replaced a bare %f itself, so
		// a flagged or modified one reached glibc and was printed
		// literally. Splunk's width is the only decoration.
		if d.padSet || d.upper || d.swap || d.mod != 0 {
			return conv{}
		}
	case d.mod == 'E' && !contains(validAfterE, d.ch), d.mod == 'O' && !contains(validAfterO, d.ch):
		return conv{}
	}
	return cv
}
