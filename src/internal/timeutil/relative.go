package timeutil

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Relative is a Splunk time modifier, the value of earliest, latest and
// end: "now", a chain of offsets and snaps such as "-1d@d+2h", or an
// absolute time. It is parsed once and resolved against a "now" for each
// interval, so "-1d@d" keeps meaning "yesterday at midnight" on every
// interval (Eventgen 7.2.1 resolved it once at start and then drifted).
//
// The zero Relative is "now". Compare Relatives with String, not ==.
type Relative struct {
	text  string
	terms []term
	abs   absKind
	at    time.Time // absInstant: the instant; absWall: the wall clock, in UTC
}

// absKind says whether a Relative is an absolute time, and whether that
// time names its own zone.
type absKind uint8

const (
	absNone    absKind = iota
	absInstant         // RFC 3339 with a zone, or epoch seconds
	absWall            // a wall clock without a zone: in now's location
)

// unit is a Splunk time unit.
type unit uint8

const (
	unitSecond unit = iota + 1
	unitMinute
	unitHour
	unitDay
	unitWeek
	unitMonth
	unitQuarter
	unitYear
)

// units maps Splunk's spellings to units. Splunk compares them case
// sensitively, and "m" is minutes while "mon" is months.
var units = map[string]unit{
	"s": unitSecond, "sec": unitSecond, "secs": unitSecond, "second": unitSecond, "seconds": unitSecond,
	"m": unitMinute, "min": unitMinute, "mins": unitMinute, "minute": unitMinute, "minutes": unitMinute,
	"h": unitHour, "hr": unitHour, "hrs": unitHour, "hour": unitHour, "hours": unitHour,
	"d": unitDay, "day": unitDay, "days": unitDay,
	"w": unitWeek, "week": unitWeek, "weeks": unitWeek,
	"mon": unitMonth, "month": unitMonth, "months": unitMonth,
	"q": unitQuarter, "qtr": unitQuarter, "qtrs": unitQuarter, "quarter": unitQuarter, "quarters": unitQuarter,
	"y": unitYear, "yr": unitYear, "yrs": unitYear, "year": unitYear, "years": unitYear,
}

// term is one step of a relative time: an offset (+n units) or a snap
// (@unit, with a weekday for @w0..@w7).
type term struct {
	snap    bool
	unit    unit
	n       int64 // offset amount, signed
	weekday int   // @wN: N, with 7 meaning Sunday as in Splunk
}

// maxAmountDigits bounds offsets so that any chain stays inside the range
// time.Time represents without overflowing int arithmetic.
const maxAmountDigits = 9

const (
	unitHint     = "use s, m, h, d, w, mon, q, y"
	snapHint     = "use s, m, h, d, w, w0 to w7, mon, q, y"
	relativeHint = "use now, offsets and snaps such as -15m, -1d@d or @w1+8h, " +
		"or an absolute time such as 2024-01-02T03:04:05Z, 2024-01-02 03:04:05, 2024-01-02, " +
		"01/02/2024:03:04:05 or epoch seconds 1704164645"
)

// ParseRelative parses a Splunk relative or absolute time.
//
// Relative forms are "now" and chains, applied left to right, of offsets
// [+-]<n><unit> (n defaults to 1: "-h" is "-1h") and snaps @<unit>, where
// units are s, m, h, d, w, mon, q and y and their Splunk spellings (sec,
// minutes, hrs, days, weeks, month, qtr, years, ...), and snaps also take
// w0 to w7 (a weekday, 0 and 7 being Sunday). Absolute forms are RFC 3339
// ("2024-01-02T03:04:05.5+01:00"), the same with a space instead of the T
// or without a zone, "2006-01-02", Splunk's "01/02/2006:15:04:05" and epoch
// seconds with an optional fraction; a time without a zone is read in the
// location of the now it is resolved against.
func ParseRelative(s string) (Relative, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Relative{}, fmt.Errorf("relative time %q: empty (%s)", s, relativeHint)
	case s == "now":
		return Relative{text: s}, nil
	case s[0] == '+' || s[0] == '-' || s[0] == '@':
		terms, err := parseTerms(s)
		if err != nil {
			return Relative{}, fmt.Errorf("relative time %q: %v", s, err)
		}
		return Relative{text: s, terms: terms}, nil
	}
	kind, at, err := parseAbsolute(s)
	if err != nil {
		return Relative{}, fmt.Errorf("relative time %q: %v", s, err)
	}
	return Relative{text: s, abs: kind, at: at}, nil
}

func parseTerms(s string) ([]term, error) {
	var terms []term
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '+', '-':
			start := i
			i++
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j-i > maxAmountDigits {
				return nil, fmt.Errorf("offset %q is too large (at most %d digits)", s[start:j], maxAmountDigits)
			}
			n := int64(1)
			if j > i {
				n = 0
				for _, d := range []byte(s[i:j]) {
					n = n*10 + int64(d-'0')
				}
			}
			if c == '-' {
				n = -n
			}
			k := j
			for k < len(s) && isLetter(s[k]) {
				k++
			}
			name := s[j:k]
			if name == "" {
				return nil, fmt.Errorf("missing unit after %q (%s)", s[start:j], unitHint)
			}
			u, ok := units[name]
			if !ok {
				return nil, fmt.Errorf("unknown unit %q (%s)", name, unitHint)
			}
			terms = append(terms, term{unit: u, n: n})
			i = k
		case '@':
			i++
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			name := s[i:j]
			k := j
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			if name == "" {
				if k > j {
					return nil, fmt.Errorf("snap %q needs a unit before the number (%s)", s[i-1:k], snapHint)
				}
				return nil, fmt.Errorf("missing unit after @ (%s)", snapHint)
			}
			u, ok := units[name]
			if !ok {
				return nil, fmt.Errorf("unknown snap unit %q (%s)", s[i:k], snapHint)
			}
			t := term{snap: true, unit: u}
			if k > j {
				// Only @w takes a weekday: @w0 (Sunday) to @w7 (Sunday again).
				if name != "w" || k-j != 1 || s[j] > '7' {
					return nil, fmt.Errorf("unknown snap unit %q (%s)", s[i:k], snapHint)
				}
				t.weekday = int(s[j] - '0')
			}
			terms = append(terms, t)
			i = k
		default:
			return nil, fmt.Errorf("unexpected %q at offset %d: each step starts with +, - or @ (%s)", c, i, relativeHint)
		}
	}
	return terms, nil
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// parseAbsolute reads the absolute forms. The shape of s picks one layout,
// so that an error talks about the form the user meant.
func parseAbsolute(s string) (absKind, time.Time, error) {
	if isDigit(s[0]) && strings.Trim(s, "0123456789.") == "" {
		return parseEpoch(s)
	}
	var (
		layout string
		kind   = absWall
		form   string
	)
	switch {
	case len(s) == 10 && s[4] == '-':
		layout, form = "2006-01-02", "a date such as 2024-01-02"
	case len(s) > 10 && s[4] == '-' && (s[10] == 'T' || s[10] == ' '):
		// RFC 3339, or the same with a space, with or without a zone.
		s = s[:10] + "T" + s[11:]
		layout, form = "2006-01-02T15:04:05", "a time such as 2024-01-02T03:04:05, 2024-01-02 03:04:05.123 or 2024-01-02T03:04:05Z"
		if hasZone(s[11:]) {
			layout, kind = time.RFC3339Nano, absInstant
		}
	case strings.Count(s, "/") == 2:
		layout, form = "1/2/2006:15:04:05", "a Splunk time such as 01/02/2024:03:04:05"
	default:
		return 0, time.Time{}, errors.New("not a relative or absolute time (" + relativeHint + ")")
	}
	var (
		t   time.Time
		err error
	)
	if kind == absInstant {
		t, err = time.Parse(layout, s)
	} else {
		t, err = time.ParseInLocation(layout, s, time.UTC)
	}
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return 0, time.Time{}, fmt.Errorf("%s, in %s", strings.TrimPrefix(pe.Message, ": "), form)
		}
		return 0, time.Time{}, fmt.Errorf("not %s (%s)", form, relativeHint)
	}
	return kind, t, nil
}

// hasZone reports whether the clock part of an ISO time ends with a zone
// (Z or a numeric offset).
func hasZone(clock string) bool {
	return strings.HasSuffix(clock, "Z") || strings.HasSuffix(clock, "z") || strings.ContainsAny(clock, "+-")
}

// parseEpoch reads epoch seconds with an optional fraction, the form
// Splunk accepts for earliest=1700000000.
func parseEpoch(s string) (absKind, time.Time, error) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || (hasFrac && (frac == "" || strings.Contains(frac, "."))) {
		return 0, time.Time{}, fmt.Errorf("not epoch seconds such as 1704164645 or 1704164645.250 (%s)", relativeHint)
	}
	// 12 digits reach the year 33658, far enough for any event time.
	if len(strings.TrimLeft(intPart, "0")) > 12 {
		return 0, time.Time{}, errors.New("epoch seconds out of range (at most 12 digits)")
	}
	var sec, nsec int64
	for _, d := range []byte(intPart) {
		sec = sec*10 + int64(d-'0')
	}
	// Digits past nanoseconds are dropped.
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	return absInstant, time.Unix(sec, nsec).UTC(), nil
}

// String returns the text ParseRelative was given, or "now" for the zero
// Relative.
func (r Relative) String() string {
	if r.text == "" {
		return "now"
	}
	return r.text
}

// IsNow reports whether r always resolves to now: "now" itself, or only
// zero offsets such as "-0s".
func (r Relative) IsNow() bool {
	if r.abs != absNone {
		return false
	}
	for _, t := range r.terms {
		if t.snap || t.n != 0 {
			return false
		}
	}
	return true
}

// Resolve returns the time r names relative to now. Calendar arithmetic
// (days and longer) and snapping happen on the wall clock of
// now.Location(); seconds, minutes and hours are exact durations, so
// "-1h" is one hour earlier even across a daylight saving change. The
// result keeps now's sub-second part unless a snap removed it. Absolute
// times without a zone are read in now.Location(); every result is in
// now.Location().
func (r Relative) Resolve(now time.Time) time.Time {
	loc := now.Location()
	switch r.abs {
	case absInstant:
		return r.at.In(loc)
	case absWall:
		y, mo, d := r.at.Date()
		h, mi, s := r.at.Clock()
		return time.Date(y, mo, d, h, mi, s, r.at.Nanosecond(), loc)
	}
	t := now
	for _, tm := range r.terms {
		if tm.snap {
			t = snap(t, tm)
		} else {
			t = offset(t, tm)
		}
	}
	return t
}

func offset(t time.Time, tm term) time.Time {
	switch tm.unit {
	case unitSecond:
		return t.Add(time.Duration(tm.n) * time.Second)
	case unitMinute:
		return t.Add(time.Duration(tm.n) * time.Minute)
	case unitHour:
		return t.Add(time.Duration(tm.n) * time.Hour)
	case unitDay:
		return t.AddDate(0, 0, int(tm.n))
	case unitWeek:
		return t.AddDate(0, 0, int(tm.n*7))
	case unitMonth:
		return addMonths(t, tm.n)
	case unitQuarter:
		return addMonths(t, tm.n*3)
	case unitYear:
		return addMonths(t, tm.n*12)
	}
	return t
}

// addMonths moves t by n calendar months, keeping the wall clock and
// clamping the day to the end of the target month: Mar 31 -1mon is Feb 28
// (29 in a leap year) and Feb 29 -1y is Feb 28. Eventgen 7.2.1 failed on
// these instead.
func addMonths(t time.Time, n int64) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	total := int64(y)*12 + int64(m-1) + n
	ty := total / 12
	tm := total % 12
	if tm < 0 {
		tm += 12
		ty--
	}
	month := time.Month(tm + 1)
	if dim := daysIn(month, int(ty)); d > dim {
		d = dim
	}
	return time.Date(int(ty), month, d, h, mi, s, t.Nanosecond(), t.Location())
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// snap moves t back to the start of its unit, on the wall clock of t's
// location. Seconds, minutes and hours are cut by subtracting the elapsed
// wall time, which stays correct in the repeated hour of a daylight saving
// change; days and longer are rebuilt with time.Date.
func snap(t time.Time, tm term) time.Time {
	loc := t.Location()
	switch tm.unit {
	case unitSecond:
		return t.Add(-time.Duration(t.Nanosecond()))
	case unitMinute:
		return t.Add(-time.Duration(t.Second())*time.Second - time.Duration(t.Nanosecond()))
	case unitHour:
		return t.Add(-time.Duration(t.Minute()*60+t.Second())*time.Second - time.Duration(t.Nanosecond()))
	}
	y, m, d := t.Date()
	switch tm.unit {
	case unitDay:
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case unitWeek:
		// Back to the most recent weekday N (today if it is one):
		// Splunk's @w and @w0 are Sunday, @w1 Monday, @w7 Sunday again.
		back := (int(t.Weekday()) - tm.weekday%7 + 7) % 7
		return time.Date(y, m, d-back, 0, 0, 0, 0, loc)
	case unitMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case unitQuarter:
		// The first month of the quarter; Eventgen 7.2.1 snapped to the
		// last one.
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	case unitYear:
		return time.Date(y, time.January, 1, 0, 0, 0, 0, loc)
	}
	return t
}
