package engine

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// stepClock is a clock that only moves when the test says: SleepUntil
// blocks until advance reaches t, so a test can see the engine between
// two intervals.
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	tick chan struct{} // closed and replaced on every advance
}

func newStepClock(t time.Time) *stepClock { return &stepClock{now: t, tick: make(chan struct{})} }

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) SleepUntil(ctx context.Context, t time.Time) error {
	for {
		c.mu.Lock()
		now, tick := c.now, c.tick
		c.mu.Unlock()
		if !t.After(now) {
			return ctx.Err()
		}
		select {
		case <-tick:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	close(c.tick)
	c.tick = make(chan struct{})
	c.mu.Unlock()
}

// events decodes the jsonl events the engine's writer goroutine has
// written into out so far.
func events(t *testing.T, out *testlog.Buffer) []jsonEvent {
	var evs []jsonEvent
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var ev jsonEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("bad jsonl %q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// loadSamples is config.Load over one eventgen.conf in an app dir with
// the given sample files.
func loadSamples(t *testing.T, dir, confText string, samples map[string]string) []*config.Sample {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for name, content := range samples {
		if err := os.WriteFile(filepath.Join(dir, "samples", name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := conf.Parse(filepath.Join(dir, "default", "eventgen.conf"), []byte(confText))
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC, Now: start})
	if errs := res.Errors(); len(errs) > 0 {
		t.Fatalf("config errors: %v", errs)
	}
	return res.Samples
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const reloadA = `[a.log]
interval = 10
earliest = now
latest = now
count = 1
end = -1
token.0.token = @@N
token.0.replacementType = static
token.0.replacement = %s
`

const reloadB = `[b.log]
interval = 7
earliest = now
latest = now
count = 1
end = -1
`

func TestReloadKeepsScheduleAndDuplicatesNothing(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.log": "a @@N\n", "b.log": "b line\n", "c.log": "c line\n"}
	clk := newStepClock(start)
	var out testlog.Buffer
	cpDir := t.TempDir()
	e, problems := Prepare(loadSamples(t, dir, strings.Replace(reloadA, "%s", "one", 1)+reloadB, files),
		Options{Stdout: &out, Format: "jsonl", Clock: clk, Seed: 1, HasSeed: true, Watch: true, Checkpoints: DirCheckpoints{Dir: cpDir}})
	if len(problems) > 0 {
		t.Fatalf("prepare: %v", problems)
	}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- e.Run(ctx) }()
	count := func(prefix string) int {
		n := 0
		for _, ev := range events(t, &out) {
			if strings.HasPrefix(ev.Raw, prefix) {
				n++
			}
		}
		return n
	}
	find := func(name string) *Stanza {
		for _, st := range e.Stanzas() {
			if st.Sample.Name() == name {
				return st
			}
		}
		t.Fatalf("no stanza %s", name)
		return nil
	}
	stats := func(name string) Stats { return find(name).Stats() }
	last := func(name string) Interval { return find(name).LastInterval() }
	// a at 0, 10, 20; b at 0, 7, 14, 21
	waitFor(t, "the first intervals", func() bool { return count("a ") == 1 && count("b ") == 1 })
	clk.advance(25 * time.Second)
	waitFor(t, "a's 3 and b's 4 intervals", func() bool { return count("a ") == 3 && count("b ") == 4 })
	bBefore := e.Stanzas()[1]

	// a changes its token, b is unchanged, c is new.
	res, err := e.Reload(ctx, loadSamples(t, dir, strings.Replace(reloadA, "%s", "two", 1)+reloadB+"[c.log]\ninterval = 5\nearliest = now\nlatest = now\ncount = 2\nend = 2\n", nil))
	if err != nil {
		t.Fatal(err)
	}
	want := ReloadResult{Started: []string{"c.log"}, Restarted: []string{"a.log"}, Unchanged: []string{"b.log"}}
	if !slices.Equal(res.Started, want.Started) || !slices.Equal(res.Restarted, want.Restarted) || !slices.Equal(res.Unchanged, want.Unchanged) || len(res.Stopped) != 0 {
		t.Fatalf("reload result = %+v, want %+v", res, want)
	}
	if e.Stanzas()[1] != bBefore {
		t.Error("the unchanged stanza was replaced")
	}
	// a at 30, 40; b at 28, 35, 42; c (from 25) at 25, 30.
	clk.advance(20 * time.Second)
	waitFor(t, "the next intervals", func() bool { return count("a ") == 5 && count("b ") == 7 && count("c ") == 4 })

	// Removing b stops it; a and c stay; nothing of b after.
	res, err = e.Reload(ctx, loadSamples(t, dir, strings.Replace(reloadA, "%s", "two", 1)+"[c.log]\ninterval = 5\nearliest = now\nlatest = now\ncount = 2\nend = 2\n", nil))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Stopped, []string{"b.log"}) || !slices.Equal(res.Unchanged, []string{"a.log", "c.log"}) || res.Changed() != true {
		t.Fatalf("second reload = %+v", res)
	}
	clk.advance(10 * time.Second)
	waitFor(t, "a's interval at 50", func() bool { return count("a ") == 6 })
	if !stats("c.log").Ended {
		t.Error("c ran its 2 intervals but does not say it ended")
	}
	if got := last("a.log"); got.Events != 1 || got.Bytes != int64(len("a two")) || got.TotalEvents != 6 || got.Done != 6 {
		t.Errorf("a's stats after reload = %+v, want 6 events in all (counters carried over) and 1 event of 5 bytes in its last interval", got)
	}
	cancel()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(context.Background(), nil); !errors.Is(err, ErrStopped) {
		t.Errorf("Reload after Run returned: %v, want ErrStopped", err)
	}

	// The whole stream: every stanza's events at its own interval times,
	// none twice, none missing, and a's value changing exactly at the reload.
	times := map[string][]float64{}
	for _, ev := range events(t, &out) {
		times[ev.Raw] = append(times[ev.Raw], ev.Time-float64(start.Unix()))
	}
	wantTimes := map[string][]float64{
		"a one":  {0, 10, 20},
		"a two":  {30, 40, 50},
		"b line": {0, 7, 14, 21, 28, 35, 42},
		"c line": {25, 25, 30, 30},
	}
	for raw, w := range wantTimes {
		if !slices.Equal(times[raw], w) {
			t.Errorf("%q at %v s, want %v", raw, times[raw], w)
		}
	}
	if len(times) != len(wantTimes) {
		t.Errorf("events: %v, want only %v", times, wantTimes)
	}
	// b's checkpoint went with it; a's and c's stay.
	var ck []string
	entries, _ := os.ReadDir(cpDir)
	for _, de := range entries {
		ck = append(ck, de.Name())
	}
	if len(ck) != 2 || strings.Contains(strings.Join(ck, " "), "b.log") {
		t.Errorf("checkpoints after removing b: %v, want a's and c's only", ck)
	}
}

func TestReloadFromNothingAndBadStanza(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.log": "a line\n"}
	clk := newStepClock(start)
	var out testlog.Buffer
	e, _ := Prepare(nil, Options{Stdout: &out, Format: "modinput", StreamStanza: "modinput_eventgen://default", Clock: clk, Watch: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- e.Run(ctx) }()

	// No stanza: Run waits instead of returning.
	select {
	case err := <-runErr:
		t.Fatalf("Run returned with no stanza under Watch: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	res, err := e.Reload(ctx, loadSamples(t, dir, "[a.log]\ninterval = 10\ncount = 1\nearliest = now\nlatest = now\n", files))
	if err != nil || !slices.Equal(res.Started, []string{"a.log"}) {
		t.Fatalf("reload = %+v, %v", res, err)
	}
	waitFor(t, "the stream header and a's first event", func() bool {
		s := out.String()
		return strings.HasPrefix(s, "<stream>") && strings.Count(s, "<event") == 1
	})

	// A stanza that no longer prepares (its sample is not the CSV it now
	// claims to be) is stopped and reported. (A bad token regex would
	// not stop it: the stanza runs without that token.)
	res, err = e.Reload(ctx, loadSamples(t, dir, "[a.log]\ninterval = 10\ncount = 1\nsampletype = csv\n", files))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Stopped, []string{"a.log"}) || len(res.Problems) == 0 || !strings.Contains(res.Problems[0].String(), "_raw") {
		t.Fatalf("reload with a sample that does not load = %+v", res)
	}
	if n := len(e.Stanzas()); n != 0 {
		t.Errorf("%d stanzas still running", n)
	}
	clk.advance(time.Minute)
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if n := strings.Count(got, "<event"); n != 1 {
		t.Errorf("%d events, want 1: the stopped stanza kept generating", n)
	}
	if !strings.HasSuffix(got, "</stream>\n") {
		t.Errorf("stream not closed: %q", got)
	}
}

func TestReloadNeedsWatch(t *testing.T) {
	e, _ := Prepare(nil, Options{Stdout: &testlog.Buffer{}})
	if _, err := e.Reload(context.Background(), nil); err == nil {
		t.Error("Reload without Options.Watch succeeded")
	}
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	base := "[a.log]\ninterval = 10\ncount = 1\n"
	loadSamples(t, dir, base, map[string]string{"a.log": "x\n"})
	fp := func(text string) string { return fingerprint(loadSamples(t, dir, text, nil)[0]) }
	same := fp(base)
	if fp("# a comment moves the lines\n\n"+base) != same {
		t.Error("moving a stanza within the file changed its fingerprint")
	}
	if fp(strings.Replace(base, "count = 1", "count = 2", 1)) == same {
		t.Error("a changed count kept the fingerprint")
	}
	if fp(base+"token.0.token = x\ntoken.0.replacementType = static\ntoken.0.replacement = y\n") == same {
		t.Error("a new token kept the fingerprint")
	}
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("a longer sample line\n"), 0o644)
	if fingerprint(loadSamples(t, dir, base, nil)[0]) == same {
		t.Error("a changed sample file kept the fingerprint")
	}
}
