package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// twelve events shaped like Eventgen's tests/large/sample/replay: 21 s
// from first to last.
var replaySeconds = []int{0, 1, 2, 3, 3, 4, 5, 6, 8, 20, 21, 21}

func replaySample(fraction string) string {
	var b strings.Builder
	for i, s := range replaySeconds {
		fmt.Fprintf(&b, "2015-07-09 10:11:%02d%s replay event %d\n", s, fraction, i+1)
	}
	return b.String()
}

const replayConf = `[r.log]
mode = replay
token.0.token = ^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?)
token.0.replacementType = replaytimestamp
token.0.replacement = %Y-%m-%d %H:%M:%S.%f
`

func offsets(evs []jsonEvent) []float64 {
	var out []float64
	for _, ev := range evs {
		out = append(out, ev.Time-float64(start.Unix()))
	}
	return out
}

func TestReplaySpacing(t *testing.T) {
	sample := map[string]string{"r.log": "2015-07-09 10:11:00.000 a\n2015-07-09 10:11:01.250 b\n2015-07-09 10:11:03.250 c\n2015-07-09 10:11:04.000 d\n"}
	for _, c := range []struct {
		mult string
		want []float64
	}{
		{"1", []float64{0, 1.25, 3.25, 4}},
		{"2", []float64{0, 2.5, 6.5, 8}},
		{"0.5", []float64{0, 0.625, 1.625, 2}},
	} {
		t.Run("timeMultiple="+c.mult, func(t *testing.T) {
			evs := gen(t, replayConf+"timeMultiple = "+c.mult+"\nend = 1\n", map[string]string{"r.log": sample["r.log"]}, Options{})
			got := offsets(evs)
			if len(got) != len(c.want) {
				t.Fatalf("offsets %v, want %v", got, c.want)
			}
			for i := range got {
				if d := got[i] - c.want[i]; d > 0.0005 || d < -0.0005 {
					t.Fatalf("offsets %v, want %v (to the millisecond)", got, c.want)
				}
			}
			// the replaytimestamp token renders the replayed time
			for _, ev := range evs {
				want := time.UnixMilli(int64(math.Round(ev.Time * 1000))).UTC().Format("2006-01-02 15:04:05.000")
				if !strings.HasPrefix(ev.Raw, want) {
					t.Fatalf("event %q does not start with its time %s", ev.Raw, want)
				}
			}
		})
	}
}

func TestReplayPassesLoop(t *testing.T) {
	evs := gen(t, replayConf+"end = 3\ninterval = 2\n", map[string]string{"r.log": replaySample(".000")}, Options{})
	if len(evs) != 36 {
		t.Fatalf("%d events, want 3 passes × 12", len(evs))
	}
	for p := 0; p < 3; p++ {
		for i, s := range replaySeconds {
			want := float64(p*(21+2) + s)
			if got := offsets(evs[p*12+i : p*12+i+1])[0]; got != want {
				t.Fatalf("pass %d event %d at +%v, want +%v", p, i, got, want)
			}
		}
	}
}

func TestReplayBackfillMatchesEventgen(t *testing.T) {
	// Eventgen's test_mode_replay_backfill: -5s adds 3 events;
	// test_mode_replay_backfill_greater_interval: -120s adds 65.
	for _, c := range []struct {
		backfill string
		extra    int
	}{{"-5s", 3}, {"-120s", 65}} {
		evs := gen(t, replayConf+"end = 2\nbackfill = "+c.backfill+"\n", map[string]string{"r.log": replaySample(".000")}, Options{})
		if len(evs) != 24+c.extra {
			t.Fatalf("backfill %s: %d events, want 24 + %d", c.backfill, len(evs), c.extra)
		}
		prev := -1e18
		for i, off := range offsets(evs) {
			if off < prev {
				t.Fatalf("backfill %s: event %d out of time order", c.backfill, i)
			}
			prev = off
			if i < c.extra && off > 0 {
				t.Fatalf("backfilled event %d at +%v, want not after now", i, off)
			}
		}
		if offsets(evs)[c.extra] != 0 {
			t.Fatalf("the live pass starts at +%v, want now", offsets(evs)[c.extra])
		}
	}
}

// With delay, the backfill ends where the first live pass begins: at
// start + delay.
func TestReplayDelayedBackfill(t *testing.T) {
	evs := gen(t, replayConf+"end = 1\nbackfill = -5s\ndelay = 30\n", map[string]string{"r.log": replaySample(".000")}, Options{})
	if len(evs) != 12+3 {
		t.Fatalf("%d events, want 12 + 3", len(evs))
	}
	for i, off := range offsets(evs) {
		if i < 3 && (off > 30 || off < 25) {
			t.Fatalf("backfilled event %d at +%v, want in (start+25s, start+30s]", i, off)
		}
		if i == 3 && off != 30 {
			t.Fatalf("the live pass starts at +%v, want +30 (delay)", off)
		}
	}
}

func TestReplayCSVTimeFieldAndOutOfOrder(t *testing.T) {
	csv := "_time,_raw,host\n2015-08-18 16:28:54,1st,h1\n2015-08-18 16:28:56,2nd,h2\n2015-08-18 16:28:55,3rd (earlier),h3\n2015-08-18 16:28:58,4th,h4\n"
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "t.csv"), []byte(csv), 0o644)
	f, _ := conf.Parse("c", []byte("[t.csv]\nmode = replay\nsampletype = csv\ntimeField = _time\nend = 1\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	var out bytes.Buffer
	e, problems := Prepare(res.Samples, Options{Stdout: &out, Format: "jsonl", Clock: clock.NewSim(start)})
	warned := false
	for _, p := range problems {
		warned = warned || strings.Contains(p.Msg, "earlier than the event before")
	}
	if !warned || len(e.Stanzas()) != 1 {
		t.Fatalf("out-of-order sample not reported: %v", problems)
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var ev jsonEvent
		json.Unmarshal([]byte(line), &ev)
		got = append(got, fmt.Sprintf("%s@%v@%s", ev.Raw, ev.Time-float64(start.Unix()), ev.Host))
	}
	want := "1st@0@h1 2nd@2@h2 3rd (earlier)@2@h3 4th@5@h4"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s (a backwards gap counts as 0)", got, want)
	}
}

func TestReplayNeverInTheFuture(t *testing.T) {
	sample := "2015-07-09 10:11:00.000 a\n2015-07-09 10:11:00.040 b\n2015-07-09 10:11:00.080 c\n2015-07-09 10:11:00.120 d\n"
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "r.log"), []byte(sample), 0o644)
	f, _ := conf.Parse("c", []byte(replayConf+"end = 2\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	pr, pw := newTimedPipe()
	e, _ := Prepare(res.Samples, Options{Stdout: pw, Format: "jsonl", Clock: clock.Real{}})
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(pr.lines) != 8 {
		t.Fatalf("%d events, want 8", len(pr.lines))
	}
	for _, l := range pr.lines {
		var ev jsonEvent
		json.Unmarshal([]byte(l.text), &ev)
		if ev.Time > float64(l.at.UnixNano())/1e9+0.001 {
			t.Fatalf("event stamped %.3f but written at %.3f: in the future", ev.Time, float64(l.at.UnixNano())/1e9)
		}
	}
}

// timedPipe records when each line was written.
type timedLine struct {
	text string
	at   time.Time
}
type timedPipe struct{ lines []timedLine }

func newTimedPipe() (*timedPipe, *timedPipe) { p := &timedPipe{}; return p, p }
func (p *timedPipe) Write(b []byte) (int, error) {
	now := time.Now()
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if l != "" {
			p.lines = append(p.lines, timedLine{l, now})
		}
	}
	return len(b), nil
}

func TestReplayCheckpointResume(t *testing.T) {
	dir, cpDir := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "r.log"), []byte(replaySample(".000")), 0o644)
	run := func(at time.Time, saves int) int {
		f, _ := conf.Parse(filepath.Join(dir, "c.conf"), []byte(replayConf))
		res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		e, _ := Prepare(res.Samples, Options{Stdout: &out, Format: "jsonl", Clock: clock.NewSim(at), Checkpoints: &stopAfter{DirCheckpoints: DirCheckpoints{Dir: cpDir}, n: saves, cancel: cancel}})
		e.Run(ctx)
		return strings.Count(out.String(), "\n")
	}
	first := run(start, 2)                 // two passes
	second := run(start.Add(time.Hour), 1) // the third pass, where the second ended
	if first != 24 || second != 12 {
		t.Fatalf("first run %d events, second %d; want 24 then 12", first, second)
	}
}
