package timeutil

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// local is the location naive test times are read in: east of UTC and
// named, so a result in the wrong zone shows.
var local = time.FixedZone("LOC", 2*3600)

func TestParse(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	istanbul := mustLoad(t, "Europe/Istanbul")
	minus5 := time.FixedZone("-0500", -5*3600)
	plus0530 := time.FixedZone("+0530", 5*3600+30*60)
	date := func(y int, mo time.Month, d, h, mi, s, ns int, loc *time.Location) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, loc)
	}
	tests := []struct {
		layout, value string
		loc           *time.Location // local when nil
		want          time.Time
	}{
		// Common layouts.
		{"%Y-%m-%d %H:%M:%S", "2024-03-05 07:08:09", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%d/%b/%Y:%H:%M:%S %z", "05/Mar/2024:07:08:09 -0500", nil, date(2024, 3, 5, 7, 8, 9, 0, minus5)},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2024-03-05T07:08:09.123456+05:30", nil, date(2024, 3, 5, 7, 8, 9, 123456000, plus0530)},
		{"%Y-%m-%d %H:%M:%S,%f", "2024-03-05 07:08:09,123", nil, date(2024, 3, 5, 7, 8, 9, 123000000, local)},
		{"%a %b %d %H:%M:%S %Y", "Tue Mar  5 07:08:09 2024", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		// Real-world configs: fixed +00:00 / Z after a local time.
		{"%Y-%m-%dT%H:%M:%S+00:00", "2024-03-05T07:08:09+00:00", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%Y-%m-%dT%H:%M:%SZ", "2024-03-05T07:08:09Z", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%Y-%m-%dT%H:%M:%SZ", "2024-03-05T07:08:09z", nil, date(2024, 3, 5, 7, 8, 9, 0, local)}, // literals ignore case
		// Year-less with milliseconds: the caller fills in the year.
		{"%b %d %H:%M:%S,%f", "Mar  5 07:08:09,120", nil, date(1900, 3, 5, 7, 8, 9, 120000000, local)},
		{"%b %d %H:%M:%S", "Feb 29 07:08:09", nil, date(1904, 2, 29, 7, 8, 9, 0, local)},
		{"%H:%M", "10:30", nil, date(1900, 1, 1, 10, 30, 0, 0, local)},
		{"", "", nil, date(1900, 1, 1, 0, 0, 0, 0, local)},
		{"%Y", "1900", nil, date(1900, 1, 1, 0, 0, 0, 0, local)},

		// Numbers: two digits before one, Python's ranges.
		{"%Y", "0001", nil, date(1, 1, 1, 0, 0, 0, 0, local)},
		{"%Y", "9999", nil, date(9999, 1, 1, 0, 0, 0, 0, local)},
		{"%y", "68", nil, date(2068, 1, 1, 0, 0, 0, 0, local)},
		{"%y", "69", nil, date(1969, 1, 1, 0, 0, 0, 0, local)},
		{"%y", "00", nil, date(2000, 1, 1, 0, 0, 0, 0, local)},
		{"%m", "3", nil, date(1900, 3, 1, 0, 0, 0, 0, local)},
		{"%m", "12", nil, date(1900, 12, 1, 0, 0, 0, 0, local)},
		{"%d", "5", nil, date(1900, 1, 5, 0, 0, 0, 0, local)},
		{"%d", " 5", nil, date(1900, 1, 5, 0, 0, 0, 0, local)},
		{"%d", "31", nil, date(1900, 1, 31, 0, 0, 0, 0, local)},
		{"%e", " 5", nil, date(1900, 1, 5, 0, 0, 0, 0, local)},
		{"%H", "23", nil, date(1900, 1, 1, 23, 0, 0, 0, local)},
		{"%H", "7", nil, date(1900, 1, 1, 7, 0, 0, 0, local)},
		{"%k", " 7", nil, date(1900, 1, 1, 7, 0, 0, 0, local)},
		{"%M", "59", nil, date(1900, 1, 1, 0, 59, 0, 0, local)},
		{"%S", "9", nil, date(1900, 1, 1, 0, 0, 9, 0, local)},
		{"%j", "060", nil, date(1900, 3, 1, 0, 0, 0, 0, local)},
		{"%Y %j", "2024 060", nil, date(2024, 2, 29, 0, 0, 0, 0, local)},
		{"%Y %j", "2023 366", nil, date(2024, 1, 1, 0, 0, 0, 0, local)}, // Python rolls over
		{"%Y-%m-%d %j", "2024-12-25 001", nil, date(2024, 1, 1, 0, 0, 0, 0, local)},
		{"%C%y", "2024", nil, date(2024, 1, 1, 0, 0, 0, 0, local)},
		{"%y%C", "2419", nil, date(1924, 1, 1, 0, 0, 0, 0, local)},
		{"%C", "19", nil, date(1900, 1, 1, 0, 0, 0, 0, local)},
		{"%-m/%-d/%Y", "3/5/2024", nil, date(2024, 3, 5, 0, 0, 0, 0, local)},
		{"%-y", "5", nil, date(2005, 1, 1, 0, 0, 0, 0, local)},
		{"%-Y", "800", nil, date(800, 1, 1, 0, 0, 0, 0, local)},
		{"%_m/%_d", " 3/ 5", nil, date(1900, 3, 5, 0, 0, 0, 0, local)},
		{"%_j", "  5", nil, date(1900, 1, 5, 0, 0, 0, 0, local)},
		{"%Ey %Od", "24 05", nil, date(2024, 1, 5, 0, 0, 0, 0, local)},
		{"%0d%^b", "05MAR", nil, date(1900, 3, 5, 0, 0, 0, 0, local)},
		// Backtracking, as Python's regular expression does.
		{"%m1", "111", nil, date(1900, 11, 1, 0, 0, 0, 0, local)},
		{"%Y%m%d", "2024315", nil, date(2024, 3, 15, 0, 0, 0, 0, local)},
		{"%H%M%S", "12345", nil, date(1900, 1, 1, 12, 34, 5, 0, local)},
		{"%d %d", "1 2", nil, date(1900, 1, 2, 0, 0, 0, 0, local)}, // the last wins

		// Fractions.
		{"%S.%f", "09.5", nil, date(1900, 1, 1, 0, 0, 9, 500000000, local)},
		{"%S.%f", "09.000001", nil, date(1900, 1, 1, 0, 0, 9, 1000, local)},
		{"%S.%N", "09.123456789", nil, date(1900, 1, 1, 0, 0, 9, 123456789, local)},
		{"%S.%3N", "09.12", nil, date(1900, 1, 1, 0, 0, 9, 120000000, local)},
		{"%S.%6N", "09.123456", nil, date(1900, 1, 1, 0, 0, 9, 123456000, local)},
		{"%S.%9N", "09.000000001", nil, date(1900, 1, 1, 0, 0, 9, 1, local)},
		{"%S.%3f", "09.999", nil, date(1900, 1, 1, 0, 0, 9, 999000000, local)},
		{"%S,%1f", "09,7", nil, date(1900, 1, 1, 0, 0, 9, 700000000, local)},

		// Names, any case.
		{"%b", "mar", nil, date(1900, 3, 1, 0, 0, 0, 0, local)},
		{"%h", "SEP", nil, date(1900, 9, 1, 0, 0, 0, 0, local)},
		{"%B", "MARCH", nil, date(1900, 3, 1, 0, 0, 0, 0, local)},
		{"%B", "may", nil, date(1900, 5, 1, 0, 0, 0, 0, local)},
		{"%a %Y-%m-%d", "mon 2024-03-05", nil, date(2024, 3, 5, 0, 0, 0, 0, local)}, // a wrong weekday is ignored
		{"%A %Y-%m-%d", "TUESDAY 2024-03-05", nil, date(2024, 3, 5, 0, 0, 0, 0, local)},

		// 12-hour clock.
		{"%I:%M %p", "12:30 AM", nil, date(1900, 1, 1, 0, 30, 0, 0, local)},
		{"%I:%M %p", "12:30 PM", nil, date(1900, 1, 1, 12, 30, 0, 0, local)},
		{"%I:%M %p", "01:30 pm", nil, date(1900, 1, 1, 13, 30, 0, 0, local)},
		{"%I:%M %p", "11:59 Am", nil, date(1900, 1, 1, 11, 59, 0, 0, local)},
		{"%p %I", "PM 3", nil, date(1900, 1, 1, 15, 0, 0, 0, local)},
		{"%I:%M", "12:30", nil, date(1900, 1, 1, 0, 30, 0, 0, local)}, // no %p: morning
		{"%H %p", "13 AM", nil, date(1900, 1, 1, 13, 0, 0, 0, local)}, // %p without %I is ignored
		{"%l:%M%P", " 1:05pm", nil, date(1900, 1, 1, 13, 5, 0, 0, local)},
		{"%r", "01:02:03 PM", nil, date(1900, 1, 1, 13, 2, 3, 0, local)},
		{"%I %H", "3 15", nil, date(1900, 1, 1, 15, 0, 0, 0, local)},

		// Weeks.
		{"%Y %W %u", "2024 10 1", nil, date(2024, 3, 4, 0, 0, 0, 0, local)},
		{"%Y %U %w", "2024 9 0", nil, date(2024, 3, 3, 0, 0, 0, 0, local)},
		{"%Y %U %w", "2023 0 0", nil, date(2023, 1, 1, 0, 0, 0, 0, local)},
		{"%Y %U %w", "2024 0 0", nil, date(2023, 12, 31, 0, 0, 0, 0, local)}, // before January 1st
		{"%G-W%V-%u", "2024-W10-1", nil, date(2024, 3, 4, 0, 0, 0, 0, local)},
		{"%G-W%V-%u", "2021-W53-7", nil, date(2022, 1, 9, 0, 0, 0, 0, local)}, // 2021 has 52 weeks: Python counts on
		{"%G-W%V-%u", "2025-W01-1", nil, date(2024, 12, 30, 0, 0, 0, 0, local)},
		{"%g %V %a", "20 53 Fri", nil, date(2021, 1, 1, 0, 0, 0, 0, local)},
		{"%Y %U", "2024 10", nil, date(2024, 1, 1, 0, 0, 0, 0, local)}, // without a weekday: ignored
		{"%w", "3", nil, date(1900, 1, 1, 0, 0, 0, 0, local)},

		// Composites.
		{"%c", "Tue Mar  5 07:08:09 2024", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%c", "tue mar 05 07:08:09 2024", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%x %X", "03/05/24 07:08:09", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%D %T", "03/05/24 07:08:09", nil, date(2024, 3, 5, 7, 8, 9, 0, local)},
		{"%F %R", "2024-03-05 07:08", nil, date(2024, 3, 5, 7, 8, 0, 0, local)},

		// White space: any run matches any run.
		{"%Y %m", "2024 \t\n 03", nil, date(2024, 3, 1, 0, 0, 0, 0, local)},
		{"%Y\t%m", "2024 03", nil, date(2024, 3, 1, 0, 0, 0, 0, local)},
		{"%Y%n%m%t%d", "2024\n03 05", nil, date(2024, 3, 5, 0, 0, 0, 0, local)},
		{"%Y %m", "2024\u00a003", nil, date(2024, 3, 1, 0, 0, 0, 0, local)},
		{"%b %e", "Mar  5", nil, date(1900, 3, 5, 0, 0, 0, 0, local)},
		{" %d", "  5", nil, date(1900, 1, 5, 0, 0, 0, 0, local)},
		// Literals.
		{"%Y%%", "2024%", nil, date(2024, 1, 1, 0, 0, 0, 0, local)},
		{"[%d/%b/%Y]", "[05/mar/2024]", nil, date(2024, 3, 5, 0, 0, 0, 0, local)},
		{"%Yé%m", "2024É03", nil, date(2024, 3, 1, 0, 0, 0, 0, local)},
		{"%Yk%m", "2024\u212a03", nil, date(2024, 3, 1, 0, 0, 0, 0, local)}, // Kelvin sign, as Python

		// %z.
		{"%z", "+0000", nil, date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"%z", "-0000", nil, date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"%z", "Z", nil, date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"%z", "+0530", nil, date(1900, 1, 1, 0, 0, 0, 0, plus0530)},
		{"%z", "+05:30", nil, date(1900, 1, 1, 0, 0, 0, 0, plus0530)},
		{"%:z", "-05:00", nil, date(1900, 1, 1, 0, 0, 0, 0, minus5)},
		{"%z", "-01:00:30", nil, date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("", -3630))},
		{"%z", "+235959", nil, date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("", 86399))},
		{"%H:%M %z", "10:00 +0100", ny, date(1900, 1, 1, 10, 0, 0, 0, time.FixedZone("", 3600))},

		// %Z: UTC, GMT, Z and the location's abbreviations.
		{"%H:%M %Z", "10:00 UTC", nil, date(1900, 1, 1, 10, 0, 0, 0, time.UTC)},
		{"%H:%M %Z", "10:00 gmt", nil, date(1900, 1, 1, 10, 0, 0, 0, time.UTC)},
		{"%H:%M %Z", "10:00 Z", nil, date(1900, 1, 1, 10, 0, 0, 0, time.UTC)},
		{"%H:%M %Z", "10:00 LOC", nil, date(1900, 1, 1, 10, 0, 0, 0, local)},
		{"%Y-%m-%d %H:%M %Z", "2024-01-15 10:00 EST", ny, date(2024, 1, 15, 15, 0, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M %Z", "2024-07-15 10:00 edt", ny, date(2024, 7, 15, 14, 0, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M %Z", "2024-11-03 01:30 EDT", ny, date(2024, 11, 3, 5, 30, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M %Z", "2024-11-03 01:30 EST", ny, date(2024, 11, 3, 6, 30, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M %Z", "2024-01-15 10:00 EDT", ny, date(2024, 1, 15, 14, 0, 0, 0, time.UTC)}, // not in effect: still EDT
		{"%b %d %H:%M %Z", "Jul 15 10:00 EDT", ny, date(1900, 7, 15, 14, 0, 0, 0, time.UTC)},        // no DST in 1900: found in the current year
		{"%Y-%m-%d %H:%M %Z", "2024-01-15 10:00 +03", istanbul, date(2024, 1, 15, 7, 0, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M %Z", "2024-01-15 10:00 UTC", ny, date(2024, 1, 15, 10, 0, 0, 0, time.UTC)},

		// %s: Eventgen's rule for long epochs.
		{"%s", "1700000000", nil, time.Unix(1700000000, 0)},
		{"%s", "999999999", nil, time.Unix(999999999, 0)},
		{"%s", "0", nil, time.Unix(0, 0)},
		{"%s", "-86400", nil, time.Unix(-86400, 0)},
		{"%s", "1700000000123", nil, time.Unix(1700000000, 123000000)},
		{"%s", "1700000000123456", nil, time.Unix(1700000000, 123456000)},
		{"%s", "1700000000123456789", nil, time.Unix(1700000000, 123456789)},
		{"%s", "17000000001234567891", nil, time.Unix(1700000000, 123456789)},
		{"%s.%f", "1700000000.25", nil, time.Unix(1700000000, 250000000)},
		{"%s%3N", "1556704802500", nil, time.Unix(1556704802, 500000000)},      // ten digits of seconds before a fraction
		{"%s.%3N", "1700000000123.456", nil, time.Unix(1700000000, 456000000)}, // the later fraction wins
		{"%s %z", "1700000000 +0100", nil, time.Unix(1700000000, 0)},
		{`"created": %s`, `"created": 1700000000`, nil, time.Unix(1700000000, 0)},

		// Eventgen's trailing "+hhmm", honoured with both signs.
		{"%Y-%m-%d %H:%M:%S", "2024-03-05 10:00:00 +0530", nil, date(2024, 3, 5, 10, 0, 0, 0, plus0530)},
		{"%Y-%m-%d %H:%M:%S", "2024-03-05 10:00:00 -0500", nil, date(2024, 3, 5, 10, 0, 0, 0, minus5)},
		{"%Y-%m-%dT%H:%M:%S", "2024-03-05T10:00:00+0000", nil, date(2024, 3, 5, 10, 0, 0, 0, time.UTC)},
		{"%b %d %H:%M:%S", "Mar 05 10:00:00 -0500", nil, date(1900, 3, 5, 10, 0, 0, 0, minus5)},
		{"%H:%M:%S %Z", "10:00:00 UTC +0100", nil, date(1900, 1, 1, 10, 0, 0, 0, time.FixedZone("", 3600))},
		{"%s", "1700000000 +0100", nil, time.Unix(1700000000, 0)},

		// Another location.
		{"%Y-%m-%d", "2024-03-05", time.UTC, date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		loc := tc.loc
		if loc == nil {
			loc = local
		}
		got, err := Parse(tc.layout, tc.value, loc)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.layout, tc.value, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("Parse(%q, %q) = %v, want %v", tc.layout, tc.value, got, tc.want)
			continue
		}
		// The wall clock is the one in the text, in the expected zone.
		_, gotOff := got.Zone()
		_, wantOff := tc.want.Zone()
		if tc.layout != "%s" && !strings.Contains(tc.layout, "%s") && !strings.Contains(tc.layout, "%Z") && gotOff != wantOff {
			t.Errorf("Parse(%q, %q) = %v, want the offset of %v", tc.layout, tc.value, got, tc.want)
		}
	}
}

func TestParseNilLocation(t *testing.T) {
	got, err := Parse("%Y-%m-%d %H", "2024-03-05 10", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseLocations(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		layout, value string
		loc           *time.Location
		want          *time.Location
		zone          string
	}{
		{"%H:%M", "10:00", ny, ny, "EST"},
		{"%Y-%m-%d %H:%M", "2024-07-01 10:00", ny, ny, "EDT"},
		{"%Y-%m-%d %H:%M %Z", "2024-07-01 10:00 EDT", ny, ny, "EDT"},
		{"%Y-%m-%d %H:%M %Z", "2024-01-01 10:00 EDT", ny, nil, "EDT"},
		{"%H:%M %Z", "10:00 UTC", ny, time.UTC, "UTC"},
		{"%H:%M %z", "10:00 +0000", ny, time.UTC, "UTC"},
		{"%H:%M %z", "10:00 +0100", ny, nil, "+0100"},
		{"%H:%M %z", "10:00 -05:30", ny, nil, "-0530"},
		{"%H:%M", "10:00 -0530", ny, nil, "-0530"},
		{"%s", "1700000000", ny, ny, "EST"},
		{"%s %z", "1700000000 +0100", ny, nil, "+0100"},
	}
	for _, tc := range tests {
		got, err := Parse(tc.layout, tc.value, tc.loc)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.layout, tc.value, err)
			continue
		}
		if tc.want != nil && got.Location() != tc.want {
			t.Errorf("Parse(%q, %q) is in %v, want %v", tc.layout, tc.value, got.Location(), tc.want)
		}
		if name, _ := got.Zone(); name != tc.zone {
			t.Errorf("Parse(%q, %q) has zone %q, want %q", tc.layout, tc.value, name, tc.zone)
		}
	}
	// Offsets share one *time.Location each.
	a, _ := Parse("%z", "+0100", nil)
	b, _ := Parse("%z", "+01:00", nil)
	if a.Location() != b.Location() {
		t.Error("two parses of +0100 made two locations")
	}
}

func TestHasYear(t *testing.T) {
	for layout, want := range map[string]bool{
		"%Y-%m-%d": true, "%y": true, "%C": true, "%G %V %u": true, "%g %V %u": true, "%s": true,
		"%c": true, "%x": true, "%D": true, "%F": true, "%-Y": true,
		"%b %d %H:%M:%S": false, "%H:%M": false, "%j": false, "%X": false, "%T": false, "%m/%d": false, "": false,
	} {
		l, err := CompileLayout(layout)
		if err != nil {
			t.Fatal(err)
		}
		if l.HasYear() != want {
			t.Errorf("CompileLayout(%q).HasYear() = %v, want %v", layout, l.HasYear(), want)
		}
		if l.String() != layout {
			t.Errorf("CompileLayout(%q).String() = %q", layout, l.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		layout, value string
		loc           *time.Location
		want          string
	}{
		{"%d/%m/%Y", "12/Mar/2024", nil, `parse "12/Mar/2024" with "%d/%m/%Y": "Mar" is not a month number 1-12 (at %m, position 3)`},
		{"%d/%m/%Y", "12/13/2024", nil, `parse "12/13/2024" with "%d/%m/%Y": "13" is not a month number 1-12 (at %m, position 3)`},
		{"%m", "13", nil, `parse "13" with "%m": "13" is not a month number 1-12 (at %m, position 0)`},
		{"%Y-%m-%d", "20245-01-01", nil, `parse "20245-01-01" with "%Y-%m-%d": "20245" is not a four-digit year (at %Y, position 0)`},
		{"%Y", "24", nil, `parse "24" with "%Y": "24" is not a four-digit year (at %Y, position 0)`},
		{"%y", "5", nil, `parse "5" with "%y": "5" is not a two-digit year (at %y, position 0)`},
		{"%d", "32", nil, `parse "32" with "%d": "32" is not a day of the month 1-31 (at %d, position 0)`},
		{"%d", "0", nil, `parse "0" with "%d": "0" is not a day of the month 1-31 (at %d, position 0)`},
		{"%H:%M", "24:00", nil, `parse "24:00" with "%H:%M": "24" is not an hour 0-23 (at %H, position 0)`},
		{"%I", "13", nil, `parse "13" with "%I": "13" is not an hour 1-12 (at %I, position 0)`},
		{"%M", "60", nil, `parse "60" with "%M": "60" is not a minute 0-59 (at %M, position 0)`},
		{"%S", "62", nil, `parse "62" with "%S": "62" is not a second 0-59 (at %S, position 0)`},
		{"%j", "000", nil, `parse "000" with "%j": "000" is not a day of the year 1-366 (at %j, position 0)`},
		{"%U", "54", nil, `parse "54" with "%U": "54" is not a week number 0-53 (at %U, position 0)`},
		{"%V", "54", nil, `parse "54" with "%V": "54" is not an iso week number 1-53 (at %V, position 0)`},
		{"%w", "7", nil, `parse "7" with "%w": "7" is not a weekday number 0-6 (at %w, position 0)`},
		{"%u", "0", nil, `parse "0" with "%u": "0" is not a weekday number 1-7 (at %u, position 0)`},
		{"%C", "x", nil, `parse "x" with "%C": "x" is not a century (at %C, position 0)`},
		{"%S.%f", "09.", nil, `parse "09." with "%S.%f": the value ends where a fraction of a second of 1-6 digits was expected (at %f, position 3)`},
		{"%S.%f", "09.1234567", nil, `parse "09.1234567" with "%S.%f": "1234567" is not a fraction of a second of 1-6 digits (at %f, position 3)`},
		{"%S.%3N", "09.1234", nil, `parse "09.1234" with "%S.%3N": "1234" is not a fraction of a second of 1-3 digits (at %3N, position 3)`},
		{"%s", "x", nil, `parse "x" with "%s": "x" is not epoch seconds (at %s, position 0)`},
		{"%s", "-x", nil, `parse "-x" with "%s": "-x" is not epoch seconds (at %s, position 0)`},
		{"%b", "Foo", nil, `parse "Foo" with "%b": "Foo" is not a month abbreviation such as Jan (at %b, position 0)`},
		{"%B", "Mar", nil, `parse "Mar" with "%B": "Mar" is not a month name such as January (at %B, position 0)`},
		{"%b", "March", nil, `parse "March" with "%b": extra text "ch" after the layout (position 3)`},
		{"%a", "Xyz", nil, `parse "Xyz" with "%a": "Xyz" is not a weekday abbreviation such as Mon (at %a, position 0)`},
		{"%A", "Mon", nil, `parse "Mon" with "%A": "Mon" is not a weekday name such as Monday (at %A, position 0)`},
		{"%I %p", "10 XM", nil, `parse "10 XM" with "%I %p": "XM" is not AM or PM (at %p, position 3)`},
		{"%z", "0100", nil, `parse "0100" with "%z": "0100" is not a utc offset such as +0100, -05:30 or Z (at %z, position 0)`},
		{"%z", "z", nil, `parse "z" with "%z": "z" is not a utc offset such as +0100, -05:30 or Z (at %z, position 0)`},
		{"%z", "+2400", nil, `parse "+2400" with "%z": utc offset "+2400" is out of range (at %z, position 0)`},
		{"%z", "+01:0030", nil, `parse "+01:0030" with "%z": inconsistent use of ":" in the utc offset "+01:0030" (at %z, position 0)`},
		{"%z", "+0100:30", nil, `parse "+0100:30" with "%z": inconsistent use of ":" in the utc offset "+0100:30" (at %z, position 0)`},
		{"%z", "+01:00:30.5", nil, `parse "+01:00:30.5" with "%z": extra text ".5" after the layout (position 9)`},
		{"%H:%M %Z", "10:00 XYZ", ny, `parse "10:00 XYZ" with "%H:%M %Z": "XYZ" is not UTC, GMT, Z or a time zone abbreviation of America/New_York (at %Z, position 6)`},
		{"%H:%M %Z", "10:00 CET", nil, `parse "10:00 CET" with "%H:%M %Z": "CET" is not UTC, GMT, Z or a time zone abbreviation of LOC (at %Z, position 6)`},
		{"%H:%M %Z", "10:00 5", nil, `parse "10:00 5" with "%H:%M %Z": "5" is not a time zone name such as UTC (at %Z, position 6)`},
		{"%s %Z", "1 XYZ", nil, `parse "1 XYZ" with "%s %Z": "XYZ" is not UTC, GMT, Z or a time zone abbreviation of LOC (at %Z, position 2)`},
		// Literals, white space, the end of the value, extra text.
		{"%Y-%m-%d", "2024/03/05", nil, `parse "2024/03/05" with "%Y-%m-%d": found "/" where "-" was expected (position 4)`},
		{"%Y %m", "202403", nil, `parse "202403" with "%Y %m": "202403" is not a four-digit year (at %Y, position 0)`},
		{"%Y %m", "2024x03", nil, `parse "2024x03" with "%Y %m": found "x" where white space was expected (position 4)`},
		{"%H:%M", " 10:00", nil, `parse " 10:00" with "%H:%M": " " is not an hour 0-23 (at %H, position 0)`},
		{"%Y-%m-%d", "2024-03", nil, `parse "2024-03" with "%Y-%m-%d": the value ends where "-" was expected (position 7)`},
		{"%Y-%m-%d", "2024-03-", nil, `parse "2024-03-" with "%Y-%m-%d": the value ends where a day of the month 1-31 was expected (at %d, position 8)`},
		{"%Y %m", "2024", nil, `parse "2024" with "%Y %m": the value ends where white space was expected (position 4)`},
		{"%Y-%m-%d", "", nil, `parse "" with "%Y-%m-%d": the value ends where a four-digit year was expected (at %Y, position 0)`},
		{"%Y-%m-%d", "2024-03-05 extra", nil, `parse "2024-03-05 extra" with "%Y-%m-%d": extra text " extra" after the layout (position 10)`},
		{"%Y", "2024 and a long tail of text that goes on", nil, `parse "2024 and a long tail of text that goes on" with "%Y": extra text " and a long tail of text that go…" after the layout (position 4)`},
		{"%m%d", "1232", nil, `parse "1232" with "%m%d": "32" is not a day of the month 1-31 (at %d, position 2)`},
		{"%c", "Tue Mar  5 07:08:09 24", nil, `parse "Tue Mar  5 07:08:09 24" with "%c": "24" is not a four-digit year (at %Y in %c, position 20)`},
		{"%x", "3/5/2024", nil, `parse "3/5/2024" with "%x": "2024" is not a two-digit year (at %y in %x, position 4)`},
		// The trailing offset: one space at most, +hhmm only, not with %z.
		{"%H:%M:%S", "10:00:00  +0100", nil, `parse "10:00:00  +0100" with "%H:%M:%S": extra text "  +0100" after the layout (position 8)`},
		{"%H:%M:%S", "10:00:00 +01:00", nil, `parse "10:00:00 +01:00" with "%H:%M:%S": extra text " +01:00" after the layout (position 8)`},
		{"%H:%M:%S", "10:00:00 +2400", nil, `parse "10:00:00 +2400" with "%H:%M:%S": extra text " +2400" after the layout (position 8)`},
		{"%H:%M:%S %z", "10:00:00 +0100 +0100", nil, `parse "10:00:00 +0100 +0100" with "%H:%M:%S %z": extra text " +0100" after the layout (position 14)`},
		// Dates and times that do not exist.
		{"%Y-%m-%d", "2023-02-29", nil, `parse "2023-02-29" with "%Y-%m-%d": day 29 is out of range for February 2023`},
		{"%Y-%m-%d", "2024-04-31", nil, `parse "2024-04-31" with "%Y-%m-%d": day 31 is out of range for April 2024`},
		{"%b %d", "Feb 30", nil, `parse "Feb 30" with "%b %d": day 30 is out of range for February`},
		{"%Y", "0000", nil, `parse "0000" with "%Y": year 0 is out of range 1-9999`},
		{"%-Y %j", "1 0", nil, `parse "1 0" with "%-Y %j": "0" is not a day of the year 1-366 (at %j, position 2)`},
		{"%Y %U %w", "0001 0 0", nil, `parse "0001 0 0" with "%Y %U %w": year 0 is out of range 1-9999`},
		{"%Y %j", "9999 366", nil, `parse "9999 366" with "%Y %j": day 366 of 9999 is out of range (years 1-9999)`},
		{"%H:%M:%S", "23:59:60", nil, `parse "23:59:60" with "%H:%M:%S": second 60 is out of range 0-59`},
		{"%C", "0", nil, `parse "0" with "%C": year 0 is out of range 1-9999`},
		// ISO weeks need each other, as in Python.
		{"%G %V", "2024 10", nil, `parse "2024 10" with "%G %V": %G needs %V and a weekday (%a, %A, %u or %w)`},
		{"%G %V %u %j", "2024 10 1 100", nil, `parse "2024 10 1 100" with "%G %V %u %j": %j cannot be used with %G (use %Y)`},
		{"%V", "10", nil, `parse "10" with "%V": %V needs %G and a weekday (%a, %A, %u or %w)`},
		{"%Y %V %u", "2024 10 1", nil, `parse "2024 10 1" with "%Y %V %u": %V cannot be used with %Y (use %G)`},
		{"%G %V %u", "0000 1 1", nil, `parse "0000 1 1" with "%G %V %u": iso year 0 is out of range 1-9999`},
	}
	for _, tc := range tests {
		loc := tc.loc
		if loc == nil {
			loc = local
		}
		got, err := Parse(tc.layout, tc.value, loc)
		if err == nil {
			t.Errorf("Parse(%q, %q) = %v, want error %s", tc.layout, tc.value, got, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q, %q):\n got error %s\nwant error %s", tc.layout, tc.value, err, tc.want)
		}
		if !got.IsZero() {
			t.Errorf("Parse(%q, %q) returned %v with its error", tc.layout, tc.value, got)
		}
	}
}

func TestCompileLayoutErrors(t *testing.T) {
	tests := []struct{ layout, want string }{
		{"%", `strptime layout "%": lone % at the end (write %% for a literal percent sign)`},
		{"%Y-%", `strptime layout "%Y-%": lone % at the end (write %% for a literal percent sign)`},
		{"%-", `strptime layout "%-": incomplete directive "%-" at the end (write %% for a literal percent sign)`},
		{"%Y %E", `strptime layout "%Y %E": incomplete directive "%E" at the end (write %% for a literal percent sign)`},
		{"%Y %Q", `strptime layout "%Y %Q": unknown directive "%Q" at position 3 (strftime would print it as text; strptime cannot read it back)`},
		{"%L", `strptime layout "%L": unknown directive "%L" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%é", `strptime layout "%é": unknown directive "%é" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%-f", `strptime layout "%-f": unknown directive "%-f" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%EN", `strptime layout "%EN": unknown directive "%EN" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%:d", `strptime layout "%:d": unknown directive "%:d" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%-:z", `strptime layout "%-:z": unknown directive "%-:z" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%Ed", `strptime layout "%Ed": unknown directive "%Ed" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%Oa", `strptime layout "%Oa": unknown directive "%Oa" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%3d", `strptime layout "%3d": width 3 on %d (only %N and %f take a width, as in %3N)`},
		{"%3c", `strptime layout "%3c": width 3 on %c (only %N and %f take a width, as in %3N)`},
		{"%0N", `strptime layout "%0N": unknown directive "%0N" at position 0 (strftime would print it as text; strptime cannot read it back)`},
		{"%10N", `strptime layout "%10N": width 10 on %N (use 1 to 9 digits, as in %3N)`},
		{"%12f", `strptime layout "%12f": width 12 on %f (use 1 to 9 digits, as in %3N)`},
	}
	for _, tc := range tests {
		l, err := CompileLayout(tc.layout)
		if err == nil {
			t.Errorf("CompileLayout(%q) succeeded", tc.layout)
			continue
		}
		if l != nil {
			t.Errorf("CompileLayout(%q) returned a Layout with its error", tc.layout)
		}
		if err.Error() != tc.want {
			t.Errorf("CompileLayout(%q):\n got error %s\nwant error %s", tc.layout, err, tc.want)
		}
		if _, err := Parse(tc.layout, "", nil); err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) error = %v, want the CompileLayout error", tc.layout, err)
		}
	}
}

// TestCompileLayoutAgreesWithParseFormat checks that strptime reads the
// directive set strftime writes: a layout compiles exactly when
// ParseFormat accepts it without keeping anything as literal text.
func TestCompileLayoutAgreesWithParseFormat(t *testing.T) {
	seen := map[string]bool{}
	var layouts []string
	for _, c := range readGolden(t) {
		if !seen[c.Layout] {
			seen[c.Layout] = true
			layouts = append(layouts, c.Layout)
		}
	}
	for c := 0x20; c < 0x7f; c++ {
		for _, pre := range []string{"%", "%-", "%_", "%0", "%^", "%#", "%E", "%O", "%3", "%:", "%-3", "%3E"} {
			layouts = append(layouts, pre+string(rune(c)))
		}
	}
	layouts = append(layouts, "%", "%-", "%E", "%3", "%:", "%é", "%10N", "%0f", "%9N", "%1f", "%^c")
	for _, layout := range layouts {
		f, ferr := ParseFormat(layout)
		l, lerr := CompileLayout(layout)
		fok := ferr == nil && len(f.Warnings()) == 0
		if fok != (lerr == nil) {
			var warnings []string
			if f != nil {
				warnings = f.Warnings()
			}
			t.Errorf("%q: ParseFormat error %v warnings %v, CompileLayout error %v", layout, ferr, warnings, lerr)
		}
		if lerr == nil && f.HasDirective() && len(l.ops) == 0 {
			t.Errorf("%q: no slots", layout)
		}
	}
}

// strptimeGolden is one line of testdata/strptime.golden.jsonl, written
// by testdata/strptime_golden.py from Python's datetime.strptime.
type strptimeGolden struct {
	Layout string `json:"layout"`
	Value  string `json:"value"`
	OK     bool   `json:"ok"`
	Time   string `json:"time"`
	Offset *int   `json:"offset"`
	Error  string `json:"error"`
}

func TestStrptimeGolden(t *testing.T) {
	file, err := os.Open("testdata/strptime.golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var cases []strptimeGolden
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var c strptimeGolden
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("golden line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 3000 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	failed := 0
	for i, c := range cases {
		got, err := Parse(c.Layout, c.Value, local)
		var problem string
		switch {
		case !c.OK && err == nil:
			problem = fmt.Sprintf("= %v, Python: %s", got, c.Error)
		case c.OK && err != nil:
			problem = fmt.Sprintf("%v, Python: %s", err, c.Time)
		case c.OK:
			_, off := got.Zone()
			if wall := got.Format("2006-01-02T15:04:05.000000"); wall != c.Time {
				problem = fmt.Sprintf("= %s, Python: %s", wall, c.Time)
			} else if c.Offset != nil && off != *c.Offset {
				problem = fmt.Sprintf("has offset %d, Python: %d", off, *c.Offset)
			} else if c.Offset == nil && got.Location() != local && got.Location() != time.UTC {
				problem = fmt.Sprintf("is in %v, want the location passed in", got.Location())
			}
		}
		if problem == "" {
			continue
		}
		t.Errorf("golden line %d: Parse(%q, %q) %s", i+1, c.Layout, c.Value, problem)
		if failed++; failed > 40 {
			t.Fatal("too many failures")
		}
	}
}

// roundTrip is a layout of the round-trip property: what it keeps of a
// time.
type roundTrip struct {
	layout string
	prec   time.Duration // the clock is truncated to this
	date   bool          // month and day
	year   int8          // 0 none, 2 two digits, 4 full
	zone   byte          // 'n' naive, 'z' offset, 'Z' abbreviation, 's' epoch
}

var roundTrips = []roundTrip{
	{"%Y-%m-%d %H:%M:%S", time.Second, true, 4, 'n'},
	{"%Y-%m-%dT%H:%M:%S.%f%z", time.Microsecond, true, 4, 'z'},
	{"%Y-%m-%dT%H:%M:%S.%N%:z", 1, true, 4, 'z'},
	{"%Y-%m-%dT%H:%M:%S.%3N%z", time.Millisecond, true, 4, 'z'},
	{"%d/%b/%Y:%H:%M:%S %z", time.Second, true, 4, 'z'},
	{"%d/%b/%Y:%H:%M:%S.%6N %z", time.Microsecond, true, 4, 'z'},
	{"%a, %d %b %Y %H:%M:%S %Z", time.Second, true, 4, 'Z'},
	{"%A %B %e %Y %l:%M:%S %p %Z", time.Second, true, 4, 'Z'},
	{"%c", time.Second, true, 4, 'n'},
	{"%x %X", time.Second, true, 2, 'n'},
	{"%D %T", time.Second, true, 2, 'n'},
	{"%F %R", time.Minute, true, 4, 'n'},
	{"%F %T,%3f", time.Millisecond, true, 4, 'n'},
	{"%Y%m%d%H%M%S%f", time.Microsecond, true, 4, 'n'},
	{"%Y-%m-%d %H:%M:%S,%f", time.Microsecond, true, 4, 'n'},
	{"%b %d %H:%M:%S,%3N", time.Millisecond, true, 0, 'n'},
	{"%b %e %H:%M:%S", time.Second, true, 0, 'n'},
	{"%m/%d %I:%M:%S %p", time.Second, true, 0, 'n'},
	{"%I:%M:%S %P %d.%m.%Y", time.Second, true, 4, 'n'},
	{"%r %F", time.Second, true, 4, 'n'},
	{"%k:%M %C%y-%m-%d", time.Minute, true, 4, 'n'},
	{"%Y %j %T", time.Second, true, 4, 'n'},
	{"%Y %U %w %T", time.Second, true, 4, 'n'},
	{"%Y %W %a %T", time.Second, true, 4, 'n'},
	{"%Y %U %A %H", time.Hour, true, 4, 'n'},
	{"%G-W%V-%u %T", time.Second, true, 4, 'n'},
	{"%G %V %w %T", time.Second, true, 4, 'n'},
	{"%H", time.Hour, false, 0, 'n'},
	{"%s", time.Second, true, 4, 's'},
	{"%s.%f", time.Microsecond, true, 4, 's'},
	{"%s.%9N %z", 1, true, 4, 's'},
	{"epoch=%s ms=%3N", time.Millisecond, true, 4, 's'},
	{"%Y-%m-%d %H:%M:%S%n%z", time.Second, true, 4, 'z'},
	{"[%Y-%m-%dT%H:%M:%S] 100%%", time.Second, true, 4, 'n'},
}

// expected is what layout rt keeps of t, as Parse should return it.
func (rt roundTrip) expected(t time.Time, loc *time.Location) time.Time {
	if rt.zone == 's' {
		return t.Truncate(rt.prec)
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	ns := t.Nanosecond() / int(rt.prec) * int(rt.prec)
	if rt.prec >= time.Minute {
		s = 0
	}
	if rt.prec >= time.Hour {
		mi = 0
	}
	if !rt.date {
		mo, d = 1, 1
	}
	if rt.year == 0 {
		y = 1900
		if mo == 2 && d == 29 {
			y = 1904
		}
	}
	switch rt.zone {
	case 'z', 'Z':
		name, off := t.Zone()
		return time.Date(y, mo, d, h, mi, s, ns, time.FixedZone(name, off))
	}
	return time.Date(y, mo, d, h, mi, s, ns, loc)
}

// TestParseRoundTrip checks Parse(L, Format(L).Append(t)) == t truncated
// to what L can represent, for many layouts, instants and locations.
func TestParseRoundTrip(t *testing.T) {
	locs := []*time.Location{
		time.UTC,
		time.FixedZone("CET", 3600),
		time.FixedZone("-0930", -34200),
		mustLoad(t, "America/New_York"),
		mustLoad(t, "Australia/Lord_Howe"), // half-hour DST
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var instants []time.Time
	for range 300 {
		// Years 1000-9999, so that %Y has four digits.
		sec := rng.Int64N(253402300799+30610224000) - 30610224000
		instants = append(instants, time.Unix(sec, rng.Int64N(1e9)))
	}
	for range 100 {
		// Around now, and the DST changes of New York.
		instants = append(instants, time.Date(2024, 11, 3, 5, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(3*time.Hour)))))
		instants = append(instants, time.Date(2024, 3, 10, 6, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(3*time.Hour)))))
	}
	instants = append(instants,
		time.Date(2024, 2, 29, 23, 59, 59, 999999999, time.UTC),
		time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2020, 12, 31, 12, 0, 0, 0, time.UTC),
		time.Date(2021, 1, 3, 12, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 0, 0, 1, time.UTC),
	)
	checked := 0
	for _, rt := range roundTrips {
		f, err := ParseFormat(rt.layout)
		if err != nil {
			t.Fatal(err)
		}
		l, err := CompileLayout(rt.layout)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range locs {
			for _, at := range instants {
				at = at.In(loc)
				switch {
				case rt.year == 2 && (at.Year() < 1969 || at.Year() > 2068),
					rt.year == 4 && (at.Year() < 1000 || at.Year() > 9999),
					rt.zone == 's' && (at.Unix() >= 1e10 || at.Unix() < 0),
					rt.zone == 'z' && at.Location() != time.UTC && func() bool { _, off := at.Zone(); return off%60 != 0 }():
					continue
				}
				if y, _ := at.ISOWeek(); strings.Contains(rt.layout, "%G") && (y < 1000 || y > 9999) {
					continue
				}
				text := string(f.Append(nil, at))
				got, err := l.Parse(text, loc)
				if err != nil {
					t.Errorf("%q at %v: Parse(%q): %v", rt.layout, at, text, err)
					continue
				}
				want := rt.expected(at, loc)
				if !got.Equal(want) {
					t.Errorf("%q at %v: Parse(%q) = %v, want %v", rt.layout, at, text, got, want)
					continue
				}
				if rt.zone != 's' {
					gy, gm, gd := got.Date()
					wy, wm, wd := want.Date()
					if gy != wy || gm != wm || gd != wd || got.Hour() != want.Hour() || got.Minute() != want.Minute() {
						t.Errorf("%q at %v: Parse(%q) = %v, not the wall clock of the text", rt.layout, at, text, got)
					}
				}
				checked++
			}
		}
	}
	if checked < 30000 {
		t.Errorf("only %d round trips checked", checked)
	}
	t.Logf("%d round trips", checked)
}

func TestLayoutParseAllocations(t *testing.T) {
	tests := []struct{ layout, value string }{
		{"%d/%b/%Y:%H:%M:%S %z", "05/Mar/2024:07:08:09 -0500"},
		{"%Y-%m-%d %H:%M:%S,%f", "2024-03-05 07:08:09,123"},
		{"%Y-%m-%dT%H:%M:%S.%f%:z", "2024-03-05T07:08:09.123456+05:30"},
		{"%b %e %H:%M:%S", "Mar  5 07:08:09"},
		{"%s", "1700000000123"},
		{"%Y-%m-%d %H:%M:%S %Z", "2024-03-05 07:08:09 LOC"},
		{"%Y-%m-%d %H:%M:%S", "2024-03-05 07:08:09 -0500"},
	}
	for _, tc := range tests {
		l, err := CompileLayout(tc.layout)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Parse(tc.value, local); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = l.Parse(tc.value, local) }); n != 0 {
			t.Errorf("Parse(%q, %q) allocates %v times", tc.layout, tc.value, n)
		}
	}
}

// TestParseAmbiguous checks that a layout that makes the match backtrack
// a lot still answers quickly.
func TestParseAmbiguous(t *testing.T) {
	layout := strings.Repeat("%d", 40) + "x"
	value := strings.Repeat("1", 60)
	start := time.Now()
	_, err := Parse(layout, value, nil)
	if err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	layout = strings.Repeat(" %d", 30) + "x"
	value = strings.Repeat(" 1", 40)
	if _, err := Parse(layout, value, nil); err == nil {
		t.Fatal("no error")
	}
	layout = strings.Repeat("%s", 200) + "x"
	value = strings.Repeat("1", 2000)
	start = time.Now()
	_, err = Parse(layout, value, nil)
	if want := "the layout is too ambiguous for a value this long"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %v, want one ending in %q", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	got, err := Parse(strings.Repeat("%d", 10)+"x", strings.Repeat("1", 15)+"x", nil)
	if err != nil || got.Day() != 1 {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestLayoutConcurrent(t *testing.T) {
	l, err := CompileLayout("%d/%b/%Y:%H:%M:%S %z")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				off := (g*200 + i) % 1400
				value := fmt.Sprintf("05/Mar/2024:07:08:09 +%02d%02d", off/60, off%60)
				got, err := l.Parse(value, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if _, o := got.Zone(); o != off*60 {
					t.Errorf("%s: offset %d", value, o)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// fuzzLocs are the locations fuzzed values are read in.
func fuzzLocs(t testing.TB) []*time.Location {
	return []*time.Location{local, mustLoad(t, "America/New_York")}
}

func FuzzParse(f *testing.F) {
	for _, rt := range roundTrips {
		fm, _ := ParseFormat(rt.layout)
		f.Add(rt.layout, string(fm.Append(nil, tue)))
	}
	for _, s := range [][2]string{
		{"%Y-%m-%d", "2024-02-29"}, {"%m%d", "1232"}, {"%m1", "111"}, {"%b %d", "Feb 29"},
		{"%H:%M:%S", "10:00:00 -0500"}, {"%z", "+01:00:30"}, {"%Z", "EDT"}, {"%s", "17000000001234567891"},
		{"%G %V %u", "2024 1 1"}, {"%Y %U %w", "0001 0 0"}, {"%d %d", "1  2"}, {"%C%y", "9999"},
		{"%-Y %j", "9999 366"}, {"%Q", ""}, {"%", "%"}, {"%c", "Tue Mar  5 07:08:09 2024"},
		{"%e%k%l%_j", " 1 2 3  4"}, {"%z%N", "0"}, {"%z%d", "+01003"}, {"%U%C%A", "0"}, {"%0-W%X00", "0"}, {"%Yé%m", "2024É03"}, {"\xff%d", "\xff1"},
	} {
		f.Add(s[0], s[1])
	}
	locs := fuzzLocs(f)
	times := fuzzTimes(f)
	f.Fuzz(func(t *testing.T, layout, value string) {
		l, err := CompileLayout(layout)
		if err != nil {
			if l != nil {
				t.Fatalf("CompileLayout(%q) returned a Layout and an error", layout)
			}
			return
		}
		fm, err := ParseFormat(layout)
		if err != nil || len(fm.Warnings()) > 0 {
			t.Fatalf("CompileLayout(%q) accepted what ParseFormat did not: %v %v", layout, err, fm.Warnings())
		}
		for _, loc := range locs {
			got, info, err := l.parse(value, loc)
			if err != nil {
				if !got.IsZero() {
					t.Fatalf("Parse(%q, %q) returned a time and an error", layout, value)
				}
				if !strings.HasPrefix(err.Error(), "parse ") {
					t.Fatalf("Parse(%q, %q): error %q", layout, value, err)
				}
			} else {
				checkStable(t, l, fm, got, loc, info)
			}
			// Times rendered with the layout read back stably too.
			for _, at := range times {
				at = at.In(loc)
				got, info, err := l.parse(string(fm.Append(nil, at)), loc)
				if err == nil {
					checkStable(t, l, fm, got, loc, info)
				}
			}
		}
	})
}

// checkStable checks that a parsed time, formatted with the same layout
// and parsed again, is the same time, for layouts without lossy fields.
func checkStable(t *testing.T, l *Layout, fm *Format, got time.Time, loc *time.Location, info parseInfo) {
	t.Helper()
	if lossy(l, got, info) {
		return
	}
	text := string(fm.Append(nil, got))
	again, err := l.Parse(text, loc)
	if err != nil {
		t.Fatalf("layout %q: %v formats as %q, which does not parse: %v", l.layout, got, text, err)
	}
	if !again.Equal(got) {
		t.Fatalf("layout %q: %v formats as %q, which parses as %v", l.layout, got, text, again)
	}
}

// lossy reports whether formatting t with l may not read back as t: a
// field printed with a width Parse does not read (a year before 1000, a
// flag that drops padding), an epoch Eventgen's rule reads differently,
// an offset with seconds, a zone name or an offset the layout does not
// print, a year the layout cannot print, or digits after %z.
func lossy(l *Layout, t time.Time, info parseInfo) bool {
	if info.trailingOffset || hasMinusFlag(l.layout) {
		return true
	}
	if y, _ := t.ISOWeek(); t.Year() < 1000 || y < 1000 || t.Year() > 9999 || y > 9999 {
		return true
	}
	if _, off := t.Zone(); off%60 != 0 {
		return true
	}
	// The year read back comes from the last of %Y and %y, else %C, else
	// the ISO year, else 1900: a year that source cannot give is lost (%j,
	// %U and %W can land a year-less layout in 1899 or 1901).
	var last pfield = fDay
	hasC, hasISO, hasWeek := false, false, false
	for _, o := range l.ops {
		switch {
		case o.kind != pNum:
		case o.field == fYear || o.field == fYear2:
			last = o.field
		case o.field == fCentury:
			hasC = true
		case o.field == fISOYear || o.field == fISOYear2:
			hasISO = true
		case o.field == fWeekSun || o.field == fWeekMon:
			hasWeek = true
		}
	}
	switch y := t.Year(); {
	case last == fYear:
	case last == fYear2:
		if !hasC && (y < 1969 || y > 2068) {
			return true
		}
	case hasC:
		if y%100 != 0 {
			return true
		}
	case hasISO && !hasWeek:
	case y != 1900 && y != 1904:
		return true
	}
	for i, o := range l.ops {
		switch {
		case o.kind == pEpoch, o.kind == pZone:
			return true
		case o.kind == pOffset && i+1 < len(l.ops) && (l.ops[i+1].numeric() || l.ops[i+1].kind == pLit && isDigit(l.ops[i+1].lit[0])):
			// %z reads seconds from the digits that follow it, as Python.
			return true
		case o.kind == pNum && o.field == fISOYear2:
			// Two digits print years outside 1969-2068 as other years.
			if y, _ := t.ISOWeek(); y < 1969 || y > 2068 {
				return true
			}
		}
	}
	return false
}

// hasMinusFlag reports whether a directive of layout has the - flag,
// with which strftime drops the padding Parse relies on.
func hasMinusFlag(layout string) bool {
	for i := 0; i < len(layout); i++ {
		if layout[i] != '%' {
			continue
		}
		for i++; i < len(layout) && strings.IndexByte("-_0^#", layout[i]) >= 0; i++ {
			if layout[i] == '-' {
				return true
			}
		}
	}
	return false
}

func BenchmarkLayoutParse(b *testing.B) {
	for _, bc := range []struct{ layout, value string }{
		{"%d/%b/%Y:%H:%M:%S %z", "05/Mar/2024:07:08:09 -0500"},
		{"%Y-%m-%d %H:%M:%S,%f", "2024-03-05 07:08:09,123"},
	} {
		l, err := CompileLayout(bc.layout)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.layout, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Parse(bc.value, local); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompileLayout(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompileLayout("%d/%b/%Y:%H:%M:%S %z"); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLayout_Parse() {
	l, err := CompileLayout("%d/%b/%Y:%H:%M:%S %z")
	if err != nil {
		panic(err)
	}
	t, err := l.Parse("05/Mar/2024:07:08:09 -0500", time.UTC)
	fmt.Println(t, err)

	// A year-less layout reads 1900; the caller fills in the year.
	l, _ = CompileLayout("%b %d %H:%M:%S,%f")
	t, _ = l.Parse("Mar  5 07:08:09,120", time.UTC)
	if !l.HasYear() {
		t = time.Date(2024, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	}
	fmt.Println(t)

	_, err = Parse("%d/%m/%Y", "12/Mar/2024", time.UTC)
	fmt.Println(err)
	// Output:
	// 2024-03-05 07:08:09 -0500 -0500 <nil>
	// 2024-03-05 07:08:09.12 +0000 UTC
	// parse "12/Mar/2024" with "%d/%m/%Y": "Mar" is not a month number 1-12 (at %m, position 3)
}
