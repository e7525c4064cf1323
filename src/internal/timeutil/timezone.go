package timeutil

import (
	"fmt"
	"strings"
	"time"
)

const timezoneHint = "use local, UTC, an offset such as +0530, -0100 or +05:30, or an IANA name such as Europe/Paris"

// ParseTimezone maps Eventgen's timezone setting to a location.
//
// "local" (any case) and the empty string are time.Local; "UTC", "Z" and
// "GMT" are time.UTC. Eventgen's numeric offsets [+-]hhmm ("-0100",
// "+0530", "0530", "0000", and "0", which Eventgen's int() parse took
// too) become fixed zones named like "+0530" and "-0100" (time.UTC for a
// zero offset), so that %Z prints what the user wrote; +hh:mm is accepted
// as well. Anything else is an IANA name loaded with time.LoadLocation,
// which Eventgen did not have.
func ParseTimezone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || strings.EqualFold(s, "local"):
		return time.Local, nil
	case strings.EqualFold(s, "UTC") || strings.EqualFold(s, "Z") || strings.EqualFold(s, "GMT"):
		return time.UTC, nil
	case s[0] == '+' || s[0] == '-' || isDigit(s[0]):
		off, ok := parseOffset(s)
		if !ok {
			return nil, fmt.Errorf("timezone %q: not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; %s)", s, timezoneHint)
		}
		if off == 0 {
			return time.UTC, nil
		}
		var name [5]byte
		return time.FixedZone(string(appendOffset(name[:0], off, false)), off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: unknown time zone (%s)", s, timezoneHint)
	}
	return loc, nil
}

// parseOffset reads [+-]hhmm, [+-]hh:mm or "0" as seconds east of UTC.
func parseOffset(s string) (int, bool) {
	sign := 1
	switch s[0] {
	case '-':
		sign = -1
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "0" {
		return 0, true
	}
	if len(s) == 5 && s[2] == ':' {
		s = s[:2] + s[3:]
	}
	if len(s) != 4 {
		return 0, false
	}
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	hh := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[2]-'0')*10 + int(s[3]-'0')
	if hh > 23 || mm > 59 {
		return 0, false
	}
	return sign * (hh*3600 + mm*60), true
}
