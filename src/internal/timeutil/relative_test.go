package timeutil

import (
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	// New York changed to daylight saving time at 02:00 on 2019-03-10,
	// the "now" of Eventgen's test_timeparser, so the day has 23 hours.
	ny := mustLoad(t, "America/New_York")
	date := func(y int, m time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, m, d, h, mi, s, ns, ny)
	}
	now := date(2019, 3, 10, 13, 20, 15, 0)          // a Sunday
	frac := date(2019, 3, 10, 13, 20, 15, 250000000) // same, with a fraction
	monday := date(2019, 3, 11, 10, 0, 0, 0)
	tests := []struct {
		in   string
		now  time.Time
		want time.Time
	}{
		// Eventgen's test_timeparser (inventory §5.2).
		{"now", now, now},
		{"-7d", now, date(2019, 3, 3, 13, 20, 15, 0)},
		{"-0mon@mon", now, date(2019, 3, 1, 0, 0, 0, 0)},
		{"-1mon@mon", now, date(2019, 2, 1, 0, 0, 0, 0)},
		{"-3d@d", now, date(2019, 3, 7, 0, 0, 0, 0)},
		{"+5d", now, date(2019, 3, 15, 13, 20, 15, 0)},

		// Units and their spellings; the amount defaults to 1.
		{"-1s", now, date(2019, 3, 10, 13, 20, 14, 0)},
		{"-10sec", now, date(2019, 3, 10, 13, 20, 5, 0)},
		{"+1secs", now, date(2019, 3, 10, 13, 20, 16, 0)},
		{"-1second", now, date(2019, 3, 10, 13, 20, 14, 0)},
		{"-15seconds", now, date(2019, 3, 10, 13, 20, 0, 0)},
		{"-20m", now, date(2019, 3, 10, 13, 0, 15, 0)},
		{"-1min", now, date(2019, 3, 10, 13, 19, 15, 0)},
		{"-2mins", now, date(2019, 3, 10, 13, 18, 15, 0)},
		{"-1minute", now, date(2019, 3, 10, 13, 19, 15, 0)},
		{"-5minutes", now, date(2019, 3, 10, 13, 15, 15, 0)},
		{"-h", now, date(2019, 3, 10, 12, 20, 15, 0)},
		{"-1hr", now, date(2019, 3, 10, 12, 20, 15, 0)},
		{"-2hrs", now, date(2019, 3, 10, 11, 20, 15, 0)},
		{"+1hour", now, date(2019, 3, 10, 14, 20, 15, 0)},
		{"+2hours", now, date(2019, 3, 10, 15, 20, 15, 0)},
		{"-d", now, date(2019, 3, 9, 13, 20, 15, 0)},
		{"-1day", now, date(2019, 3, 9, 13, 20, 15, 0)},
		{"-2days", now, date(2019, 3, 8, 13, 20, 15, 0)},
		{"+3w", now, date(2019, 3, 31, 13, 20, 15, 0)},
		{"-1week", now, date(2019, 3, 3, 13, 20, 15, 0)},
		{"-2weeks", now, date(2019, 2, 24, 13, 20, 15, 0)},
		{"-1mon", now, date(2019, 2, 10, 13, 20, 15, 0)},
		{"-1month", now, date(2019, 2, 10, 13, 20, 15, 0)},
		{"+10months", now, date(2020, 1, 10, 13, 20, 15, 0)},
		{"-q", now, date(2018, 12, 10, 13, 20, 15, 0)},
		{"-1qtr", now, date(2018, 12, 10, 13, 20, 15, 0)},
		{"-2qtrs", now, date(2018, 9, 10, 13, 20, 15, 0)},
		{"+1quarter", now, date(2019, 6, 10, 13, 20, 15, 0)},
		{"+4quarters", now, date(2020, 3, 10, 13, 20, 15, 0)},
		{"-1y", now, date(2018, 3, 10, 13, 20, 15, 0)},
		{"-1yr", now, date(2018, 3, 10, 13, 20, 15, 0)},
		{"-2yrs", now, date(2017, 3, 10, 13, 20, 15, 0)},
		{"+1year", now, date(2020, 3, 10, 13, 20, 15, 0)},
		{"+10years", now, date(2029, 3, 10, 13, 20, 15, 0)},
		{"+0s", now, now},
		{"-0d", now, now},

		// Days keep the wall clock across the DST change; hours are
		// durations, so -24h is 13:20 minus 24 real hours.
		{"-24h", now, date(2019, 3, 9, 12, 20, 15, 0)},
		{"-13h", now, date(2019, 3, 9, 23, 20, 15, 0)},
		{"@d+2h", now, date(2019, 3, 10, 3, 0, 0, 0)},

		// Snaps.
		{"@s", frac, now},
		{"@m", frac, date(2019, 3, 10, 13, 20, 0, 0)},
		{"@h", frac, date(2019, 3, 10, 13, 0, 0, 0)},
		{"@d", frac, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@mon", now, date(2019, 3, 1, 0, 0, 0, 0)},
		{"@y", now, date(2019, 1, 1, 0, 0, 0, 0)},
		{"@sec", frac, now},
		{"@minute", frac, date(2019, 3, 10, 13, 20, 0, 0)},
		{"@day", frac, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@month", now, date(2019, 3, 1, 0, 0, 0, 0)},
		{"@year", now, date(2019, 1, 1, 0, 0, 0, 0)},

		// Weekday snaps: back to the most recent such day, today
		// included; w, w0 and w7 are Sunday.
		{"@w", now, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@w0", now, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@w7", now, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@week", now, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@w1", now, date(2019, 3, 4, 0, 0, 0, 0)},
		{"@w1", monday, date(2019, 3, 11, 0, 0, 0, 0)},
		{"@w6", now, date(2019, 3, 9, 0, 0, 0, 0)},
		{"@w0", monday, date(2019, 3, 10, 0, 0, 0, 0)},
		{"@w5", monday, date(2019, 3, 8, 0, 0, 0, 0)},

		// Quarter snaps go to the first month of the quarter.
		{"@q", date(2019, 1, 1, 0, 0, 0, 0), date(2019, 1, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 2, 15, 8, 0, 0, 0), date(2019, 1, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 3, 31, 23, 59, 59, 0), date(2019, 1, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 4, 1, 0, 0, 0, 0), date(2019, 4, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 5, 20, 8, 0, 0, 0), date(2019, 4, 1, 0, 0, 0, 0)},
		{"@qtr", date(2019, 6, 30, 8, 0, 0, 0), date(2019, 4, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 9, 30, 8, 0, 0, 0), date(2019, 7, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 8, 1, 8, 0, 0, 0), date(2019, 7, 1, 0, 0, 0, 0)},
		{"@q", date(2019, 10, 1, 8, 0, 0, 0), date(2019, 10, 1, 0, 0, 0, 0)},
		{"@quarter", date(2019, 12, 31, 23, 0, 0, 0), date(2019, 10, 1, 0, 0, 0, 0)},

		// Month arithmetic clamps the day to the end of the month.
		{"-1mon", date(2024, 3, 31, 9, 0, 0, 0), date(2024, 2, 29, 9, 0, 0, 0)},
		{"-1mon", date(2023, 3, 31, 9, 0, 0, 0), date(2023, 2, 28, 9, 0, 0, 0)},
		{"+1mon", date(2019, 1, 31, 9, 0, 0, 0), date(2019, 2, 28, 9, 0, 0, 0)},
		{"-1mon", date(2019, 5, 31, 9, 0, 0, 0), date(2019, 4, 30, 9, 0, 0, 0)},
		{"-1mon", date(2019, 1, 15, 9, 0, 0, 0), date(2018, 12, 15, 9, 0, 0, 0)},
		{"+13mon", date(2019, 12, 15, 9, 0, 0, 0), date(2021, 1, 15, 9, 0, 0, 0)},
		{"-25mon", date(2019, 1, 15, 9, 0, 0, 0), date(2016, 12, 15, 9, 0, 0, 0)},
		{"-1q", date(2024, 5, 31, 9, 0, 0, 0), date(2024, 2, 29, 9, 0, 0, 0)},
		{"-1y", date(2024, 2, 29, 9, 0, 0, 0), date(2023, 2, 28, 9, 0, 0, 0)},
		{"+4y", date(2024, 2, 29, 9, 0, 0, 0), date(2028, 2, 29, 9, 0, 0, 0)},
		{"+1y", date(2099, 2, 28, 9, 0, 0, 0), date(2100, 2, 28, 9, 0, 0, 0)},
		{"-100y", date(2000, 2, 29, 9, 0, 0, 0), date(1900, 2, 28, 9, 0, 0, 0)},

		// Chains apply left to right.
		{"-1d@d+2h", now, date(2019, 3, 9, 2, 0, 0, 0)},
		{"@w1-7d", now, date(2019, 2, 25, 0, 0, 0, 0)},
		{"+1d@d", now, date(2019, 3, 11, 0, 0, 0, 0)},
		{"-7d@w1", now, date(2019, 2, 25, 0, 0, 0, 0)},
		{"-1h@h", now, date(2019, 3, 10, 12, 0, 0, 0)},
		{"-30m@m-5s", frac, date(2019, 3, 10, 12, 49, 55, 0)},
		{"@mon-1d", now, date(2019, 2, 28, 0, 0, 0, 0)},
		{"@y+1y-1d", now, date(2019, 12, 31, 0, 0, 0, 0)},
		{"-1q@q", now, date(2018, 10, 1, 0, 0, 0, 0)},
		{"@d@w1@mon", now, date(2019, 3, 1, 0, 0, 0, 0)},
		{"-1d+1d", now, now},

		// Sub-seconds of now survive offsets.
		{"-1d", frac, date(2019, 3, 9, 13, 20, 15, 250000000)},
		{"-1mon", frac, date(2019, 2, 10, 13, 20, 15, 250000000)},
		{"+90s", frac, date(2019, 3, 10, 13, 21, 45, 250000000)},

		// Absolute times; without a zone they are in now's location.
		{"2024-01-02T03:04:05Z", now, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).In(ny)},
		{"2024-01-02T03:04:05.5+01:00", now, time.Date(2024, 1, 2, 2, 4, 5, 500000000, time.UTC).In(ny)},
		{"2024-01-02 03:04:05-05:00", now, date(2024, 1, 2, 3, 4, 5, 0)},
		{"2024-01-02T03:04:05", now, date(2024, 1, 2, 3, 4, 5, 0)},
		{"2024-01-02T03:04:05.123456789", now, date(2024, 1, 2, 3, 4, 5, 123456789)},
		{"2024-01-02 03:04:05", now, date(2024, 1, 2, 3, 4, 5, 0)},
		{"2024-01-02 03:04:05.250", now, date(2024, 1, 2, 3, 4, 5, 250000000)},
		{"2024-01-02", now, date(2024, 1, 2, 0, 0, 0, 0)},
		{"01/02/2024:03:04:05", now, date(2024, 1, 2, 3, 4, 5, 0)},
		{"1/2/2024:3:04:05", now, date(2024, 1, 2, 3, 4, 5, 0)},
		{"1700000000", now, time.Unix(1700000000, 0).In(ny)},
		{"1700000000.5", now, time.Unix(1700000000, 500000000).In(ny)},
		{"1700000000.1234567899", now, time.Unix(1700000000, 123456789).In(ny)},
		{"0", now, time.Unix(0, 0).In(ny)},
		{"  -7d  ", now, date(2019, 3, 3, 13, 20, 15, 0)},
	}
	for _, tt := range tests {
		r, err := ParseRelative(tt.in)
		if err != nil {
			t.Errorf("ParseRelative(%q): %v", tt.in, err)
			continue
		}
		got := r.Resolve(tt.now)
		if !got.Equal(tt.want) || got.Location() != tt.now.Location() {
			t.Errorf("ParseRelative(%q).Resolve(%s) = %s, want %s",
				tt.in, tt.now.Format(time.RFC3339Nano), got.Format(time.RFC3339Nano), tt.want.Format(time.RFC3339Nano))
		}
	}
}

// TestResolveInLocation checks that calendar math uses now's location: the
// same instant snaps to different midnights in Tokyo and in UTC.
func TestResolveInLocation(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	r, err := ParseRelative("@d")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 5, 20, 0, 0, 0, time.UTC) // 05:00 on Mar 6 in Tokyo
	if got, want := r.Resolve(at.In(tokyo)), time.Date(2024, 3, 6, 0, 0, 0, 0, tokyo); !got.Equal(want) {
		t.Errorf("@d in Tokyo = %v, want %v", got, want)
	}
	if got, want := r.Resolve(at), time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("@d in UTC = %v, want %v", got, want)
	}
	abs, err := ParseRelative("2024-01-02 03:04:05")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := abs.Resolve(at.In(tokyo)), time.Date(2024, 1, 2, 3, 4, 5, 0, tokyo); !got.Equal(want) {
		t.Errorf("zoneless time in Tokyo = %v, want %v", got, want)
	}
}

// TestSnapRepeatedHour checks that @h inside the hour repeated when
// daylight saving time ends keeps the instance of the hour now is in.
func TestSnapRepeatedHour(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	// 2024-11-03 01:30 EST is the second 01:30 of the day (06:30 UTC).
	now := time.Date(2024, 11, 3, 6, 30, 0, 0, time.UTC).In(ny)
	r, err := ParseRelative("@h")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Resolve(now), time.Date(2024, 11, 3, 6, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("@h at %v = %v, want %v", now, got, want.In(ny))
	}
}

func TestRelativeStringAndIsNow(t *testing.T) {
	tests := []struct {
		in     string
		str    string
		isNow  bool
		offset bool
	}{
		{"now", "now", true, false},
		{" now ", "now", true, false},
		{"-0s", "-0s", true, false},
		{"+0d-0mon", "+0d-0mon", true, false},
		{"-1s", "-1s", false, false},
		{"@s", "@s", false, false},
		{"-1d@d+2h", "-1d@d+2h", false, false},
		{"2024-01-02", "2024-01-02", false, false},
		{"0", "0", false, false},
	}
	for _, tt := range tests {
		r, err := ParseRelative(tt.in)
		if err != nil {
			t.Fatalf("ParseRelative(%q): %v", tt.in, err)
		}
		if got := r.String(); got != tt.str {
			t.Errorf("ParseRelative(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
		if got := r.IsNow(); got != tt.isNow {
			t.Errorf("ParseRelative(%q).IsNow() = %v, want %v", tt.in, got, tt.isNow)
		}
	}
	var zero Relative
	if zero.String() != "now" || !zero.IsNow() || !zero.Resolve(tue).Equal(tue) {
		t.Errorf("zero Relative: String %q, IsNow %v, Resolve %v; want now", zero.String(), zero.IsNow(), zero.Resolve(tue))
	}
}

func TestParseRelativeErrors(t *testing.T) {
	const (
		units = "(use s, m, h, d, w, mon, q, y)"
		snaps = "(use s, m, h, d, w, w0 to w7, mon, q, y)"
		forms = "(use now, offsets and snaps such as -15m, -1d@d or @w1+8h, " +
			"or an absolute time such as 2024-01-02T03:04:05Z, 2024-01-02 03:04:05, 2024-01-02, " +
			"01/02/2024:03:04:05 or epoch seconds 1704164645)"
		iso = "a time such as 2024-01-02T03:04:05, 2024-01-02 03:04:05.123 or 2024-01-02T03:04:05Z"
	)
	tests := []struct {
		in   string
		want string
	}{
		{"", `relative time "": empty ` + forms},
		{"   ", `relative time "": empty ` + forms},
		{"-5x", `relative time "-5x": unknown unit "x" ` + units},
		{"-1H", `relative time "-1H": unknown unit "H" ` + units},
		{"-1M", `relative time "-1M": unknown unit "M" ` + units},
		{"-1Mon", `relative time "-1Mon": unknown unit "Mon" ` + units},
		{"-5", `relative time "-5": missing unit after "-5" ` + units},
		{"-", `relative time "-": missing unit after "-" ` + units},
		{"-1d+", `relative time "-1d+": missing unit after "+" ` + units},
		{"-1234567890s", `relative time "-1234567890s": offset "-1234567890" is too large (at most 9 digits)`},
		{"@", `relative time "@": missing unit after @ ` + snaps},
		{"-1d@", `relative time "-1d@": missing unit after @ ` + snaps},
		{"@5", `relative time "@5": snap "@5" needs a unit before the number ` + snaps},
		{"@x", `relative time "@x": unknown snap unit "x" ` + snaps},
		{"@w8", `relative time "@w8": unknown snap unit "w8" ` + snaps},
		{"@w12", `relative time "@w12": unknown snap unit "w12" ` + snaps},
		{"@d1", `relative time "@d1": unknown snap unit "d1" ` + snaps},
		{"@week1", `relative time "@week1": unknown snap unit "week1" ` + snaps},
		{"-1w1", `relative time "-1w1": unexpected '1' at offset 3: each step starts with +, - or @ ` + forms},
		{"-1d 2h", `relative time "-1d 2h": unexpected ' ' at offset 3: each step starts with +, - or @ ` + forms},
		{"yesterday", `relative time "yesterday": not a relative or absolute time ` + forms},
		{"now-1h", `relative time "now-1h": not a relative or absolute time ` + forms},
		{"2024-13-01", `relative time "2024-13-01": month out of range, in a date such as 2024-01-02`},
		{"2024-1-2", `relative time "2024-1-2": not a relative or absolute time ` + forms},
		{"2024-01-0x", `relative time "2024-01-0x": not a date such as 2024-01-02 ` + forms},
		{"2024-02-30T00:00:00", `relative time "2024-02-30T00:00:00": day out of range, in ` + iso},
		{"2024-01-02T03:04", `relative time "2024-01-02T03:04": not ` + iso + ` ` + forms},
		{"2024-01-02T03:04:05+0100", `relative time "2024-01-02T03:04:05+0100": not ` + iso + ` ` + forms},
		{"2024-01-02 25:00:00", `relative time "2024-01-02 25:00:00": hour out of range, in ` + iso},
		{"13/45/2024:00:00:00", `relative time "13/45/2024:00:00:00": month out of range, in a Splunk time such as 01/02/2024:03:04:05`},
		{"01/02/2024", `relative time "01/02/2024": not a Splunk time such as 01/02/2024:03:04:05 ` + forms},
		{"1.2.3", `relative time "1.2.3": not epoch seconds such as 1704164645 or 1704164645.250 ` + forms},
		{"1.", `relative time "1.": not epoch seconds such as 1704164645 or 1704164645.250 ` + forms},
		{"9999999999999", `relative time "9999999999999": epoch seconds out of range (at most 12 digits)`},
	}
	for _, tt := range tests {
		r, err := ParseRelative(tt.in)
		if err == nil {
			t.Errorf("ParseRelative(%q) = %v, want error %s", tt.in, r, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseRelative(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	r, err := ParseRelative("-1d@d+2h")
	if err != nil {
		b.Fatal(err)
	}
	now := tue
	b.ReportAllocs()
	for b.Loop() {
		now = r.Resolve(now)
	}
}
