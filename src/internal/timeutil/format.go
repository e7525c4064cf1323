package timeutil

import (
	"errors"
	"fmt"
	"time"
)

// Format is a compiled strftime format. Immutable, safe for concurrent use.
//
// Compiling once lets a timestamp token render each event by walking a
// short list of literal and directive slots instead of re-reading the
// layout, which is what Python's strftime did on every call.
type Format struct {
	layout   string
	ops      []op
	runs     []run // ops grouped for Formatter: second-level runs and sub-second slots
	warnings []string
	need     need
	hasDir   bool
	sub      bool
	maxLen   int // an upper bound of the output length for common times, to size buffers
}

// compiler is a Format under construction.
type compiler struct {
	*Format
	pending []byte // literal text not yet in ops
}

// run is a group of consecutive ops: either ops whose output only depends
// on the second (cached by Formatter) or a single sub-second op.
type run struct {
	lo, hi int
	frac   bool
}

// opKind says what one slot of a compiled format renders.
type opKind uint8

const (
	opLiteral opKind = iota
	opWeekdayShort
	opWeekdayLong
	opMonthShort
	opMonthLong
	opAMPM      // %p: AM/PM
	opAMPMLower // %P: am/pm
	opZoneName
	opZoneOffset      // %z: +hhmm
	opZoneOffsetColon // %:z: +hh:mm
	opFraction        // %f, %N and their widths
	// Numbers from here on.
	opCentury
	opDay
	opHour24
	opHour12
	opYearDay
	opMonth
	opMinute
	opSecond
	opEpoch
	opWeekdayMon1 // %u: 1..7, Monday = 1
	opWeekdaySun0 // %w: 0..6, Sunday = 0
	opWeekSun     // %U
	opWeekMon     // %W
	opISOWeek     // %V
	opYear
	opYear2
	opISOYear
	opISOYear2
)

// caseMode is the effect of glibc's ^ and # flags on text.
type caseMode uint8

const (
	caseKeep caseMode = iota
	caseUpper
	caseLower
)

// op is one slot of a compiled format.
type op struct {
	kind  opKind
	pad   byte // numbers: '0', ' ' or 0 for none
	width uint8
	cas   caseMode
	lit   string
}

// need says which parts of a time a format reads, so that Append computes
// only those.
type need uint16

const (
	needDate need = 1 << iota
	needClock
	needWeekday
	needYearDay
	needISO
	needZone
	needUnix
	needNano
)

// conv describes one conversion character.
type conv struct {
	kind   opKind
	width  uint8  // digits of a number (glibc's natural width)
	pad    byte   // default padding of a number
	expand string // composite directives expand to this layout
	lit    string // %%, %n and %t stand for this text
	valid  bool
}

// convs maps a conversion character to its meaning in the C locale.
// Widths and paddings are glibc's: %Y, %G and %C are never padded (year 1
// is "1"), %e, %k and %l pad with spaces.
var convs = func() (c [128]conv) {
	num := func(ch byte, k opKind, width uint8, pad byte) {
		c[ch] = conv{kind: k, width: width, pad: pad, valid: true}
	}
	text := func(ch byte, k opKind) { c[ch] = conv{kind: k, valid: true} }
	comp := func(ch byte, layout string) { c[ch] = conv{expand: layout, valid: true} }
	text('a', opWeekdayShort)
	text('A', opWeekdayLong)
	text('b', opMonthShort)
	text('h', opMonthShort)
	text('B', opMonthLong)
	text('p', opAMPM)
	text('P', opAMPMLower)
	text('z', opZoneOffset)
	text('Z', opZoneName)
	text('f', opFraction)
	text('N', opFraction)
	num('C', opCentury, 1, 0)
	num('d', opDay, 2, '0')
	num('e', opDay, 2, ' ')
	num('H', opHour24, 2, '0')
	num('k', opHour24, 2, ' ')
	num('I', opHour12, 2, '0')
	num('l', opHour12, 2, ' ')
	num('j', opYearDay, 3, '0')
	num('m', opMonth, 2, '0')
	num('M', opMinute, 2, '0')
	num('S', opSecond, 2, '0')
	num('s', opEpoch, 1, 0)
	num('u', opWeekdayMon1, 1, 0)
	num('w', opWeekdaySun0, 1, 0)
	num('U', opWeekSun, 2, '0')
	num('W', opWeekMon, 2, '0')
	num('V', opISOWeek, 2, '0')
	num('y', opYear2, 2, '0')
	num('Y', opYear, 1, 0)
	num('g', opISOYear2, 2, '0')
	num('G', opISOYear, 1, 0)
	comp('c', "%a %b %e %H:%M:%S %Y")
	comp('D', "%m/%d/%y")
	comp('x', "%m/%d/%y")
	comp('F', "%Y-%m-%d")
	comp('r', "%I:%M:%S %p")
	comp('R', "%H:%M")
	comp('T', "%H:%M:%S")
	comp('X', "%H:%M:%S")
	c['n'] = conv{lit: "\n", valid: true}
	c['t'] = conv{lit: "\t", valid: true}
	c['%'] = conv{lit: "%", valid: true}
	return c
}()

// The conversions glibc accepts after the E and O modifiers; any other
// combination is printed literally, as glibc does.
const (
	validAfterE = "cnprstuxyzCPRTXYZ%"
	validAfterO = "bdeghjklmnprstuwyzBCGHIMPRSTUVWZ%"
)

// ParseFormat compiles a strftime layout.
//
// It accepts the glibc directives of the C locale with the glibc flags
// - (no padding), _ (space padding), 0 (zero padding), ^ (upper case) and
// # (swap case) and the E and O modifiers, Python's %f (microseconds) and
// %:z (+hh:mm), and Splunk's %N (nanoseconds) with an optional width of 1
// to 9 digits on %N and %f (%3N, %3f: milliseconds, truncated). Unknown
// directives are kept literally and reported by Warnings.
func ParseFormat(layout string) (*Format, error) {
	f := &Format{layout: layout}
	c := &compiler{Format: f}
	if err := c.compile(layout, caseKeep); err != nil {
		return nil, err
	}
	c.flush()
	f.finish()
	return f, nil
}

func (f *compiler) compile(layout string, outer caseMode) error {
	for i := 0; i < len(layout); {
		c := layout[i]
		if c != '%' {
			j := i + 1
			for j < len(layout) && layout[j] != '%' {
				j++
			}
			f.literal(layout[i:j])
			i = j
			continue
		}
		d, next, err := scanDirective(layout, i)
		switch {
		case errors.Is(err, errLonePercent):
			return fmt.Errorf("strftime format %q: lone %% at the end (write %%%% for a literal percent sign)", f.layout)
		case err != nil:
			return fmt.Errorf("strftime format %q: incomplete directive %q at the end (write %%%% for a literal percent sign)", f.layout, d.seq)
		}
		i = next
		seq, ch, width, hasWidth, padSet, pad, upper, swap := d.seq, d.ch, d.width, d.hasWidth, d.padSet, d.pad, d.upper, d.swap
		cv := d.conv()
		if !cv.valid {
			f.literal(seq)
			f.warn(fmt.Sprintf("unknown directive %q left as literal text (as Python's strftime did)", seq))
			continue
		}
		if hasWidth {
			if cv.kind != opFraction || cv.expand != "" || cv.lit != "" {
				return fmt.Errorf("strftime format %q: width %d on %%%c (only %%N and %%f take a width, as in %%3N)", f.layout, width, ch)
			}
			if width < 1 || width > 9 {
				return fmt.Errorf("strftime format %q: width %d on %%%c (use 1 to 9 digits, as in %%3N)", f.layout, width, ch)
			}
		}
		cas := outer
		if upper && cas == caseKeep {
			cas = caseUpper
		}
		if cv.lit != "" {
			f.literal(cv.lit)
			continue
		}
		if cv.expand != "" {
			// glibc renders composites recursively and upper-cases the
			// whole result for ^; padding flags do not reach the parts.
			f.hasDir = true
			if err := f.compile(cv.expand, cas); err != nil {
				return err
			}
			continue
		}
		o := op{kind: cv.kind, width: cv.width, pad: cv.pad}
		switch cv.kind {
		case opFraction:
			o.width = 6
			if ch == 'N' {
				o.width = 9
			}
			if hasWidth {
				o.width = uint8(width)
			}
		case opAMPMLower:
			o.cas = caseLower // glibc: %P stays lower case even with ^
		case opAMPM, opZoneName:
			o.cas = cas
			if swap {
				o.cas = caseLower
			}
		case opWeekdayShort, opWeekdayLong, opMonthShort, opMonthLong:
			o.cas = cas
			if swap {
				o.cas = caseUpper
			}
		}
		if o.kind >= opCentury && padSet {
			o.pad = pad
		}
		f.hasDir = true
		f.add(o)
	}
	return nil
}

func contains(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

// literal adds text, merged with the literal text around it.
func (f *compiler) literal(s string) { f.pending = append(f.pending, s...) }

// add adds a directive op after the pending literal text.
func (f *compiler) add(o op) {
	f.flush()
	f.ops = append(f.ops, o)
}

func (f *compiler) flush() {
	if len(f.pending) > 0 {
		f.ops = append(f.ops, op{kind: opLiteral, lit: string(f.pending)})
		f.pending = f.pending[:0]
	}
}

func (f *Format) warn(w string) {
	for _, old := range f.warnings {
		if old == w {
			return
		}
	}
	f.warnings = append(f.warnings, w)
}

// finish computes what Append needs to know about the ops.
func (f *Format) finish() {
	for i, o := range f.ops {
		f.need |= o.kind.needs()
		f.maxLen += o.maxLen()
		if o.kind == opFraction {
			f.sub = true
			f.runs = append(f.runs, run{lo: i, hi: i + 1, frac: true})
			continue
		}
		if n := len(f.runs); n > 0 && !f.runs[n-1].frac {
			f.runs[n-1].hi = i + 1
			continue
		}
		f.runs = append(f.runs, run{lo: i, hi: i + 1})
	}
}

func (k opKind) needs() need {
	switch k {
	case opWeekdayShort, opWeekdayLong, opWeekdayMon1, opWeekdaySun0:
		return needWeekday
	case opMonthShort, opMonthLong, opDay, opMonth, opYear, opYear2, opCentury:
		return needDate
	case opAMPM, opAMPMLower, opHour24, opHour12, opMinute, opSecond:
		return needClock
	case opZoneName, opZoneOffset, opZoneOffsetColon:
		return needZone
	case opFraction:
		return needNano
	case opEpoch:
		return needUnix
	case opYearDay:
		return needYearDay
	case opWeekSun, opWeekMon:
		return needYearDay | needWeekday
	case opISOWeek, opISOYear, opISOYear2:
		return needISO
	}
	return 0
}

func (o *op) maxLen() int {
	switch o.kind {
	case opLiteral:
		return len(o.lit)
	case opWeekdayLong, opMonthLong:
		return 9
	case opZoneName:
		return 8
	case opFraction:
		return int(o.width)
	case opEpoch, opYear, opISOYear, opCentury:
		return 12
	}
	return 6
}

// String returns the layout ParseFormat was given.
func (f *Format) String() string { return f.layout }

// Warnings lists what the layout contains that was kept literally, such as
// an unknown directive "%Q"; Python printed those silently.
func (f *Format) Warnings() []string {
	if len(f.warnings) == 0 {
		return nil
	}
	return append([]string(nil), f.warnings...)
}

// HasDirective reports whether the output depends on the time. It is
// false for a layout made only of text, %%, %n, %t and unknown directives:
// Eventgen left a timestamp token with such a format unreplaced.
func (f *Format) HasDirective() bool { return f.hasDir }

// SubSecond reports whether the output depends on the fraction of the
// second (%f, %N and their widths), that is whether two times within the
// same second can render differently.
func (f *Format) SubSecond() bool { return f.sub }

// Append appends t, rendered in its own location, to dst. It does not
// allocate beyond growing dst.
func (f *Format) Append(dst []byte, t time.Time) []byte {
	var v values
	v.load(t, f.need)
	for i := range f.ops {
		dst = f.ops[i].append(dst, &v)
	}
	return dst
}

// values holds the parts of a time a format reads, computed once per
// Append.
type values struct {
	year, day        int
	month            time.Month
	hour, min, sec   int
	nsec             int
	wday             time.Weekday
	yday             int // 1-based
	isoYear, isoWeek int
	zone             string
	offset           int
	unix             int64
}

func (v *values) load(t time.Time, n need) {
	if n&needDate != 0 {
		v.year, v.month, v.day = t.Date()
	}
	if n&needClock != 0 {
		v.hour, v.min, v.sec = t.Clock()
	}
	if n&needWeekday != 0 {
		v.wday = t.Weekday()
	}
	if n&needYearDay != 0 {
		v.yday = t.YearDay()
	}
	if n&needISO != 0 {
		v.isoYear, v.isoWeek = t.ISOWeek()
	}
	if n&needZone != 0 {
		v.zone, v.offset = t.Zone()
	}
	if n&needUnix != 0 {
		v.unix = t.Unix()
	}
	if n&needNano != 0 {
		v.nsec = t.Nanosecond()
	}
}

var (
	weekdayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames   = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

func (o *op) append(dst []byte, v *values) []byte {
	switch o.kind {
	case opLiteral:
		return append(dst, o.lit...)
	case opWeekdayShort:
		return appendText(dst, weekdayNames[v.wday][:3], o.cas)
	case opWeekdayLong:
		return appendText(dst, weekdayNames[v.wday], o.cas)
	case opMonthShort:
		return appendText(dst, monthNames[v.month-1][:3], o.cas)
	case opMonthLong:
		return appendText(dst, monthNames[v.month-1], o.cas)
	case opAMPM:
		if v.hour < 12 {
			return appendText(dst, "AM", o.cas)
		}
		return appendText(dst, "PM", o.cas)
	case opAMPMLower:
		if v.hour < 12 {
			return append(dst, "am"...)
		}
		return append(dst, "pm"...)
	case opZoneName:
		if v.zone == "" {
			return appendOffset(dst, v.offset, false)
		}
		return appendText(dst, v.zone, o.cas)
	case opZoneOffset:
		return appendOffset(dst, v.offset, false)
	case opZoneOffsetColon:
		return appendOffset(dst, v.offset, true)
	case opFraction:
		return appendFraction(dst, v.nsec, int(o.width))
	}
	return appendInt(dst, o.number(v), int(o.width), o.pad)
}

// number returns the value of a numeric op.
func (o *op) number(v *values) int64 {
	switch o.kind {
	case opCentury:
		return int64(floorDiv(v.year, 100))
	case opDay:
		return int64(v.day)
	case opHour24:
		return int64(v.hour)
	case opHour12:
		h := v.hour % 12
		if h == 0 {
			h = 12
		}
		return int64(h)
	case opYearDay:
		return int64(v.yday)
	case opMonth:
		return int64(v.month)
	case opMinute:
		return int64(v.min)
	case opSecond:
		return int64(v.sec)
	case opEpoch:
		return v.unix
	case opWeekdayMon1:
		if v.wday == time.Sunday {
			return 7
		}
		return int64(v.wday)
	case opWeekdaySun0:
		return int64(v.wday)
	case opWeekSun:
		// Weeks start on Sunday; days before the first Sunday are week 0.
		return int64((v.yday - 1 + 7 - int(v.wday)) / 7)
	case opWeekMon:
		return int64((v.yday - 1 + 7 - (int(v.wday)+6)%7) / 7)
	case opISOWeek:
		return int64(v.isoWeek)
	case opYear:
		return int64(v.year)
	case opYear2:
		return int64(floorMod(v.year, 100))
	case opISOYear:
		return int64(v.isoYear)
	case opISOYear2:
		return int64(floorMod(v.isoYear, 100))
	}
	return 0
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func floorMod(a, b int) int {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

func appendText(dst []byte, s string, c caseMode) []byte {
	switch c {
	case caseUpper:
		for i := 0; i < len(s); i++ {
			b := s[i]
			if 'a' <= b && b <= 'z' {
				b -= 'a' - 'A'
			}
			dst = append(dst, b)
		}
		return dst
	case caseLower:
		for i := 0; i < len(s); i++ {
			b := s[i]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			dst = append(dst, b)
		}
		return dst
	}
	return append(dst, s...)
}

// appendInt appends n padded with pad to width digits (no padding when pad
// is 0); a minus sign comes before the padding.
func appendInt(dst []byte, n int64, width int, pad byte) []byte {
	u := uint64(n)
	if n < 0 {
		dst = append(dst, '-')
		u = -u
	}
	var buf [20]byte
	i := len(buf)
	for u >= 10 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = byte('0' + u)
	if pad != 0 {
		for w := len(buf) - i; w < width; w++ {
			dst = append(dst, pad)
		}
	}
	return append(dst, buf[i:]...)
}

// appendFraction appends the first digits digits of nsec (truncated, as
// Splunk and Python do, never rounded up into the next second).
func appendFraction(dst []byte, nsec, digits int) []byte {
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + nsec%10)
		nsec /= 10
	}
	return append(dst, buf[:digits]...)
}

// appendOffset appends a UTC offset as +hhmm or +hh:mm; seconds of an
// offset are dropped, as glibc does.
func appendOffset(dst []byte, offset int, colon bool) []byte {
	sign := byte('+')
	if offset < 0 {
		sign = '-'
		offset = -offset
	}
	m := offset / 60
	dst = append(dst, sign)
	dst = appendInt(dst, int64(m/60), 2, '0')
	if colon {
		dst = append(dst, ':')
	}
	return appendInt(dst, int64(m%60), 2, '0')
}
