package engine

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// volume runs a configuration to io.Discard on the simulated clock and
// returns each stanza's stats.
func volume(t *testing.T, confText string, samples map[string]string) []Stats {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for n, c := range samples {
		os.WriteFile(filepath.Join(dir, "samples", n), []byte(c), 0o644)
	}
	f, err := conf.Parse("v.conf", []byte(confText))
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC, Now: start})
	if errs := res.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	e, problems := Prepare(res.Samples, Options{Stdout: io.Discard, Clock: clock.NewSim(start), HasSeed: true, Seed: 3})
	if len(e.Stanzas()) == 0 {
		t.Fatal(problems)
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []Stats
	for _, st := range e.Stanzas() {
		out = append(out, st.Stats())
	}
	return out
}

const accessTokens = `
token.0.token = \[([^\]]+)\]
token.0.replacementType = timestamp
token.0.replacement = %d/%b/%Y:%H:%M:%S %z
token.1.token = ^\S+
token.1.replacementType = random
token.1.replacement = ipv4
token.2.token = " \d+ (\d+)
token.2.replacementType = random
token.2.replacement = integer[1:1000000]
`

var accessSample = map[string]string{"a.log": `1.1.1.1 - - [x] "GET / HTTP/1.1" 200 5` + "\n" +
	`2.2.2.2 - - [x] "POST /a/very/long/path/to/something?with=query&and=more HTTP/1.1" 404 17` + "\n"}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*want {
		t.Errorf("%s = %.0f, want %.0f ± %.1f%%", what, got, want, tol*100)
	} else {
		t.Logf("%s = %.0f, target %.0f (%.4f%%)", what, got, want, (got-want)/want*100)
	}
}

func TestPerDayVolumeOverADay(t *testing.T) {
	// 0.01 GiB/day in 1440 one-minute intervals: tokens change event sizes.
	st := volume(t, "[a.log]\nperDayVolume = 0.01\ninterval = 60\nend = 1440\n"+accessTokens, accessSample)
	within(t, "bytes in a simulated day", float64(st[0].Bytes), 0.01*(1<<30), 0.01)
}

func TestPerDayVolumeWithRates(t *testing.T) {
	hours := `{"0":0.5,"1":0.5,"2":0.5,"3":0.5,"4":0.5,"5":0.5,"6":1,"7":1,"8":1.5,"9":1.5,"10":1.5,"11":1.5,"12":1.5,"13":1.5,"14":1.5,"15":1.5,"16":1,"17":1,"18":1,"19":1,"20":0.5,"21":0.5,"22":0.5,"23":0.5}`
	mean := (0.5*10 + 1*6 + 1.5*8) / 24
	st := volume(t, "[a.log]\nperDayVolume = 0.005\ninterval = 300\nend = 288\nhourOfDayRate = "+hours+"\n"+accessTokens, accessSample)
	within(t, "bytes in a simulated day with hourOfDayRate", float64(st[0].Bytes), 0.005*(1<<30)*mean, 0.01)
}

func TestPerDayVolumeDuringBackfill(t *testing.T) {
	// a day of backfill at 60 s intervals: 1441 intervals up to now
	st := volume(t, "[a.log]\nperDayVolume = 0.002\ninterval = 60\nbackfill = -1d\nend = 1\n"+accessTokens, accessSample)
	within(t, "bytes backfilled for a day", float64(st[0].Bytes), 0.002*(1<<30)*1442/1440, 0.01)
}

func TestEPSAndKBps(t *testing.T) {
	st := volume(t, "[a.log]\neps = 2.5\ninterval = 1\nend = 100\n", accessSample)
	if st[0].Events != 250 {
		t.Errorf("eps 2.5 for 100 s: %d events, want 250", st[0].Events)
	}
	st = volume(t, "[a.log]\nkbps = 10\ninterval = 10\nend = 100\n"+accessTokens, accessSample)
	within(t, "kbps 10 for 1000 s", float64(st[0].Bytes), 10*1024*1000, 0.001)
}

func TestRateShapeOverAWeek(t *testing.T) {
	hours := map[int]float64{}
	var hb strings.Builder
	hb.WriteString("{")
	for h := 0; h < 24; h++ {
		hours[h] = 0.2 + float64(h%12)/10
		fmt.Fprintf(&hb, "%q: %v,", strconv.Itoa(h), hours[h])
	}
	hj := strings.TrimSuffix(hb.String(), ",") + "}"
	days := map[int]float64{0: 0.5, 1: 1, 2: 1.1, 3: 1.2, 4: 1.1, 5: 1, 6: 0.6}
	dj := `{"0": 0.5, "1": 1, "2": 1.1, "3": 1.2, "4": 1.1, "5": 1, "6": 0.6}`
	cfg := "[a.log]\ncount = 1000\ninterval = 3600\nend = 168\nhourOfDayRate = " + hj + "\ndayOfWeekRate = " + dj + "\n"
	evs := gen(t, cfg, map[string]string{"a.log": "x\n"}, Options{})
	byHour, byDay := map[int]float64{}, map[int]float64{}
	wantHour, wantDay := map[int]float64{}, map[int]float64{}
	for i := 0; i < 168; i++ {
		at := start.Add(time.Duration(i) * time.Hour)
		n := math.RoundToEven(1000 * hours[at.Hour()] * days[int(at.Weekday())])
		wantHour[at.Hour()] += n
		wantDay[int(at.Weekday())] += n
	}
	for _, ev := range evs {
		at := time.Unix(int64(ev.Time), 0).UTC()
		byHour[at.Hour()]++
		byDay[int(at.Weekday())]++
	}
	for h := 0; h < 24; h++ {
		within(t, fmt.Sprintf("events at hour %d over a week", h), byHour[h], wantHour[h], 0.01)
	}
	for d := 0; d < 7; d++ {
		within(t, fmt.Sprintf("events on weekday %d", d), byDay[d], wantDay[d], 0.01)
	}
}

func TestBackfillADayThenTenIntervals(t *testing.T) {
	evs := gen(t, "[a.log]\nbackfill = -1d\ninterval = 300\ncount = 3\nearliest = -300s\nend = 10\n", map[string]string{"a.log": "x\n"}, Options{})
	// 289 backfill intervals (start-24h .. start), the first execution
	// of the 10, then 9 live ones
	if len(evs) != (289+9)*3 {
		t.Fatalf("%d events, want %d", len(evs), (289+9)*3)
	}
	for i, ev := range evs {
		k := i / 3
		hi := float64(start.Add(time.Duration(k-288) * 5 * time.Minute).Unix())
		if ev.Time > hi || ev.Time < hi-300 {
			t.Fatalf("event %d (interval %d) at %v outside (%v-300, %v]", i, k, ev.Time, hi, hi)
		}
		if k <= 288 && ev.Time > float64(start.Unix()) {
			t.Fatalf("backfilled event %d in the future", i)
		}
	}
}
