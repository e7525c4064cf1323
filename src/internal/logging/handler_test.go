package logging

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is an injectable clock for the rate limit.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestLogger returns a Splunk-format logger at level on a fake clock.
func newTestLogger(level slog.Leveler) (*slog.Logger, *bytes.Buffer, *fakeClock) {
	var b bytes.Buffer
	c := newFakeClock()
	return New(&b, Options{Level: level, Now: c.now}), &b, c
}

type stringer struct{}

func (stringer) String() string { return "from String" }

func TestSplunkFormat(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want string
	}{
		{"message only", func(l *slog.Logger) { l.Info("started") }, "INFO started\n"},
		{"plain values", func(l *slog.Logger) { l.Warn("sample not found", "stanza", "web.log", "count", 3) }, "WARN sample not found stanza=web.log count=3\n"},
		{"quoted values", func(l *slog.Logger) {
			l.Error("bad", "dir", "/opt/x y", "q", `say "hi"`, "eq", "a=b", "empty", "", "nl", "a\nb", "bs", `C:\x`)
		}, `ERROR bad dir="/opt/x y" q="say \"hi\"" eq="a=b" empty="" nl="a\nb" bs="C:\\x"` + "\n"},
		{"invalid UTF-8 quoted", func(l *slog.Logger) { l.Info("u", "v", "a\xffb") }, `INFO u v="a\xffb"` + "\n"},
		{"newlines in message", func(l *slog.Logger) { l.Info("line one\nline two\r\nline three\rend") }, "INFO line one line two line three end\n"},
		{"typed values", func(l *slog.Logger) {
			l.Info("t", "err", errors.New("boom now"), "d", 1500*time.Millisecond, "s", stringer{}, "b", true, "f", 1.5, "nil", nil)
		}, `INFO t err="boom now" d=1.5s s="from String" b=true f=1.5 nil=<nil>` + "\n"},
		{"time value", func(l *slog.Logger) { l.Info("when", "at", at) }, "INFO when at=2024-01-02T03:04:05Z\n"},
		{"unicode value unquoted", func(l *slog.Logger) { l.Info("u", "host", "héllo") }, "INFO u host=héllo\n"},
		{"slog.Attr in kv", func(l *slog.Logger) { l.Info("attr", slog.Int("n", 7), slog.Group("g", "a", 1)) }, "INFO attr n=7 g.a=1\n"},
		{"nested group", func(l *slog.Logger) {
			l.Warn("careful", slog.Group("req", "id", "a b", slog.Group("peer", "ip", "::1")))
		}, `WARN careful req.id="a b" req.peer.ip=::1` + "\n"},
		{"inline group", func(l *slog.Logger) { l.Info("g", slog.Group("", "a", 1)) }, "INFO g a=1\n"},
		{"empty attr ignored", func(l *slog.Logger) { l.Info("", "", "ignored") }, "INFO \n"},
		{"key with blanks", func(l *slog.Logger) { l.Info("k", "a key=x", 1) }, "INFO k a_key_x=1\n"},
		{"debug word", func(l *slog.Logger) { l.Debug("d") }, "DEBUG d\n"},
		{"level between words", func(l *slog.Logger) { l.Log(t.Context(), slog.LevelInfo+2, "between") }, "INFO between\n"},
		{"below debug", func(l *slog.Logger) { l.Log(t.Context(), slog.LevelDebug-4, "trace") }, "DEBUG trace\n"},
		{"fatal", func(l *slog.Logger) { l.Log(t.Context(), LevelFatal, "worse") }, "FATAL worse\n"},
		{"with attrs", func(l *slog.Logger) { l.With("stanza", "web").Info("w", "k", "v") }, "INFO w stanza=web k=v\n"},
		{"with group", func(l *slog.Logger) {
			l.With("stanza", "web").WithGroup("out").With("mode", "modinput").WithGroup("http").Info("with", "k", "v")
		}, "INFO with stanza=web out.mode=modinput out.http.k=v\n"},
		{"empty group name", func(l *slog.Logger) { l.WithGroup("").Info("empty group", "k", 1) }, "INFO empty group k=1\n"},
		{"group without attrs", func(l *slog.Logger) { l.WithGroup("g").Info("none") }, "INFO none\n"},
		{"LogValuer resolved", func(l *slog.Logger) { l.Info("lv", "v", valuer{}) }, "INFO lv v.x=1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, b, _ := newTestLogger(slog.LevelDebug - 4)
			tt.log(l)
			if b.String() != tt.want {
				t.Errorf("got  %q\nwant %q", b.String(), tt.want)
			}
		})
	}
}

type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.GroupValue(slog.Int("x", 1)) }

// TestWithAttrsDoesNotLeak checks that loggers derived from one another
// keep their own attributes.
func TestWithAttrsDoesNotLeak(t *testing.T) {
	l, b, _ := newTestLogger(nil)
	base := l.With("a", 1)
	x := base.With("x", 1)
	y := base.With("y", 2)
	x.Info("m")
	y.Info("m")
	base.Info("m")
	if got, want := b.String(), "INFO m a=1 x=1\nINFO m a=1 y=2\nINFO m a=1\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		level slog.Level
		want  string
	}{
		{slog.LevelDebug, "DEBUG d\nINFO i\nWARN w\nERROR e\nFATAL f\n"},
		{slog.LevelInfo, "INFO i\nWARN w\nERROR e\nFATAL f\n"},
		{slog.LevelWarn, "WARN w\nERROR e\nFATAL f\n"},
		{slog.LevelError, "ERROR e\nFATAL f\n"},
		{LevelFatal, "FATAL f\n"},
	}
	for _, tt := range tests {
		t.Run(LevelWord(tt.level), func(t *testing.T) {
			l, b, _ := newTestLogger(tt.level)
			l.Debug("d")
			l.Info("i")
			l.Warn("w")
			l.Error("e")
			l.Log(t.Context(), LevelFatal, "f")
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestLevelVar(t *testing.T) {
	var lv slog.LevelVar
	lv.Set(slog.LevelWarn)
	l, b, _ := newTestLogger(&lv)
	l.Info("hidden")
	if l.Enabled(t.Context(), slog.LevelInfo) {
		t.Error("INFO enabled at WARN")
	}
	lv.Set(slog.LevelDebug)
	l.Debug("shown")
	if got := b.String(); got != "DEBUG shown\n" {
		t.Errorf("after Set(Debug) got %q", got)
	}
}

func TestDefaultLevelIsInfo(t *testing.T) {
	var b bytes.Buffer
	l := New(&b, Options{})
	l.Debug("d")
	l.Info("i")
	if got := b.String(); got != "INFO i\n" {
		t.Errorf("got %q", got)
	}
}

func TestRateLimit(t *testing.T) {
	l, b, clock := newTestLogger(slog.LevelDebug)
	l.Warn("flaky", "stanza", "a")
	l.Warn("flaky", "stanza", "a")                               // the same line: held back
	l.With("stanza", "a").Warn("flaky")                          // the same line through a derived logger: held back
	l.Warn("flaky", "stanza", "b")                               // about another stanza: written
	l.Error("flaky", "stanza", "a")                              // other level: written
	l.Log(t.Context(), slog.LevelWarn+1, "flaky", "stanza", "a") // another slog level, the same word: held back
	l.Warn("other", "x", 1)                                      // other message: written
	clock.advance(59 * time.Second)
	l.Warn("flaky", "stanza", "a") // still held back
	clock.advance(time.Second)
	l.Warn("flaky", "stanza", "a") // a minute after the first: written with the count
	l.Warn("flaky", "stanza", "a") // held back again
	clock.advance(2 * time.Minute)
	l.Warn("flaky", "stanza", "a") // written, one held back
	clock.advance(2 * time.Minute)
	l.Warn("flaky", "stanza", "a") // written, nothing held back
	want := strings.Join([]string{
		"WARN flaky stanza=a",
		"WARN flaky stanza=b",
		"ERROR flaky stanza=a",
		"WARN other x=1",
		"WARN flaky stanza=a repeated=4",
		"WARN flaky stanza=a repeated=1",
		"WARN flaky stanza=a",
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRateLimitOptions(t *testing.T) {
	tests := []struct {
		name  string
		every time.Duration
		after time.Duration // clock advance between the two lines
		want  string
	}{
		{"default period holds back", 0, 59 * time.Second, "INFO x\n"},
		{"default period is a minute", 0, time.Minute, "INFO x\nINFO x\n"},
		{"shorter period", time.Second, time.Second, "INFO x\nINFO x\n"},
		{"negative: no limit", -1, 0, "INFO x\nINFO x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			c := newFakeClock()
			l := New(&b, Options{Every: tt.every, Now: c.now})
			l.Info("x")
			c.advance(tt.after)
			l.Info("x")
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestForgets(t *testing.T) {
	var b bytes.Buffer
	c := newFakeClock()
	h := NewHandler(&b, Options{Now: c.now}).(*splunkHandler)
	l := slog.New(h)
	for i := range maxSeen + 10 {
		l.Info(fmt.Sprintf("distinct %d", i))
	}
	if n := len(h.out.seen); n > maxSeen {
		t.Errorf("remembers %d lines, more than %d", n, maxSeen)
	}
	// The table was full of lines in their period: it was cleared, so
	// the first line is news again.
	l.Info("distinct 0")
	if n := strings.Count(b.String(), "\n"); n != maxSeen+11 {
		t.Errorf("wrote %d lines, want %d", n, maxSeen+11)
	}
}

// TestForgetKeepsRecent checks that a full table drops only lines whose
// period is over: a recent line stays held back.
func TestForgetKeepsRecent(t *testing.T) {
	var b bytes.Buffer
	c := newFakeClock()
	h := NewHandler(&b, Options{Now: c.now}).(*splunkHandler)
	l := slog.New(h)
	for i := range maxSeen - 1 {
		l.Info(fmt.Sprintf("old %d", i))
	}
	c.advance(time.Minute)
	l.Info("recent")
	l.Info("one more") // the table is full: the old lines go
	l.Info("recent")   // still held back
	if n := len(h.out.seen); n != 2 {
		t.Errorf("remembers %d lines, want 2", n)
	}
	if strings.Count(b.String(), "INFO recent") != 1 {
		t.Errorf("recent line written again after forgetting old ones")
	}
}

func TestConcurrent(t *testing.T) {
	var b testlog.Buffer
	c := newFakeClock()
	var lv slog.LevelVar
	l := New(&b, Options{Level: &lv, Now: c.now})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := l.With("g", g).WithGroup("x")
			for i := range 100 {
				if i%2 == 0 {
					l.Info("message", "g", g, "i", i)
				} else {
					d.Info("message", "i", i)
				}
				l.Warn("same") // the same line from every goroutine: one written
				if i == 50 {
					lv.Set(slog.LevelDebug)
					c.advance(time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 801 {
		t.Fatalf("got %d lines, want 801", len(lines))
	}
	same := 0
	for _, line := range lines {
		if line == "WARN same" {
			same++
			continue
		}
		if !strings.HasPrefix(line, "INFO message g=") || !strings.Contains(line, "i=") {
			t.Fatalf("torn line %q", line)
		}
	}
	if same != 1 {
		t.Errorf("the repeated line was written %d times", same)
	}
}

// TestTextMatchesSlog checks that the Text format is slog's text handler
// without the time, byte for byte, as the CLI printed before it used this
// package (its golden files compare stderr).
func TestTextMatchesSlog(t *testing.T) {
	logs := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("generating", "stanza", "web.log", "sample", "", "end", "1 intervals") }},
		{"quoting", func(l *slog.Logger) {
			l.Warn("not generating", "stanza", `*\.perfmon`, "why", "a=b", "q", `"x"`, "nl", "a\nb", "bad", "\xff")
		}},
		{"typed", func(l *slog.Logger) {
			l.Error("t", "err", errors.New("boom"), "d", time.Second, "at", time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.UTC), "f", 1.5, "nil", nil)
		}},
		{"groups", func(l *slog.Logger) {
			l.With("a", 1).WithGroup("g").With("b", 2).Info("m", "c", 3, slog.Group("h", "d", 4))
		}},
		{"debug", func(l *slog.Logger) { l.Debug("d", "k", "v") }},
		{"levels", func(l *slog.Logger) {
			l.Log(t.Context(), slog.LevelInfo+2, "between")
			l.Log(t.Context(), LevelFatal, "f")
		}},
		{"time key in a group kept", func(l *slog.Logger) { l.Info("m", slog.Group("g", "time", "noon")) }},
	}
	for _, tt := range logs {
		t.Run(tt.name, func(t *testing.T) {
			var got, want bytes.Buffer
			tt.log(New(&got, Options{Format: Text, Level: slog.LevelDebug}))
			tt.log(slog.New(slog.NewTextHandler(&want, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}})))
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
			if strings.Contains(got.String(), "time=") && tt.name != "time key in a group kept" {
				t.Errorf("time written: %s", got.String())
			}
		})
	}
}

func TestTextRateLimit(t *testing.T) {
	var b bytes.Buffer
	c := newFakeClock()
	l := New(&b, Options{Format: Text, Now: c.now})
	l.Warn("cannot write checkpoint", "stanza", "a")
	l.Warn("cannot write checkpoint", "stanza", "a")
	l.Warn("cannot write checkpoint", "stanza", "b")
	l.Debug("hidden")
	c.advance(time.Minute)
	l.Warn("cannot write checkpoint", "stanza", "a")
	want := `level=WARN msg="cannot write checkpoint" stanza=a
level=WARN msg="cannot write checkpoint" stanza=b
level=WARN msg="cannot write checkpoint" stanza=a repeated=1
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// failingWriter fails every write.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

// TestWriteErrorIgnored checks that a failed write reaches no caller: a
// handler has nowhere to report it.
func TestWriteErrorIgnored(t *testing.T) {
	for _, f := range []Format{Splunk, Text} {
		var w failingWriter
		h := NewHandler(&w, Options{Format: f})
		r := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
		if err := h.Handle(t.Context(), r); err != nil {
			t.Errorf("format %d: Handle returned %v", f, err)
		}
		if w.n != 1 {
			t.Errorf("format %d: %d writes, want 1", f, w.n)
		}
	}
}
