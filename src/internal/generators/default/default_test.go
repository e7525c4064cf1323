package defaultgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// sampleGens builds the generator of a one-stanza configuration twice
// with the same seed, so that two ways of generating can be compared.
func sampleGens(t *testing.T, confText string, files map[string]string) (generate.Generator, generate.Generator) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for n, c := range files {
		os.WriteFile(filepath.Join(dir, "samples", n), []byte(c), 0o644)
	}
	f, err := conf.Parse("t.conf", []byte(confText))
	if err != nil {
		t.Fatal(err)
	}
	var gens []generate.Generator
	for range 2 {
		res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
		if len(res.Errors()) > 0 || len(res.Samples) != 1 {
			t.Fatal(res.Errors())
		}
		g, err := generate.New(res.Samples[0], rand.New(rand.NewPCG(7, 9)), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		gens = append(gens, g)
	}
	return gens[0], gens[1]
}

// raw renders b with GenerateRaw into chunks of at least limit bytes and
// checks the counts the chunks carry.
func raw(t *testing.T, g generate.Generator, b generate.Batch, limit int) string {
	t.Helper()
	var all strings.Builder
	var events int
	var bytes int64
	out := &generate.Chunks{Limit: limit, Full: func(c *generate.Chunks) bool {
		if len(c.Buf) == 0 || c.Buf[len(c.Buf)-1] != '\n' {
			t.Fatalf("chunk %q does not end on a whole line", c.Buf)
		}
		all.Write(c.Buf)
		events += c.Events
		bytes += c.Bytes
		c.Buf, c.Events, c.Bytes = make([]byte, 0, 2*limit), 0, 0
		return true
	}}
	out.Buf = make([]byte, 0, 2*limit)
	ok, err := g.(generate.RawGenerator).GenerateRaw(b, out)
	if err != nil || !ok {
		t.Fatalf("GenerateRaw: %v, %v", ok, err)
	}
	if len(out.Buf) > 0 {
		out.Full(out)
	}
	s := all.String()
	if n := strings.Count(s, "\n"); n != events || int64(len(s)-n) != bytes {
		t.Fatalf("chunks counted %d events and %d bytes, hold %d and %d", events, bytes, n, len(s)-n)
	}
	return s
}

// encoded renders b with Generate through the raw encoder.
func encoded(t *testing.T, g generate.Generator, b generate.Batch) string {
	t.Helper()
	enc, _ := output.NewEncoder("raw")
	var buf []byte
	if err := g.Generate(b, func(ev *output.Event) bool { buf = enc.Append(buf, ev); return true }); err != nil {
		t.Fatal(err)
	}
	return string(buf)
}

const accessSample = `1.2.3.4 - - [04/Mar/2024:13:40:02] "GET /a HTTP/1.1" 200 1362
5.6.7.8 - - [04/Mar/2024:13:40:03] "POST /b HTTP/1.1" 404 12
`

const accessTokens = `token.0.token = \[([^\]]+)\]
token.0.replacementType = timestamp
token.0.replacement = %d/%b/%Y:%H:%M:%S
token.1.token = ^\S+
token.1.replacementType = random
token.1.replacement = ipv4
token.2.token = HTTP/1\.1" (\d+)
token.2.replacementType = random
token.2.replacement = integer[200:599]
`

// TestGenerateRawMatchesGenerate: GenerateRaw writes exactly what
// Generate and the raw encoder write, random draws included, whatever
// the chunk size, for each way of choosing events and times.
func TestGenerateRawMatchesGenerate(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	window := generate.Batch{Count: 500, Earliest: t0.Add(-time.Minute), Latest: t0}
	cases := []struct {
		name  string
		extra string
		b     generate.Batch
	}{
		{"random times", "", window},
		{"randomizeEvents", "randomizeEvents = true\n", window},
		{"sequential", "sequentialTimestamp = true\n", window},
		{"byte budget", "", generate.Batch{Bytes: 20000, Earliest: window.Earliest, Latest: t0}},
		{"natural count", "", generate.Batch{Count: -1, Earliest: window.Earliest, Latest: t0}},
		{"bundlelines", "bundlelines = true\n", generate.Batch{Count: 3, Earliest: window.Earliest, Latest: t0}},
		{"a slice", "sequentialTimestamp = true\n", generate.Batch{Count: 500, From: 123, To: 321, Earliest: window.Earliest, Latest: t0}},
		{"same time, random tokens", "", generate.Batch{Count: 300, Earliest: t0, Latest: t0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := sampleGens(t, "[access.log]\n"+c.extra+accessTokens, map[string]string{"access.log": accessSample})
			want := encoded(t, a, c.b)
			for _, limit := range []int{1, 100, 64 << 10} {
				if got := raw(t, b, c.b, limit); got != want {
					t.Fatalf("chunk limit %d: GenerateRaw and Generate differ:\n%.300s\n---\n%.300s", limit, got, want)
				}
				a, b = sampleGens(t, "[access.log]\n"+c.extra+accessTokens, map[string]string{"access.log": accessSample})
				want = encoded(t, a, c.b)
			}
			if strings.Count(want, "\n") == 0 {
				t.Fatal("no events")
			}
		})
	}
}

// TestGenerateRawRepeats: when every event of an interval has the same
// time and only timestamp/static tokens, the interval is copies of one
// rendering; the copies must be the events Generate makes, in the
// sample's order, for any count, slice and chunk size.
func TestGenerateRawRepeats(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	sample := "2000-01-01 00:00:00 one\n2000-01-01 00:00:00 two two\n2000-01-01 00:00:00 three\n"
	cfg := "[w.log]\ntoken.0.token = ^\\S+ \\S+\ntoken.0.replacementType = timestamp\ntoken.0.replacement = %Y-%m-%d %H:%M:%S\n" +
		"token.1.token = two\ntoken.1.replacementType = static\ntoken.1.replacement = 2\n"
	for _, b := range []generate.Batch{
		{Count: 1}, {Count: 2}, {Count: 3}, {Count: 1000}, {Count: 5000},
		{Count: 5000, From: 1, To: 4000}, {Count: 5000, From: 4001, To: 9000},
	} {
		b.Earliest, b.Latest = t0, t0
		for _, limit := range []int{1, 1000, 64 << 10} {
			a, g := sampleGens(t, cfg, map[string]string{"w.log": sample})
			want := encoded(t, a, b)
			got := raw(t, g, b, limit)
			if got != want {
				t.Fatalf("%+v, limit %d: %d bytes, want %d:\n%.200s\n---\n%.200s", b, limit, len(got), len(want), got, want)
			}
			if b.Count == 1000 && !strings.HasPrefix(got, "2024-03-04 05:06:07 one\n2024-03-04 05:06:07 2 2\n") {
				t.Fatalf("events %.80q", got)
			}
		}
	}
}

// TestForkSlices: forks rendering the slices of an interval, each from
// its own seed, give the interval's events in their places (sample event,
// sequential time), and the same seed gives the same slice.
func TestForkSlices(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	whole := generate.Batch{Count: 1000, Earliest: t0.Add(-time.Minute), Latest: t0}
	a, _ := sampleGens(t, "[access.log]\nsequentialTimestamp = true\n"+accessTokens, map[string]string{"access.log": accessSample})
	want := strings.Split(encoded(t, a, whole), "\n")
	var got []string
	for from := 0; from < 1000; from += 300 {
		b := whole
		b.From, b.To = from, from+300
		f1 := a.(generate.Forker).Fork(wyrand.New(uint64(from)))
		f2 := a.(generate.Forker).Fork(wyrand.New(uint64(from)))
		s1, s2 := raw(t, f1, b, 1000), encoded(t, f2, b)
		if s1 != s2 {
			t.Fatalf("slice %d: two forks with one seed differ", from)
		}
		got = append(got, strings.Split(strings.TrimSuffix(s1, "\n"), "\n")...)
	}
	if len(got) != len(want)-1 {
		t.Fatalf("%d events from slices, want %d", len(got), len(want)-1)
	}
	for i, line := range got {
		// the time and the sample event are the interval's; ip and status are the fork's draws
		ts := func(s string) string { return s[strings.Index(s, "["):strings.Index(s, "]")] }
		if ts(line) != ts(want[i]) || strings.Contains(line, "POST") != strings.Contains(want[i], "POST") {
			t.Fatalf("event %d: %q, want time and request of %q", i, line, want[i])
		}
	}
}

// TestForkRefusesSequentialState: a stanza whose events depend on the
// ones before cannot be split.
func TestForkRefusesSequentialState(t *testing.T) {
	for _, extra := range []string{
		"token.3.token = 1362\ntoken.3.replacementType = integerid\ntoken.3.replacement = 1\n",
		"token.3.token = 1362\ntoken.3.replacementType = seqfile\ntoken.3.replacement = access.log\n",
		"bundlelines = true\n",
		"extendIndexes = a, b\n",
	} {
		a, _ := sampleGens(t, "[access.log]\n"+accessTokens+extra, map[string]string{"access.log": accessSample})
		if f := a.(generate.Forker).Fork(wyrand.New(1)); f != nil {
			t.Errorf("%q: Fork = %v, want nil", extra, fmt.Sprint(f != nil))
		}
	}
}

// A stanza whose token file carries placeholders that a later token
// fills takes the chained path; Generate, GenerateRaw (with and without
// repeats) and a Fork all render through it.
func TestChainedStanza(t *testing.T) {
	cfg := "[play.log]\ncount = 5\nearliest = now\nlatest = now\n" +
		"token.0.token = @@track\ntoken.0.replacementType = file\ntoken.0.replacement = tracks.txt\n" +
		"token.1.token = \\$trackId\\$\ntoken.1.replacementType = random\ntoken.1.replacement = integer[100:999]\n" +
		"token.2.token = region=(\\w+)\\s\ntoken.2.replacementType = static\ntoken.2.replacement = eu\n"
	files := map[string]string{"play.log": "play @@track region=xx\n", "tracks.txt": "id=$trackId$ genre=jazz\nid=$trackId$ genre=rock\n"}
	a, g := sampleGens(t, cfg, files)
	if a.(*Gen).chains == nil {
		t.Fatal("the stanza did not take the chained path")
	}
	b := generate.Batch{Count: 5, Earliest: time.Unix(1e9, 0), Latest: time.Unix(1e9, 0)}
	want := encoded(t, a, b)
	if got := raw(t, g, b, 64); got != want {
		t.Fatalf("GenerateRaw:\n%s\nGenerate:\n%s", got, want)
	}
	line := regexp.MustCompile(`^play id=\d{3} genre=(jazz|rock) region=eu$`)
	for _, l := range strings.Split(strings.TrimSuffix(want, "\n"), "\n") {
		if !line.MatchString(l) {
			t.Errorf("event %q: placeholders or the line-ending token not applied", l)
		}
	}
	f := a.(generate.Forker).Fork(wyrand.New(3))
	if f == nil {
		t.Fatal("no fork")
	}
	for _, l := range strings.Split(strings.TrimSuffix(encoded(t, f, b.Slice(0, 3)), "\n"), "\n") {
		if !line.MatchString(l) {
			t.Errorf("fork's event %q", l)
		}
	}
	// A static-only stanza on the chained path still repeats its rendering.
	a, g = sampleGens(t, "[s.log]\ncount = 7\nearliest = now\nlatest = now\ntoken.0.token = \\s$\ntoken.0.replacementType = static\ntoken.0.replacement = !\n",
		map[string]string{"s.log": "a b\nc d\n"})
	if a.(*Gen).chains == nil || !a.(*Gen).timeOnly {
		t.Fatal("want the chained path, rendered from the time alone")
	}
	if got, want := raw(t, g, b, 16), encoded(t, a, b); got != want || !strings.HasPrefix(got, "a b!\nc d!\n") {
		t.Fatalf("GenerateRaw %q, Generate %q", got, want)
	}
}

// The stanzas of the benchmarks stay on the compiled path.
func TestFastPathKept(t *testing.T) {
	a, _ := sampleGens(t, "[access.log]\n"+accessTokens, map[string]string{"access.log": accessSample})
	if a.(*Gen).chains != nil {
		t.Fatal("the web access stanza left the compiled path")
	}
}

// TestPlanAt: an event's time from integers is the Time that adding the
// drawn microseconds to the batch's earliest time gives, to the
// representation (== compares seconds, nanoseconds and location).
func TestPlanAt(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	locs := []*time.Location{time.UTC, time.Local, time.FixedZone("X", -5*3600-1800)}
	bases := []time.Time{time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Now(), time.Unix(1700000000, 999999000), time.Unix(1700000000, 1)}
	for range 200 {
		bases = append(bases, time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)))
	}
	us := []uint64{0, 1, 999, 999999, 1e6, 1e6 + 1, 59999999, 86400e6, 1 << 40}
	for range 200 {
		us = append(us, r.Uint64N(1<<42))
	}
	for _, loc := range locs {
		for _, b := range bases {
			p := plan{earliest: b.In(loc)}
			p.unix, p.nsec = p.earliest.Unix(), int64(p.earliest.Nanosecond())
			for _, u := range us {
				want := p.earliest.Add(time.Duration(u) * time.Microsecond)
				g := &Gen{s: &config.Sample{Location: loc}}
				if got := g.eventTime(p.at(u)); got != want {
					t.Fatalf("%v + %dµs in %v: got %v, want %v", b, u, loc, got, want)
				}
			}
		}
	}
}

// timeFramer frames each event with the time Open is given, for
// TestGenerateFramedTimes.
type timeFramer struct{ times []time.Time }

func (f *timeFramer) Meta(*output.Event) {}
func (f *timeFramer) Open(dst []byte, s output.Stamp) []byte {
	t := s.Time()
	f.times = append(f.times, t)
	return append(dst, t.Format(time.RFC3339Nano+" MST ")...)
}
func (f *timeFramer) Close(dst []byte, start int, _ output.Text) []byte { return append(dst, '\n') }

// TestGenerateFramedTimes: GenerateFramed gives the framer each event's
// time as Generate gives it (the Time its integers stand for, location
// included) and renders the same text, with the stanza's time zone
// (TestPlanAt checks the Time's representation).
func TestGenerateFramedTimes(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	b := generate.Batch{Count: 300, Earliest: t0.Add(-time.Minute), Latest: t0}
	for _, extra := range []string{"", "timezone = -0530\n", "sequentialTimestamp = true\n"} {
		conf := "[access.log]\n" + extra + accessTokens
		a, g := sampleGens(t, conf, map[string]string{"access.log": accessSample})
		var want []byte
		var times []time.Time
		if err := a.Generate(b, func(ev *output.Event) bool {
			times = append(times, ev.Time)
			want = append(append(append(want, ev.Time.Format(time.RFC3339Nano+" MST ")...), ev.Raw...), '\n')
			return true
		}); err != nil {
			t.Fatal(err)
		}
		fr := &timeFramer{}
		out := &generate.Chunks{Limit: 1 << 20, Full: func(*generate.Chunks) bool { return true }}
		if ok, err := g.(generate.FramedGenerator).GenerateFramed(b, out, fr); !ok || err != nil {
			t.Fatalf("%q: GenerateFramed: %v, %v", extra, ok, err)
		}
		if string(out.Buf) != string(want) {
			t.Fatalf("%q: framed\n%.300s\nwant\n%.300s", extra, out.Buf, want)
		}
		for i := range times {
			// Each generator has its own *Location for a timezone setting.
			if !fr.times[i].Equal(times[i]) || fr.times[i].Location().String() != times[i].Location().String() {
				t.Fatalf("%q: event %d: Open got %v, Generate %v", extra, i, fr.times[i], times[i])
			}
		}
	}
}

// TestTextFlags: what the generator tells a Framer of each sample event's
// text: one line for the access log's events (syslog then skips its
// search for a line feed), not for an event of two lines.
func TestTextFlags(t *testing.T) {
	g, _ := sampleGens(t, "[access.log]\n"+accessTokens, map[string]string{"access.log": accessSample})
	for k, f := range g.(*Gen).text {
		if f&output.TextOneLine == 0 || f&output.TextPlain == 0 {
			t.Errorf("access.log event %d: text %b, want plain and one line", k, f)
		}
	}
	g, _ = sampleGens(t, "[multi.log]\nbreaker = ^E\ntoken.0.token = @n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:9]\n",
		map[string]string{"multi.log": "E one @n\n  continued\nE two @n\n"})
	text := g.(*Gen).text
	if len(text) != 2 || text[0]&output.TextOneLine != 0 || text[1]&output.TextOneLine == 0 {
		t.Errorf("multi.log: text %b, want the first event (two lines) without TextOneLine, the second with it", text)
	}
}
