package timeutil

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// Layout is a compiled strptime layout: the format Eventgen's replay mode
// applied, with Python's datetime.strptime, to the text a timestamp
// token's regex matched in a sample event. Immutable, safe for concurrent
// use.
//
// # Matching
//
// Matching follows Python 3.11's _strptime, which turns the layout into a
// regular expression: each directive tries its alternatives in Python's
// order (two digits before one, "%d" also takes " 5"), the match backtracks
// into earlier directives when later text does not fit, the first match
// found wins, and text left over after it is an error. Literal text is
// compared case-insensitively (Python compiles with re.IGNORECASE), as
// are month, weekday and AM/PM names (English, the C locale). White space
// in the layout, %n and %t match any run of one or more white-space
// characters.
//
// # Directives
//
// The directives are those [ParseFormat] accepts; flags (-, _, 0, ^, #)
// and the E and O modifiers are accepted too. Python's directives behave
// as in Python: %Y four digits, %y two (69-99 are 1969-1999, 00-68 are
// 2000-2068), %m %d %H %I %M %S %j %U %W %V one or more digits within
// range, %f one to six digits, %a %A %b %B %p names, %z +hhmm, -hhmm,
// +hh:mm, +hh:mm:ss or Z, %Z a zone name, %c %x %X the C locale's
// composites, %% a percent sign. Beyond Python:
//
//   - %s is epoch seconds, read with Eventgen's rule: fewer than 10 digits
//     are seconds, more are divided by 10^(digits-10), so millisecond,
//     microsecond and nanosecond epochs work. The fraction of a later %f
//     or %N replaces the epoch's own. The epoch decides the instant: other
//     date and time directives are matched but ignored, and %z (or a
//     trailing offset, see below) only picks the zone the result is shown
//     in.
//   - %N takes up to nine digits; %3N, %6N, %9N and %<n>f up to n.
//   - %Z accepts UTC, GMT, Z and the abbreviations the location passed to
//     Parse uses (EST and EDT for America/New_York), and then means that
//     zone, which also settles the repeated hour of a DST change. Python
//     accepted only UTC, GMT and the host's zone names and ignored them.
//   - %e is %d; %k and %l are %H and %I that also take a space-padded
//     digit; %h is %b; %P is %p; %C is the century (with %y: C*100+y,
//     alone: C*100); %g is a two-digit %G; %D, %F, %T, %R and %r expand as
//     in strftime. The - flag lets %Y, %G, %y, %g and %C take fewer digits,
//     the _ flag lets numbers be padded with spaces.
//   - A directive may appear more than once (Python raised re.error); the
//     last one wins.
//
// # Results
//
// Fields the layout lacks default as in Python: 1900-01-01 00:00:00.
// Eventgen then replaced the year 1900 with the current year; that is left
// to the caller, who should test [Layout.HasYear] rather than the year
// (a layout with %Y can read 1900). A year-less February 29 is returned in
// 1904, the year Python used internally (datetime.strptime raised "day is
// out of range for month" instead). %I without %p is a morning hour, %p
// without %I is ignored, as in Python, and so is a weekday that does not
// match the date. %j overrides the month and day; %U or %W with a weekday,
// and %G %V with a weekday, give the date as in Python.
//
// A time without %z is in the location passed to Parse (nil means UTC),
// resolved as time.Date resolves a wall clock. A time with %z is in a
// fixed zone of that offset, named like "+0530" (UTC for a zero offset),
// so its wall clock is the one in the text.
//
// Eventgen quirk, fixed: Eventgen dropped a trailing "+hhmm" from the
// sample's timestamp text (the fifth character from the end being "+")
// and parsed the rest as local time, so "+0530" was ignored, while a
// "-0500" stayed and failed the parse unless the layout had %z (and a
// layout ending in " %z" failed on "+0530"). Here, when the layout has
// no %z, a "+hhmm" or "-hhmm" left over after the layout, directly or
// after one space, is taken as the UTC offset of the time, whatever its
// sign: "10:00:00 -0500" with "%H:%M:%S" is 15:00 UTC. A layout with %z
// reads the offset there as usual.
//
// Seconds 60 and 61 match, as in Python's pattern, and are then refused,
// as datetime did. A layout so ambiguous that matching a value would take
// more than about a million steps (Python would take exponential time) is
// refused with an error.
//
// Errors say which directive failed at which byte position of the value
// and show the text found there, for example:
//
//	parse "12/Mar/2024" with "%d/%m/%Y": "Mar" is not a month number 1-12 (at %m, position 3)
type Layout struct {
	layout  string
	ops     []pop
	hasYear bool
	hasOff  bool // %z
}

// pkind says what one slot of a compiled layout matches.
type pkind uint8

const (
	pLit pkind = iota
	pSpace
	pNum
	pFrac
	pEpoch
	pMonthName
	pWeekdayName
	pAMPM
	pOffset
	pZone
)

// pfield is the field a number sets.
type pfield uint8

const (
	fYear pfield = iota
	fYear2
	fCentury
	fISOYear
	fISOYear2
	fMonth
	fDay
	fHour24
	fHour12
	fMinute
	fSecond
	fYearDay
	fWeekSun
	fWeekMon
	fISOWeek
	fWeekdaySun0
	fWeekdayMon1
)

// pop is one slot of a compiled layout.
type pop struct {
	kind     pkind
	field    pfield
	long     bool  // names: full names rather than abbreviations
	min, max uint8 // digits of a number or fraction
	space    bool  // a number may be padded with spaces
	lo, lo1  int   // smallest value with max digits, with fewer digits
	hi       int   // largest value
	lit      string
	dir      string // the directive, for errors, such as "%m"
	in       string // the composite it came from, such as "%c"
}

// numSpec describes a numeric directive in Python's terms.
type numSpec struct {
	field    pfield
	min, max uint8
	lo, lo1  int
	hi       int
	space    bool
}

var numSpecs = map[byte]numSpec{
	'C': {fCentury, 1, 2, 0, 0, 99, false},
	'd': {fDay, 1, 2, 1, 1, 31, true},
	'e': {fDay, 1, 2, 1, 1, 31, true},
	'g': {fISOYear2, 2, 2, 0, 0, 99, false},
	'G': {fISOYear, 4, 4, 0, 0, 9999, false},
	'H': {fHour24, 1, 2, 0, 0, 23, false},
	'k': {fHour24, 1, 2, 0, 0, 23, true},
	'I': {fHour12, 1, 2, 1, 1, 12, false},
	'l': {fHour12, 1, 2, 1, 1, 12, true},
	'j': {fYearDay, 1, 3, 1, 1, 366, false},
	'm': {fMonth, 1, 2, 1, 1, 12, false},
	'M': {fMinute, 1, 2, 0, 0, 59, false},
	'S': {fSecond, 1, 2, 0, 0, 61, false},
	'u': {fWeekdayMon1, 1, 1, 1, 1, 7, false},
	'U': {fWeekSun, 1, 2, 0, 0, 53, false},
	'V': {fISOWeek, 1, 2, 1, 0, 53, false},
	'w': {fWeekdaySun0, 1, 1, 0, 0, 6, false},
	'W': {fWeekMon, 1, 2, 0, 0, 53, false},
	'y': {fYear2, 2, 2, 0, 0, 99, false},
	'Y': {fYear, 4, 4, 0, 0, 9999, false},
}

// parseComposites are the layouts composite directives stand for when
// parsing: Python's C locale for %c, %x and %X, glibc for the rest.
var parseComposites = map[byte]string{
	'c': "%a %b %d %H:%M:%S %Y",
	'x': "%m/%d/%y",
	'X': "%H:%M:%S",
	'D': "%m/%d/%y",
	'F': "%Y-%m-%d",
	'T': "%H:%M:%S",
	'R': "%H:%M",
	'r': "%I:%M:%S %p",
}

// layoutCompiler is a Layout under construction.
type layoutCompiler struct {
	*Layout
	pending []byte
}

// CompileLayout compiles a strptime layout for repeated use; see [Layout]
// for what it accepts. Unknown directives, which ParseFormat keeps as
// literal text, are errors here: they cannot be read back.
func CompileLayout(layout string) (*Layout, error) {
	c := &layoutCompiler{Layout: &Layout{layout: layout}}
	if err := c.compile(layout, ""); err != nil {
		return nil, err
	}
	c.flush()
	return c.Layout, nil
}

// Parse parses value with a Python strptime layout; it is
// CompileLayout(layout) followed by [Layout.Parse]. Compile the layout
// once when parsing many values.
func Parse(layout, value string, loc *time.Location) (time.Time, error) {
	l, err := CompileLayout(layout)
	if err != nil {
		return time.Time{}, err
	}
	return l.Parse(value, loc)
}

// String returns the layout CompileLayout was given.
func (l *Layout) String() string { return l.layout }

// HasYear reports whether the layout reads a year: %Y, %y, %C, %G or %g
// (with %V), %s, or a composite holding one of them (%c, %x, %D, %F). When it is
// false the parsed year is 1900 (1904 for February 29) and the caller
// fills in a year, as Eventgen did.
func (l *Layout) HasYear() bool { return l.hasYear }

func (c *layoutCompiler) compile(layout, in string) error {
	for i := 0; i < len(layout); {
		if layout[i] != '%' {
			r, size := utf8.DecodeRuneInString(layout[i:])
			if isSpaceRune(r) {
				c.space()
			} else {
				c.pending = append(c.pending, layout[i:i+size]...)
			}
			i += size
			continue
		}
		d, next, err := scanDirective(layout, i)
		switch {
		case errors.Is(err, errLonePercent):
			return fmt.Errorf("strptime layout %q: lone %% at the end (write %%%% for a literal percent sign)", c.layout)
		case err != nil:
			return fmt.Errorf("strptime layout %q: incomplete directive %q at the end (write %%%% for a literal percent sign)", c.layout, d.seq)
		}
		i = next
		seq, start, ch, width, hasWidth, minus, under := d.seq, d.start, d.ch, d.width, d.hasWidth, d.minus, d.under
		unknown := func() error {
			return fmt.Errorf("strptime layout %q: unknown directive %q at position %d (strftime would print it as text; strptime cannot read it back)", c.layout, seq, start)
		}
		// The same acceptance rules as ParseFormat.
		if !d.conv().valid {
			return unknown()
		}
		if hasWidth {
			if ch != 'f' && ch != 'N' {
				return fmt.Errorf("strptime layout %q: width %d on %%%c (only %%N and %%f take a width, as in %%3N)", c.layout, width, ch)
			}
			if width < 1 || width > 9 {
				return fmt.Errorf("strptime layout %q: width %d on %%%c (use 1 to 9 digits, as in %%3N)", c.layout, width, ch)
			}
		}
		switch ch {
		case '%':
			c.pending = append(c.pending, '%')
			continue
		case 'n', 't':
			c.space()
			continue
		}
		if exp, ok := parseComposites[ch]; ok {
			// Errors inside a composite name the composite.
			if err := c.compile(exp, seq); err != nil {
				return err
			}
			continue
		}
		o := pop{dir: seq, in: in}
		if spec, ok := numSpecs[ch]; ok {
			o.kind, o.field = pNum, spec.field
			o.min, o.max, o.lo, o.lo1, o.hi, o.space = spec.min, spec.max, spec.lo, spec.lo1, spec.hi, spec.space
			switch spec.field {
			case fYear, fYear2, fCentury, fISOYear, fISOYear2:
				if minus {
					o.min, o.lo = 1, o.lo1
				}
			}
			if under && o.max > 1 {
				o.space = true
			}
			switch spec.field {
			case fYear, fYear2, fCentury, fISOYear, fISOYear2:
				c.hasYear = true
			}
			c.add(o)
			continue
		}
		switch ch {
		case 'f', 'N':
			o.kind, o.min, o.max = pFrac, 1, 6
			if ch == 'N' {
				o.max = 9
			}
			if hasWidth {
				o.max = uint8(width)
			}
		case 's':
			o.kind = pEpoch
			c.hasYear = true
		case 'a', 'A':
			o.kind, o.long = pWeekdayName, ch == 'A'
		case 'b', 'h', 'B':
			o.kind, o.long = pMonthName, ch == 'B'
		case 'p', 'P':
			o.kind = pAMPM
		case 'z':
			o.kind = pOffset
			c.hasOff = true
		case 'Z':
			o.kind = pZone
		default:
			return unknown()
		}
		c.add(o)
	}
	return nil
}

// space adds a white-space slot; runs of white space are one slot.
func (c *layoutCompiler) space() {
	c.flush()
	if n := len(c.ops); n > 0 && c.ops[n-1].kind == pSpace {
		return
	}
	c.ops = append(c.ops, pop{kind: pSpace})
}

func (c *layoutCompiler) add(o pop) {
	c.flush()
	c.ops = append(c.ops, o)
}

func (c *layoutCompiler) flush() {
	if len(c.pending) > 0 {
		c.ops = append(c.ops, pop{kind: pLit, lit: string(c.pending)})
		c.pending = c.pending[:0]
	}
}

// isSpaceRune is Python's str.isspace, what \s matches in a str pattern:
// Go's white space plus the separators U+001C to U+001F.
func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f)
}

// pstate holds the fields read so far. Every slot writes the same fields
// whichever alternative it takes, so a backtracking match can write into
// one pstate: the path that succeeds rewrites all it needs in order.
type pstate struct {
	year, y2, century int
	yearBy            pfield // fYear or fYear2 when a year was read
	hasYear           bool
	hasCentury        bool
	isoYear           int
	hasISOYear        bool
	month, day        int
	hour              int
	hour12            bool // the last hour directive was %I
	pm, hasAMPM       bool
	min, sec          int
	nsec              int
	hasFrac           bool
	weekday           int // Monday = 0, as in Python
	hasWeekday        bool
	julian            int
	hasJulian         bool
	week              int
	weekMonday        bool
	hasWeek           bool
	isoWeek           int
	hasISOWeek        bool
	off               int // seconds east of UTC, from %z
	offLo, offHi      int // where %z's text is
	offBad            bool
	hasOff            bool
	zoneLo, zoneHi    int // where %Z's text is
	zoneOp            int
	hasZone           bool
	epochSec          int64
	epochNsec         int
	hasEpoch          bool
	fracAfterEpoch    bool
}

// matcher runs one match of a layout against a value.
type matcher struct {
	ops   []pop
	v     string
	st    pstate
	steps int
	memo  []uint64 // failed (slot, position) pairs, once matching gets slow

	// The failure that got furthest into the value, for the error.
	failOp, failPos, failPrev int
	// Where the last slot of the successful match started.
	lastStart int
	tooHard   bool
}

// memoAfter is how many slot attempts a match makes before it remembers
// failures; layouts that need more are ambiguous enough to go exponential.
const memoAfter = 4096

// maxMemoBits bounds the memory of that memo (4 MiB), and maxSteps the
// work of one match (some milliseconds): a layout and value too ambiguous
// for them are refused. Real timestamps need a few dozen steps.
const (
	maxMemoBits = 1 << 25
	maxSteps    = 1 << 20
)

// parseInfo tells tests how a value was read.
type parseInfo struct {
	trailingOffset bool // the Eventgen quirk: an offset after the layout
}

// Parse parses value; see [Layout] for the rules. loc is the location of
// times without %z (nil means UTC) and the source of %Z's abbreviations.
func (l *Layout) Parse(value string, loc *time.Location) (time.Time, error) {
	t, _, err := l.parse(value, loc)
	return t, err
}

func (l *Layout) parse(value string, loc *time.Location) (time.Time, parseInfo, error) {
	var info parseInfo
	if loc == nil {
		loc = time.UTC
	}
	m := matcher{ops: l.ops, v: value, failOp: -1, failPos: -1}
	m.st.month, m.st.day = 1, 1
	end, ok := m.match(0, 0, -1)
	if !ok {
		if m.tooHard {
			return time.Time{}, info, fmt.Errorf("parse %q with %q: the layout is too ambiguous for a value this long", value, l.layout)
		}
		return time.Time{}, info, l.matchError(&m)
	}
	trailing, trailingOff := false, 0
	if end != len(value) {
		if off, ok := trailingOffset(value[end:]); ok && !l.hasOff {
			trailing, trailingOff = true, off
			info.trailingOffset = true
		} else {
			return time.Time{}, info, l.extraError(&m, end)
		}
	}
	t, err := l.finish(&m.st, value, loc, trailing, trailingOff)
	return t, info, err
}

// trailingOffset reads the " +hhmm" or "+hhmm" Eventgen stripped.
func trailingOffset(s string) (int, bool) {
	if len(s) == 6 && s[0] == ' ' {
		s = s[1:]
	}
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	return parseOffset(s)
}

// match matches slots i onwards from pos; prev is where slot i-1 started.
// Reaching the end of the layout is a match wherever it is in the value,
// as with Python's re.match; the caller checks for leftover text.
func (m *matcher) match(i, pos, prev int) (int, bool) {
	if i == len(m.ops) {
		m.lastStart = prev
		return pos, true
	}
	m.steps++
	if m.steps > maxSteps {
		m.tooHard = true
	}
	if m.tooHard {
		return 0, false
	}
	if m.memo != nil {
		k := i*(len(m.v)+1) + pos
		if m.memo[k/64]&(1<<(k%64)) != 0 {
			return 0, false
		}
	} else if m.steps > memoAfter {
		bits := len(m.ops) * (len(m.v) + 1)
		if bits > maxMemoBits {
			m.tooHard = true
			return 0, false
		}
		m.memo = make([]uint64, (bits+63)/64)
	}
	if end, ok := m.try(i, pos); ok {
		return end, true
	}
	if m.memo != nil {
		k := i*(len(m.v)+1) + pos
		m.memo[k/64] |= 1 << (k % 64)
	}
	if pos > m.failPos || (pos == m.failPos && i > m.failOp) {
		m.failOp, m.failPos, m.failPrev = i, pos, prev
	}
	return 0, false
}

// try tries the alternatives of slot i at pos in Python's order.
func (m *matcher) try(i, pos int) (int, bool) {
	o := &m.ops[i]
	v := m.v
	st := &m.st
	next := func(to int) (int, bool) { return m.match(i+1, to, pos) }
	switch o.kind {
	case pLit:
		if n, ok := foldPrefix(v[pos:], o.lit); ok {
			return next(pos + n)
		}
	case pSpace:
		end := pos
		for end < len(v) {
			r, size := utf8.DecodeRuneInString(v[end:])
			if !isSpaceRune(r) {
				break
			}
			end += size
		}
		for e := end; e > pos; {
			if to, ok := next(e); ok {
				return to, true
			}
			_, size := utf8.DecodeLastRuneInString(v[pos:e])
			e -= size
		}
	case pNum:
		digits := countDigits(v, pos, int(o.max))
		for w := digits; w >= int(o.min); w-- {
			n := atoi(v[pos : pos+w])
			lo := o.lo
			if w < int(o.max) {
				lo = o.lo1
			}
			if n < lo || n > o.hi {
				continue
			}
			st.setNum(o.field, n)
			if to, ok := next(pos + w); ok {
				return to, true
			}
		}
		if o.space && o.max > 1 {
			// Space padding: k spaces and max-k digits, as " 5" for %d.
			spaces := 0
			for pos+spaces < len(v) && spaces < int(o.max)-1 && v[pos+spaces] == ' ' {
				spaces++
			}
			for k := spaces; k >= 1; k-- {
				w := int(o.max) - k
				if countDigits(v, pos+k, w) != w {
					continue
				}
				n := atoi(v[pos+k : pos+k+w])
				if n < o.lo1 || n > o.hi {
					continue
				}
				st.setNum(o.field, n)
				if to, ok := next(pos + k + w); ok {
					return to, true
				}
			}
		}
	case pFrac:
		digits := countDigits(v, pos, int(o.max))
		for w := digits; w >= 1; w-- {
			n := atoi(v[pos : pos+w])
			for j := w; j < 9; j++ {
				n *= 10
			}
			st.nsec, st.hasFrac = n, true
			st.fracAfterEpoch = st.hasEpoch
			if to, ok := next(pos + w); ok {
				return to, true
			}
		}
	case pEpoch:
		p := pos
		neg := false
		if p < len(v) && (v[p] == '-' || v[p] == '+') {
			neg = v[p] == '-'
			p++
		}
		digits := countDigits(v, p, len(v))
		// Before a fraction ("%s%3N" on "1556704802500"), the epoch is
		// the ten digits of seconds and the fraction the rest.
		if i+1 < len(m.ops) && m.ops[i+1].kind == pFrac && digits > 10 {
			st.epochSec, st.epochNsec = epochValue(v[p:p+10], neg)
			st.hasEpoch, st.fracAfterEpoch = true, false
			if to, ok := next(p + 10); ok {
				return to, true
			}
		}
		for w := digits; w >= 1; w-- {
			st.epochSec, st.epochNsec = epochValue(v[p:p+w], neg)
			st.hasEpoch, st.fracAfterEpoch = true, false
			if to, ok := next(p + w); ok {
				return to, true
			}
		}
	case pMonthName:
		for k, name := range monthNames {
			if !o.long {
				name = name[:3]
			}
			if n, ok := foldPrefix(v[pos:], name); ok {
				st.month = k + 1
				return next(pos + n)
			}
		}
	case pWeekdayName:
		for k, name := range weekdayNames {
			if !o.long {
				name = name[:3]
			}
			if n, ok := foldPrefix(v[pos:], name); ok {
				st.weekday, st.hasWeekday = (k+6)%7, true
				return next(pos + n)
			}
		}
	case pAMPM:
		if n, ok := foldPrefix(v[pos:], "am"); ok {
			st.pm, st.hasAMPM = false, true
			return next(pos + n)
		}
		if n, ok := foldPrefix(v[pos:], "pm"); ok {
			st.pm, st.hasAMPM = true, true
			return next(pos + n)
		}
	case pOffset:
		return m.tryOffset(i, pos)
	case pZone:
		st.zoneOp, st.zoneLo, st.hasZone = i, pos, true
		if pos < len(v) && (v[pos] == '+' || v[pos] == '-') {
			// Numeric abbreviations of tzdata, such as "+03" and "-0930".
			d := countDigits(v, pos+1, 4)
			for _, w := range [2]int{4, 2} {
				if d >= w {
					st.zoneHi = pos + 1 + w
					if to, ok := next(pos + 1 + w); ok {
						return to, true
					}
				}
			}
			break
		}
		end := pos
		for end < len(v) && isLetter(v[end]) {
			end++
		}
		for e := end; e > pos; e-- {
			st.zoneHi = e
			if to, ok := next(e); ok {
				return to, true
			}
		}
	}
	return 0, false
}

// tryOffset tries Python's %z: [+-]hh[:]mm[[:]ss], or Z (upper case only).
func (m *matcher) tryOffset(i, pos int) (int, bool) {
	v, st := m.v, &m.st
	next := func(to int) (int, bool) { return m.match(i+1, to, pos) }
	st.offLo = pos
	if pos < len(v) && v[pos] == 'Z' {
		st.off, st.offHi, st.offBad, st.hasOff = 0, pos+1, false, true
		return next(pos + 1)
	}
	if pos+3 > len(v) || (v[pos] != '+' && v[pos] != '-') || countDigits(v, pos+1, 2) != 2 {
		return 0, false
	}
	sign := 1
	if v[pos] == '-' {
		sign = -1
	}
	hh := atoi(v[pos+1 : pos+3])
	p := pos + 3
	for _, colon1 := range [2]bool{true, false} {
		q := p
		if colon1 {
			if q >= len(v) || v[q] != ':' {
				continue
			}
			q++
		}
		if !twoDigitsBelow6(v, q) {
			continue
		}
		mm := atoi(v[q : q+2])
		q += 2
		// With seconds first (greedy), then without.
		for _, colon2 := range [2]bool{true, false} {
			r := q
			if colon2 {
				if r >= len(v) || v[r] != ':' {
					continue
				}
				r++
			}
			if !twoDigitsBelow6(v, r) {
				continue
			}
			ss := atoi(v[r : r+2])
			st.off = sign * (hh*3600 + mm*60 + ss)
			st.offHi, st.offBad, st.hasOff = r+2, colon1 != colon2, true
			if to, ok := next(r + 2); ok {
				return to, true
			}
		}
		st.off = sign * (hh*3600 + mm*60)
		st.offHi, st.offBad, st.hasOff = q, false, true
		if to, ok := next(q); ok {
			return to, true
		}
	}
	return 0, false
}

func twoDigitsBelow6(v string, p int) bool {
	return p+2 <= len(v) && '0' <= v[p] && v[p] <= '5' && isDigit(v[p+1])
}

func (st *pstate) setNum(f pfield, n int) {
	switch f {
	case fYear:
		st.year, st.yearBy, st.hasYear = n, fYear, true
	case fYear2:
		st.y2, st.yearBy, st.hasYear = n, fYear2, true
	case fCentury:
		st.century, st.hasCentury = n, true
	case fISOYear:
		st.isoYear, st.hasISOYear = n, true
	case fISOYear2:
		st.isoYear, st.hasISOYear = pivotYear(n), true
	case fMonth:
		st.month = n
	case fDay:
		st.day = n
	case fHour24:
		st.hour, st.hour12 = n, false
	case fHour12:
		st.hour, st.hour12 = n, true
	case fMinute:
		st.min = n
	case fSecond:
		st.sec = n
	case fYearDay:
		st.julian, st.hasJulian = n, true
	case fWeekSun:
		st.week, st.weekMonday, st.hasWeek = n, false, true
	case fWeekMon:
		st.week, st.weekMonday, st.hasWeek = n, true, true
	case fISOWeek:
		st.isoWeek, st.hasISOWeek = n, true
	case fWeekdaySun0:
		st.weekday, st.hasWeekday = (n+6)%7, true
	case fWeekdayMon1:
		st.weekday, st.hasWeekday = n-1, true
	}
}

// pivotYear is POSIX's rule for two-digit years, which Python follows.
func pivotYear(y int) int {
	if y <= 68 {
		return 2000 + y
	}
	return 1900 + y
}

// countDigits counts the ASCII digits at v[pos:], at most max.
func countDigits(v string, pos, max int) int {
	n := 0
	for pos+n < len(v) && n < max && isDigit(v[pos+n]) {
		n++
	}
	return n
}

// atoi reads at most 9 ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// epochValue applies Eventgen's rule to the digits of %s: fewer than 10
// digits are seconds; otherwise the value is divided by 10^(len-10), so
// the first 10 digits are seconds and the rest a fraction.
func epochValue(digits string, neg bool) (int64, int) {
	intPart, frac := digits, ""
	if len(digits) > 10 {
		intPart, frac = digits[:10], digits[10:]
	}
	var sec int64
	for i := 0; i < len(intPart); i++ {
		sec = sec*10 + int64(intPart[i]-'0')
	}
	nsec := 0
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int(frac[i] - '0')
		}
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return sec, nsec
}

// foldPrefix reports whether s starts with lit under Python's
// re.IGNORECASE (simple case folding), and the length of that prefix of s.
func foldPrefix(s, lit string) (int, bool) {
	i, j := 0, 0
	for j < len(lit) {
		if i >= len(s) {
			return 0, false
		}
		a, b := lit[j], s[i]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if a != b && !(isLetter(a) && a|0x20 == b|0x20) {
				return 0, false
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(lit[j:])
		rb, nb := utf8.DecodeRuneInString(s[i:])
		if (ra == utf8.RuneError && na == 1) || (rb == utf8.RuneError && nb == 1) {
			// Invalid UTF-8 only matches itself.
			if a != b {
				return 0, false
			}
			i++
			j++
			continue
		}
		if !foldEqual(ra, rb) {
			return 0, false
		}
		i += nb
		j += na
	}
	return i, true
}

func foldEqual(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// finish turns the fields read into a time, as Python's _strptime and
// the datetime constructor do.
func (l *Layout) finish(st *pstate, value string, loc *time.Location, trailing bool, trailingOff int) (time.Time, error) {
	fail := func(format string, args ...any) (time.Time, error) {
		return time.Time{}, fmt.Errorf("parse %q with %q: %s", value, l.layout, fmt.Sprintf(format, args...))
	}
	// The zone: %z, else the trailing offset, else %Z, else loc.
	zone := loc
	switch {
	case st.hasOff:
		text := value[st.offLo:st.offHi]
		if st.offBad {
			return fail("inconsistent use of \":\" in the utc offset %q (at %%z, position %d)", text, st.offLo)
		}
		if st.off <= -86400 || st.off >= 86400 {
			return fail("utc offset %q is out of range (at %%z, position %d)", text, st.offLo)
		}
		zone = fixedZone(st.off)
	case trailing:
		zone = fixedZone(trailingOff)
	}
	if st.hasEpoch {
		if st.hasZone && !st.hasOff && !trailing {
			if _, _, ok := zoneByName(value[st.zoneLo:st.zoneHi], loc, time.Unix(st.epochSec, 0).In(loc)); !ok {
				return l.zoneError(st, value, loc)
			}
		}
		nsec := st.epochNsec
		if st.fracAfterEpoch {
			nsec = st.nsec
			if st.epochSec < 0 {
				nsec = -nsec
			}
		}
		return time.Unix(st.epochSec, int64(nsec)).In(zone), nil
	}

	year := 0
	hasYear := st.hasYear || st.hasCentury
	switch {
	case st.hasYear && st.yearBy == fYear:
		year = st.year
	case st.hasYear && st.hasCentury:
		year = st.century*100 + st.y2
	case st.hasYear:
		year = pivotYear(st.y2)
	case st.hasCentury:
		year = st.century * 100
	}
	if !hasYear && st.hasISOYear {
		if !st.hasISOWeek || !st.hasWeekday {
			return fail("%%G needs %%V and a weekday (%%a, %%A, %%u or %%w)")
		}
		if st.hasJulian {
			return fail("%%j cannot be used with %%G (use %%Y)")
		}
	} else if !st.hasWeek && st.hasISOWeek {
		if !st.hasWeekday {
			return fail("%%V needs %%G and a weekday (%%a, %%A, %%u or %%w)")
		}
		return fail("%%V cannot be used with %%Y (use %%G)")
	}
	if !hasYear {
		year = 1900
		if st.month == 2 && st.day == 29 {
			year = 1904
		}
	}
	julian, hasJulian := st.julian, st.hasJulian
	if !hasJulian && st.hasWeekday {
		switch {
		case st.hasWeek:
			if !yearInRange(year) {
				return fail("year %d is out of range 1-9999", year)
			}
			julian, hasJulian = julianFromWeek(year, st.week, st.weekday, st.weekMonday), true
		case st.hasISOYear && st.hasISOWeek:
			if !yearInRange(st.isoYear) {
				return fail("iso year %d is out of range 1-9999", st.isoYear)
			}
			year, julian = julianFromISOWeek(st.isoYear, st.isoWeek, st.weekday+1)
			hasJulian = true
		}
		if hasJulian && julian <= 0 {
			year--
			julian += 365
			if daysIn(time.February, year) == 29 {
				julian++
			}
		}
	}
	month, day := time.Month(st.month), st.day
	if !yearInRange(year) {
		return fail("year %d is out of range 1-9999", year)
	}
	if hasJulian {
		d := time.Date(year, time.January, julian, 0, 0, 0, 0, time.UTC)
		if !yearInRange(d.Year()) {
			return fail("day %d of %d is out of range (years 1-9999)", julian, year)
		}
		year, month, day = d.Date()
	} else if day > daysIn(month, year) {
		if !hasYear {
			return fail("day %d is out of range for %s", day, month)
		}
		return fail("day %d is out of range for %s %d", day, month, year)
	}
	hour := st.hour
	if st.hour12 {
		if st.hasAMPM && st.pm {
			if hour != 12 {
				hour += 12
			}
		} else if hour == 12 {
			hour = 0
		}
	}
	if st.sec > 59 {
		return fail("second %d is out of range 0-59", st.sec)
	}
	if st.hasZone && !st.hasOff && !trailing {
		return l.zoneTime(st, value, loc, year, month, day, hour)
	}
	return time.Date(year, month, day, hour, st.min, st.sec, st.nsec, zone), nil
}

func yearInRange(y int) bool { return 1 <= y && y <= 9999 }

// julianFromWeek is Python's _calc_julian_from_U_or_W; weekday is
// Monday = 0.
func julianFromWeek(year, week, weekday int, mondayFirst bool) int {
	first := mondayWeekday(time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC))
	if !mondayFirst {
		first = (first + 1) % 7
		weekday = (weekday + 1) % 7
	}
	week0 := (7 - first) % 7
	if week == 0 {
		return 1 + weekday - first
	}
	return 1 + week0 + 7*(week-1) + weekday
}

// julianFromISOWeek is Python's _calc_julian_from_V; isoWeekday is
// Monday = 1. It returns the year the day count is relative to.
func julianFromISOWeek(isoYear, isoWeek, isoWeekday int) (int, int) {
	jan4 := time.Date(isoYear, time.January, 4, 0, 0, 0, 0, time.UTC)
	correction := mondayWeekday(jan4) + 1 + 3
	ordinal := isoWeek*7 + isoWeekday - correction
	if ordinal < 1 {
		ordinal += daysInYear(isoYear - 1)
		isoYear--
	}
	return isoYear, ordinal
}

func mondayWeekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

func daysInYear(y int) int {
	if daysIn(time.February, y) == 29 {
		return 366
	}
	return 365
}

// zoneTime builds the time of a layout with %Z (and no %z): the zone the
// abbreviation names in loc, or UTC.
func (l *Layout) zoneTime(st *pstate, value string, loc *time.Location, year int, month time.Month, day, hour int) (time.Time, error) {
	name := value[st.zoneLo:st.zoneHi]
	wall := time.Date(year, month, day, hour, st.min, st.sec, st.nsec, time.UTC)
	probe := time.Date(year, month, day, hour, st.min, st.sec, 0, loc)
	zname, off, ok := zoneByName(name, loc, probe)
	if !ok && !l.hasYear {
		// A year-less layout reads 1900, whose zones may differ from
		// those of the year the caller will fill in.
		probe = time.Date(time.Now().Year(), month, day, hour, st.min, st.sec, 0, loc)
		zname, off, ok = zoneByName(name, loc, probe)
	}
	if !ok {
		return l.zoneError(st, value, loc)
	}
	at := wall.Add(-time.Duration(off) * time.Second)
	if zname == "" {
		return at.In(time.UTC), nil
	}
	if t := at.In(loc); t.Location() == loc {
		if n, o := t.Zone(); n == zname && o == off {
			return t, nil
		}
	}
	// The abbreviation is loc's, but not in effect at that time (EDT in
	// January): keep the wall clock the text gave.
	return at.In(time.FixedZone(zname, off)), nil
}

// zoneByName looks name up among the abbreviations loc uses around at,
// then UTC, GMT and Z (returned with an empty name).
func zoneByName(name string, loc *time.Location, at time.Time) (string, int, bool) {
	for _, d := range [...]time.Duration{0, -91, 91, -182, 182, -274, 274} {
		n, off := at.Add(d * 24 * time.Hour).Zone()
		if n != "" && strings.EqualFold(n, name) {
			return n, off, true
		}
	}
	if strings.EqualFold(name, "UTC") || strings.EqualFold(name, "GMT") || name == "Z" || name == "z" {
		return "", 0, true
	}
	return "", 0, false
}

func (l *Layout) zoneError(st *pstate, value string, loc *time.Location) (time.Time, error) {
	o := &l.ops[st.zoneOp]
	return time.Time{}, fmt.Errorf("parse %q with %q: %q is not UTC, GMT, Z or a time zone abbreviation of %s (%s)",
		value, l.layout, value[st.zoneLo:st.zoneHi], loc, o.at(st.zoneLo))
}

// fixedZones caches the zones of whole-minute offsets, so that parsing
// "+0530" does not allocate a *time.Location per event.
var fixedZones [2*24*60 - 1]atomic.Pointer[time.Location]

// fixedZone returns a zone of off seconds east of UTC named like "+0530",
// or UTC for a zero offset.
func fixedZone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	var name [5]byte
	if off%60 != 0 {
		return time.FixedZone(string(appendOffset(name[:0], off, false)), off)
	}
	slot := &fixedZones[off/60+24*60-1]
	if z := slot.Load(); z != nil {
		return z
	}
	z := time.FixedZone(string(appendOffset(name[:0], off, false)), off)
	if slot.CompareAndSwap(nil, z) {
		return z
	}
	return slot.Load()
}

// at says where a slot is, for errors: "at %m, position 3".
func (o *pop) at(pos int) string {
	if o.in != "" {
		return fmt.Sprintf("at %s in %s, position %d", o.dir, o.in, pos)
	}
	return fmt.Sprintf("at %s, position %d", o.dir, pos)
}

// what describes what a slot expects.
func (o *pop) what() string {
	switch o.kind {
	case pLit:
		return fmt.Sprintf("%q", o.lit)
	case pSpace:
		return "white space"
	case pFrac:
		return fmt.Sprintf("a fraction of a second of 1-%d digits", o.max)
	case pEpoch:
		return "epoch seconds"
	case pMonthName:
		if o.long {
			return "a month name such as January"
		}
		return "a month abbreviation such as Jan"
	case pWeekdayName:
		if o.long {
			return "a weekday name such as Monday"
		}
		return "a weekday abbreviation such as Mon"
	case pAMPM:
		return "AM or PM"
	case pOffset:
		return "a utc offset such as +0100, -05:30 or Z"
	case pZone:
		return "a time zone name such as UTC"
	}
	switch o.field {
	case fYear:
		if o.min == 4 {
			return "a four-digit year"
		}
		return "a year"
	case fYear2:
		if o.min == 2 {
			return "a two-digit year"
		}
		return "a year of the century"
	case fCentury:
		return "a century"
	case fISOYear:
		if o.min == 4 {
			return "a four-digit iso year"
		}
		return "an iso year"
	case fISOYear2:
		return "a two-digit iso year"
	case fMonth:
		return "a month number 1-12"
	case fDay:
		return "a day of the month 1-31"
	case fHour24:
		return "an hour 0-23"
	case fHour12:
		return "an hour 1-12"
	case fMinute:
		return "a minute 0-59"
	case fSecond:
		return "a second 0-59"
	case fYearDay:
		return "a day of the year 1-366"
	case fWeekSun, fWeekMon:
		return "a week number 0-53"
	case fISOWeek:
		return "an iso week number 1-53"
	case fWeekdaySun0:
		return "a weekday number 0-6"
	case fWeekdayMon1:
		return "a weekday number 1-7"
	}
	return "a number"
}

func (o *pop) numeric() bool { return o.kind == pNum || o.kind == pFrac || o.kind == pEpoch }

// token is the text at pos to show in an error: a run of digits or
// letters, an offset-like run, or one character.
func token(v string, pos int) string {
	if pos >= len(v) {
		return ""
	}
	end := pos
	c := v[pos]
	switch {
	case isDigit(c):
		for end < len(v) && isDigit(v[end]) {
			end++
		}
	case isLetter(c):
		for end < len(v) && isLetter(v[end]) {
			end++
		}
	case c == '+' || c == '-':
		end++
		for end < len(v) && (isDigit(v[end]) || v[end] == ':') {
			end++
		}
	default:
		_, size := utf8.DecodeRuneInString(v[pos:])
		end += size
	}
	if end-pos > 24 {
		end = pos + 24
		for end > pos && !utf8.RuneStart(v[end]) {
			end--
		}
	}
	return v[pos:end]
}

// matchError explains the failure that got furthest into the value.
func (l *Layout) matchError(m *matcher) error {
	v := m.v
	prefix := fmt.Sprintf("parse %q with %q: ", v, l.layout)
	i, pos := m.failOp, m.failPos
	if i < 0 {
		return fmt.Errorf("%sno match", prefix)
	}
	// A number that stopped short of the digits that follow it, as "13"
	// for %m: blame the number rather than what comes after it.
	if i > 0 && m.failPrev >= 0 && pos < len(v) && isDigit(v[pos]) && l.ops[i-1].numeric() {
		return l.numberError(prefix, &l.ops[i-1], v, m.failPrev)
	}
	o := &l.ops[i]
	if pos >= len(v) {
		if o.kind == pLit || o.kind == pSpace {
			return fmt.Errorf("%sthe value ends where %s was expected (position %d)", prefix, o.what(), pos)
		}
		return fmt.Errorf("%sthe value ends where %s was expected (%s)", prefix, o.what(), o.at(pos))
	}
	switch o.kind {
	case pLit, pSpace:
		return fmt.Errorf("%sfound %q where %s was expected (position %d)", prefix, token(v, pos), o.what(), pos)
	}
	return l.numberError(prefix, o, v, pos)
}

func (l *Layout) numberError(prefix string, o *pop, v string, pos int) error {
	tok := token(v, pos)
	if o.kind == pEpoch && (tok == "-" || tok == "+") && pos+1 < len(v) {
		tok = v[pos : pos+1+len(token(v, pos+1))]
	}
	return fmt.Errorf("%s%q is not %s (%s)", prefix, tok, o.what(), o.at(pos))
}

// extraError explains text left after the layout.
func (l *Layout) extraError(m *matcher, end int) error {
	v := m.v
	prefix := fmt.Sprintf("parse %q with %q: ", v, l.layout)
	if n := len(l.ops); n > 0 && m.lastStart >= 0 && isDigit(v[end]) && l.ops[n-1].numeric() {
		return l.numberError(prefix, &l.ops[n-1], v, m.lastStart)
	}
	rest := v[end:]
	if len(rest) > 32 {
		cut := 32
		for cut > 0 && !utf8.RuneStart(rest[cut]) {
			cut--
		}
		rest = rest[:cut] + "…"
	}
	return fmt.Errorf("%sextra text %q after the layout (position %d)", prefix, rest, end)
}
