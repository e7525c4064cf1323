package timeutil

import (
	"testing"
	"time"
)

func TestParseTimezone(t *testing.T) {
	at := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		name   string // zone abbreviation at "at"
		offset int
		same   *time.Location // when set, the exact location expected
	}{
		{"", "", 0, time.Local},
		{"local", "", 0, time.Local},
		{"LOCAL", "", 0, time.Local},
		{"Local", "", 0, time.Local},
		{"UTC", "UTC", 0, time.UTC},
		{"utc", "UTC", 0, time.UTC},
		{"Z", "UTC", 0, time.UTC},
		{"GMT", "UTC", 0, time.UTC},
		{"0000", "UTC", 0, time.UTC},
		{"+0000", "UTC", 0, time.UTC},
		{"-0000", "UTC", 0, time.UTC},
		{"0", "UTC", 0, time.UTC},
		{"-0100", "-0100", -3600, nil},
		{"+0530", "+0530", 5*3600 + 30*60, nil},
		{"0530", "+0530", 5*3600 + 30*60, nil},
		{"+05:30", "+0530", 5*3600 + 30*60, nil},
		{"-09:30", "-0930", -(9*3600 + 30*60), nil},
		{"+1400", "+1400", 14 * 3600, nil},
		{" -0100 ", "-0100", -3600, nil},
		{"Europe/Paris", "CEST", 2 * 3600, nil},
		{"America/New_York", "EDT", -4 * 3600, nil},
		{"Asia/Kolkata", "IST", 5*3600 + 30*60, nil},
	}
	for _, tt := range tests {
		loc, err := ParseTimezone(tt.in)
		if err != nil {
			t.Errorf("ParseTimezone(%q): %v", tt.in, err)
			continue
		}
		if tt.same != nil {
			if loc != tt.same {
				t.Errorf("ParseTimezone(%q) = %v, want %v", tt.in, loc, tt.same)
			}
			if tt.same == time.Local {
				continue
			}
		}
		name, offset := at.In(loc).Zone()
		if name != tt.name || offset != tt.offset {
			t.Errorf("ParseTimezone(%q) zone = %s %d, want %s %d", tt.in, name, offset, tt.name, tt.offset)
		}
	}
}

func TestParseTimezoneErrors(t *testing.T) {
	const hint = "use local, UTC, an offset such as +0530, -0100 or +05:30, or an IANA name such as Europe/Paris"
	tests := []struct {
		in   string
		want string
	}{
		{"Mars/Olympus_Mons", `timezone "Mars/Olympus_Mons": unknown time zone (` + hint + `)`},
		{"../etc/passwd", `timezone "../etc/passwd": unknown time zone (` + hint + `)`},
		{"/etc/localtime", `timezone "/etc/localtime": unknown time zone (` + hint + `)`},
		{"+2400", `timezone "+2400": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"+0560", `timezone "+0560": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"+5", `timezone "+5": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"530", `timezone "530": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"+05:3x", `timezone "+05:3x": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"-", `timezone "-": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
		{"+01000", `timezone "+01000": not an offset such as +0530 or -0100 (hours 00 to 23, minutes 00 to 59; ` + hint + `)`},
	}
	for _, tt := range tests {
		loc, err := ParseTimezone(tt.in)
		if err == nil {
			t.Errorf("ParseTimezone(%q) = %v, want error %s", tt.in, loc, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseTimezone(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
		}
	}
}
