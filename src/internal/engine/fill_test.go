package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/generate"
)

// The benchmark's web access stanza with intervals cut into slices
// (count > sliceEvents), two of them.
var slicedConf = strings.Replace(webConf, "count = 100000", "count = 30000\nend = 2", 1)

var slicedSamples = map[string]string{
	"access.log":   `1.2.3.4 - - [04/Mar/2024:13:40:02] "GET /cart.do?action=view HTTP/1.1" 200 1362` + "\n",
	"requests.txt": "GET /cart.do?action=view\nPOST /cart.do?action=purchase\n",
}

// runOut runs a configuration on the simulated clock with GOMAXPROCS set
// to procs and returns what it wrote to stdout in format.
func runOut(t *testing.T, confText string, samples map[string]string, format string, procs int) string {
	return runSeed(t, confText, samples, format, procs, 3)
}

func runSeed(t *testing.T, confText string, samples map[string]string, format string, procs int, seed uint64) string {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	var out bytes.Buffer
	e, problems := Prepare(loadSamples(t, t.TempDir(), confText, samples), Options{Stdout: &out, Format: format, Clock: clock.NewSim(start), Seed: seed, HasSeed: true})
	if len(e.Stanzas()) != 1 {
		t.Fatal(problems)
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestSlicedIntervalsDoNotDependOnCores: an interval generated in slices
// gives the same bytes whether one goroutine renders every slice or
// several render them at once, in every output format, and holds every
// event, whole, in the sample's order.
func TestSlicedIntervalsDoNotDependOnCores(t *testing.T) {
	line := regexp.MustCompile(`^\d{1,3}(\.\d{1,3}){3} - - \[05/Mar/2024:1[12]:\d\d:\d\d\] "(GET|POST) /cart\.do\?action=\w+ HTTP/1\.1" [2-5]\d\d \d+$`)
	for _, format := range []string{"raw", "jsonl", "modinput"} {
		t.Run(format, func(t *testing.T) {
			one := runOut(t, slicedConf, slicedSamples, format, 1)
			for _, procs := range []int{2, 5} {
				if got := runOut(t, slicedConf, slicedSamples, format, procs); got != one {
					t.Fatalf("GOMAXPROCS=%d wrote %d bytes, GOMAXPROCS=1 %d: not the same", procs, len(got), len(one))
				}
			}
			if format != "raw" {
				return
			}
			lines := strings.Split(strings.TrimSuffix(one, "\n"), "\n")
			if len(lines) != 60000 {
				t.Fatalf("%d events, want 60000", len(lines))
			}
			ips := map[string]bool{}
			for i, l := range lines {
				if !line.MatchString(l) {
					t.Fatalf("event %d: %q", i, l)
				}
				ips[l[:strings.IndexByte(l, ' ')]] = true
			}
			if len(ips) < 59000 {
				t.Fatalf("only %d different addresses in 60000 events: slices repeat their random draws", len(ips))
			}
		})
	}
}

// TestSliceSizes: a stanza whose events render from their time alone
// (scenario 1's shape) is cut into slices of 8192 events, as its
// generator asks (generate.SliceSizer), others into sliceEvents; the
// output is the same on 1 and 3 cores either way, and holds every event.
func TestSliceSizes(t *testing.T) {
	timeOnly := strings.Replace(windbagConf, "count = 100000", "count = 30000\nend = 2", 1)
	for _, c := range []struct {
		name, conf string
		samples    map[string]string
		want       int
	}{
		{"time only", timeOnly, map[string]string{"windbag.log": "2014-01-04 20:00:00 WINDBAG Event 1 of 12\n"}, 8192},
		{"random tokens", slicedConf, slicedSamples, sliceEvents},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, problems := Prepare(loadSamples(t, t.TempDir(), c.conf, c.samples), Options{Stdout: io.Discard, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
			if len(e.Stanzas()) != 1 {
				t.Fatal(problems)
			}
			if got := sliceEventsOf(e.Stanzas()[0].gen); got != c.want {
				t.Errorf("slices of %d events, want %d", got, c.want)
			}
			e.outs.CloseAll()
			one := runOut(t, c.conf, c.samples, "raw", 1)
			if n := strings.Count(one, "\n"); n != 60000 {
				t.Fatalf("%d events, want 60000", n)
			}
			if got := runOut(t, c.conf, c.samples, "raw", 3); got != one {
				t.Fatalf("GOMAXPROCS=3: not the output of GOMAXPROCS=1")
			}
		})
	}
}

// TestSlicerGrows: a stanza's slicer, kept from one interval to the
// next, takes intervals of more slices than any before (11 slices, then
// 12: append had given its slice list room for 12, but not the list of
// which slices are ready: a panic TestShardsAddUp found), and of fewer.
func TestSlicerGrows(t *testing.T) {
	e, problems := Prepare(loadSamples(t, t.TempDir(), slicedConf, slicedSamples), Options{Stdout: io.Discard, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
	if len(e.Stanzas()) != 1 {
		t.Fatal(problems)
	}
	defer e.outs.CloseAll()
	st := e.Stanzas()[0]
	ctx := context.Background()
	var want int64
	for i, events := range []int{11 * sliceEvents, 12 * sliceEvents, 3 * sliceEvents, 13*sliceEvents + 1, 40 * sliceEvents} {
		now := start.Add(time.Duration(i) * time.Second)
		k := intervalSink(ctx, st)
		st.evs.base = st.intervalBase(now)
		b := generate.Batch{Count: events, Earliest: now.Add(-time.Second), Latest: now, Stream: st.evs.fn}
		if err := fill(k, st.gen, b.Slice(0, events)); err != nil {
			t.Fatal(err)
		}
		st.events.Add(int64(k.Events)) // full chunks were counted as they went
		if want += int64(events); st.events.Load() != want {
			t.Fatalf("interval %d of %d events: %d events in all, want %d", i, events, st.events.Load(), want)
		}
		if err := st.w.Submit(k.batch()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSlicedManySlices: an interval of many more slices than workers
// (more than maxAhead) gives the same output whatever the number of
// workers.
func TestSlicedManySlices(t *testing.T) {
	conf := "[n.log]\ncount = 150000\nend = 1\ntoken.0.token = @@n\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:999999]\n"
	samples := map[string]string{"n.log": "v=@@n\n"}
	one := runOut(t, conf, samples, "raw", 1)
	if n := strings.Count(one, "\n"); n != 150000 {
		t.Fatalf("%d events, want 150000", n)
	}
	for _, procs := range []int{2, 3} {
		if got := runOut(t, conf, samples, "raw", procs); got != one {
			t.Fatalf("GOMAXPROCS=%d: not the output of GOMAXPROCS=1", procs)
		}
	}
}

// TestSlicedSeeds: another seed gives other values; the same gives the same.
func TestSlicedSeeds(t *testing.T) {
	a, b := runOut(t, slicedConf, slicedSamples, "raw", 2), runOut(t, slicedConf, slicedSamples, "raw", 2)
	if a != b {
		t.Fatal("same seed, different output")
	}
	if runSeed(t, slicedConf, slicedSamples, "raw", 2, 4) == a {
		t.Fatal("another seed gave the same output")
	}
}

// cancelOnWrite cancels a context on its first write and fails the writes
// after that, as a receiver going away during an interval would.
type cancelOnWrite struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (s *cancelOnWrite) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if s.n == 1 {
		s.cancel()
		return len(p), nil
	}
	return 0, fmt.Errorf("receiver gone")
}

// TestSlicedIntervalStops: a sliced interval stops, without hanging, when
// the run is cancelled or the output fails in the middle of it.
func TestSlicedIntervalStops(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelOnWrite{cancel: cancel}
	e, _ := Prepare(loadSamples(t, t.TempDir(), strings.Replace(slicedConf, "count = 30000", "count = 300000", 1), slicedSamples),
		Options{Stdout: w, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
	if err := e.Run(ctx); err != nil && !strings.Contains(err.Error(), "receiver gone") {
		t.Fatal(err)
	}
	if got := e.Stanzas()[0].Stats().Events; got >= 300000 {
		t.Fatalf("%d events written after the stop", got)
	}
}

// TestSteadyIntervalsAllocateNothing: once a stanza has run a few
// intervals, the next ones allocate nothing, whether they are sliced
// (windbag's repeated line, web access in raw and modinput form) or filled
// whole under a byte budget (perDayVolume). Garbage per interval, at a
// thousand intervals a second, made the heap and the RSS grow in steps
// between collections. With GOMAXPROCS=1 (AllocsPerRun's) every slice is
// rendered by the caller; with 2 the workers' goroutines run too.
func TestSteadyIntervalsAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	windbag := map[string]string{"windbag.log": "2024-03-04 00:00:00 -0700 WINDBAG Event 1 of 1\n"}
	web := map[string]string{
		"access.log":   slicedSamples["access.log"],
		"requests.txt": slicedSamples["requests.txt"],
	}
	volume := strings.Replace(webConf, "count = 100000\ninterval = 1", "perDayVolume = 1\ninterval = 60", 1)
	for _, tc := range []struct {
		name, conf, format string
		samples            map[string]string
	}{
		{"windbag", windbagConf, "raw", windbag},
		{"web raw", webConf, "raw", web},
		{"web modinput", webConf, "modinput", web},
		{"perDayVolume", volume, "raw", web},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, problems := Prepare(loadSamples(t, t.TempDir(), tc.conf, tc.samples), Options{Stdout: io.Discard, Format: tc.format, Clock: clock.NewSim(start), Seed: 1, HasSeed: true})
			if len(e.Stanzas()) != 1 {
				t.Fatal(problems)
			}
			defer e.outs.CloseAll()
			st := e.Stanzas()[0]
			now := start
			interval := func() {
				last, err := e.runInterval(context.Background(), st, now)
				if err != nil {
					t.Fatal(err)
				}
				if err := st.w.Submit(last); err != nil {
					t.Fatal(err)
				}
				now = now.Add(time.Duration(st.Sample.Interval) * time.Second)
			}
			for range 5 { // warm up: forks, buffers, caches
				interval()
			}
			if n := testing.AllocsPerRun(10, interval); n != 0 {
				t.Errorf("GOMAXPROCS=1: %v allocations per interval, want 0", n)
			}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
			// Longer: how many chunks wait for their turn at most, and so
			// how many buffers and goroutine structures the run needs,
			// depends on the scheduling.
			for range 30 {
				interval()
			}
			const runs = 20
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				interval()
			}
			runtime.ReadMemStats(&after)
			// Not exactly 0: the runtime, the test framework, and a
			// buffer for a queue depth the scheduling has not reached
			// before may allocate meanwhile (seen: up to ~1 per interval
			// on a busy machine). Forking per interval, the regression
			// this guards against, made 91-107 per interval.
			if n := after.Mallocs - before.Mallocs; n >= 5*runs {
				t.Errorf("GOMAXPROCS=2: %d allocations in %d intervals, want fewer than 5 per interval", n, runs)
			}
		})
	}
}
