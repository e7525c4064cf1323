package timeutil

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"
)

// fuzzTimes are instants every fuzzed format is rendered at: sub-second
// digits, a Sunday, year boundaries, a zone without abbreviation, a DST
// location, and the edges of what time.Time represents.
func fuzzTimes(t testing.TB) []time.Time {
	return []time.Time{
		tue,
		sun,
		time.Date(2024, 12, 30, 23, 59, 59, 999999999, time.FixedZone("", -34200)),
		time.Date(2021, 1, 3, 0, 0, 0, 0, mustLoad(t, "Europe/Paris")),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-100, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(-1, 1).UTC(),
		time.Time{},
		time.Unix(1<<62, 999999999).UTC(),
		time.Unix(-1<<62, 0).UTC(),
	}
}

// goldenLayouts seeds fuzzers with the layouts of the golden file.
func goldenLayouts(f *testing.F) []string {
	file, err := os.Open("testdata/strftime.golden.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	seen := map[string]bool{}
	var layouts []string
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var c goldenCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			f.Fatal(err)
		}
		if !seen[c.Layout] {
			seen[c.Layout] = true
			layouts = append(layouts, c.Layout)
		}
	}
	return layouts
}

func FuzzParseFormat(f *testing.F) {
	for _, l := range goldenLayouts(f) {
		f.Add(l)
	}
	for _, l := range []string{
		"%d/%b/%Y:%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%3N%z", "%N %1N %6N %9N %3f %:z %-j %_e %^Z %#Z",
		"%", "%-", "%3Y", "%12N", "%0N", "%é%", "%%%", "%E", "%:", "%-:z", "%3:z",
	} {
		f.Add(l)
	}
	times := fuzzTimes(f)
	f.Fuzz(func(t *testing.T, layout string) {
		fm, err := ParseFormat(layout)
		if err != nil {
			if fm != nil {
				t.Fatalf("ParseFormat(%q) returned a Format and an error", layout)
			}
			return
		}
		if fm.String() != layout {
			t.Fatalf("ParseFormat(%q).String() = %q", layout, fm.String())
		}
		c := fm.NewFormatter()
		for _, at := range times {
			a := string(fm.Append(nil, at))
			b := string(c.Append(nil, at))
			if a != b {
				t.Fatalf("%q at %v: Format.Append = %q, Formatter.Append = %q", layout, at, a, b)
			}
			if !fm.HasDirective() && a != string(fm.Append(nil, tue)) {
				t.Fatalf("%q has no directive but renders %q at %v and %q at %v", layout, a, at, fm.Append(nil, tue), tue)
			}
			if !fm.SubSecond() && a != string(fm.Append(nil, at.Truncate(time.Second))) {
				t.Fatalf("%q is not sub-second but renders differently without the fraction of %v", layout, at)
			}
		}
	})
}

func FuzzParseRelative(f *testing.F) {
	for _, s := range []string{
		"now", "-7d", "-0mon@mon", "-1mon@mon", "-3d@d", "+5d", "-h", "@w1", "@w7", "@q",
		"-1d@d+2h", "@w1-7d", "+1d@d", "-7d@w1", "-1h@h", "-30m@m-5s", "-999999999y",
		"+999999999w+999999999w", "-999999999s@y-999999999mon",
		"2024-01-02T03:04:05Z", "2024-01-02T03:04:05.5+01:00", "2024-01-02 03:04:05.250",
		"2024-01-02", "01/02/2024:03:04:05", "1700000000", "1700000000.5", "0",
		"", "-5x", "@", "@w8", "-1w1", "2024-13-01", "1.2.3", "9999999999999",
	} {
		f.Add(s)
	}
	ny := mustLoad(f, "America/New_York")
	nows := []time.Time{
		time.Date(2019, 3, 10, 13, 20, 15, 250000000, ny),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Time{},
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRelative(s)
		if err != nil {
			return
		}
		if r.String() == "" {
			t.Fatalf("ParseRelative(%q).String() is empty", s)
		}
		again, err := ParseRelative(r.String())
		if err != nil {
			t.Fatalf("ParseRelative(%q) accepted, but not its String %q: %v", s, r.String(), err)
		}
		for _, now := range nows {
			got := r.Resolve(now)
			if got.Location() != now.Location() {
				t.Fatalf("ParseRelative(%q).Resolve(%v) is in %v, not in now's location", s, now, got.Location())
			}
			if r.IsNow() && !got.Equal(now) {
				t.Fatalf("ParseRelative(%q).IsNow() but Resolve(%v) = %v", s, now, got)
			}
			if again := again.Resolve(now); !again.Equal(got) {
				t.Fatalf("ParseRelative(%q) and its String resolve differently: %v, %v", s, got, again)
			}
		}
	})
}
