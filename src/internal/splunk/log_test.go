package splunk

import (
	"bytes"
	"errors"
	"fmt"
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

func newTestLogger(level Level) (*Logger, *bytes.Buffer, *fakeClock) {
	var b bytes.Buffer
	l := NewLogger(&b, level)
	c := &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	l.now = c.now
	return l, &b, c
}

type stringer struct{}

func (stringer) String() string { return "from String" }

func TestLoggerFormat(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *Logger)
		want string
	}{
		{"message only", func(l *Logger) { l.Info("started") }, "INFO started\n"},
		{"plain values", func(l *Logger) { l.Warn("sample not found", "stanza", "web.log", "count", 3) }, "WARN sample not found stanza=web.log count=3\n"},
		{"quoted values", func(l *Logger) {
			l.Error("bad", "dir", "/opt/x y", "q", `say "hi"`, "eq", "a=b", "empty", "", "nl", "a\nb", "bs", `C:\x`)
		}, `ERROR bad dir="/opt/x y" q="say \"hi\"" eq="a=b" empty="" nl="a\nb" bs="C:\\x"` + "\n"},
		{"newlines in message", func(l *Logger) { l.Info("line one\nline two\r\nline three\rend") }, "INFO line one line two line three end\n"},
		{"typed values", func(l *Logger) {
			l.Info("t", "err", errors.New("boom now"), "d", 1500*time.Millisecond, "s", stringer{}, "b", true, "f", 1.5, "nil", nil)
		}, `INFO t err="boom now" d=1.5s s="from String" b=true f=1.5 nil=<nil>` + "\n"},
		{"unicode value unquoted", func(l *Logger) { l.Info("u", "host", "héllo") }, "INFO u host=héllo\n"},
		{"odd kv", func(l *Logger) { l.Info("odd", "k", "v", "dangling") }, "INFO odd k=v !BADKEY=dangling\n"},
		{"non-string key", func(l *Logger) { l.Info("nk", 42, "v") }, "INFO nk !BADKEY=42 !BADKEY=v\n"},
		{"slog.Attr in kv", func(l *Logger) { l.Info("attr", slog.Int("n", 7), slog.Group("g", "a", 1)) }, "INFO attr n=7 g.a=1\n"},
		{"key with blanks", func(l *Logger) { l.Info("k", "a key=x", 1) }, "INFO k a_key_x=1\n"},
		{"debug word", func(l *Logger) { l.Debug("d") }, "DEBUG d\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, b, _ := newTestLogger(Debug)
			tt.log(l)
			if b.String() != tt.want {
				t.Errorf("got  %q\nwant %q", b.String(), tt.want)
			}
		})
	}
}

func TestLoggerLevel(t *testing.T) {
	l, b, _ := newTestLogger(Warn)
	l.Debug("d")
	l.Info("i")
	l.Warn("w")
	l.Error("e")
	if got, want := b.String(), "WARN w\nERROR e\n"; got != want {
		t.Errorf("at WARN got %q, want %q", got, want)
	}
	b.Reset()
	l.SetLevel(Debug)
	l.Debug("d")
	if got := b.String(); got != "DEBUG d\n" {
		t.Errorf("after SetLevel(Debug) got %q", got)
	}
	b.Reset()
	l.SetLevel(Fatal)
	l.Error("e2")
	if b.Len() != 0 {
		t.Errorf("at FATAL an error was written: %q", b.String())
	}
	var nilLogger *Logger
	nilLogger.Info("no panic") // a nil *Logger logs nothing
}

func TestLoggerRateLimit(t *testing.T) {
	l, b, clock := newTestLogger(Debug)
	l.Warn("flaky", "stanza", "a")
	l.Warn("flaky", "stanza", "a")  // the same line: held back
	l.Warn("flaky", "stanza", "a")  // held back
	l.Warn("flaky", "stanza", "b")  // about another stanza: written
	l.Error("flaky", "stanza", "a") // other level: written
	l.Warn("other", "x", 1)         // other message: written
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
		"WARN flaky stanza=a repeated=3",
		"WARN flaky stanza=a repeated=1",
		"WARN flaky stanza=a",
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestLoggerForgets(t *testing.T) {
	l, b, clock := newTestLogger(Info)
	for i := range maxSeen + 10 {
		l.Info(fmt.Sprintf("distinct %d", i))
	}
	if len(l.seen) > maxSeen {
		t.Errorf("remembers %d messages, more than %d", len(l.seen), maxSeen)
	}
	clock.advance(2 * time.Minute)
	l.Info("new one")
	if len(l.seen) > maxSeen {
		t.Errorf("remembers %d messages after the period", len(l.seen))
	}
	if n := strings.Count(b.String(), "\n"); n != maxSeen+11 {
		t.Errorf("wrote %d lines, want %d", n, maxSeen+11)
	}
}

func TestLoggerConcurrent(t *testing.T) {
	var b lockedBuffer
	l := NewLogger(&b, Debug)
	l.every = 0 // no rate limit: every line must arrive whole
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := l.Slog()
			for i := range 100 {
				if i%2 == 0 {
					l.Info("message", "g", g, "i", i)
				} else {
					s.Info("message", "g", g, "i", i)
				}
				if i == 50 {
					l.SetLevel(Debug)
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("got %d lines, want 800", len(lines))
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "INFO message g=") {
			t.Fatalf("torn line %q", line)
		}
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestSlog(t *testing.T) {
	l, b, clock := newTestLogger(Info)
	s := l.Slog()
	s.Debug("hidden")
	s.Info("hello", "n", 1)
	s.Warn("careful", slog.Group("req", "id", "a b"))
	s.Error("failed", "err", errors.New("x"))
	s.Log(t.Context(), slog.LevelError+4, "worse")
	s.Log(t.Context(), slog.LevelInfo+2, "between")
	s.With("stanza", "web").WithGroup("out").With("mode", "modinput").Info("with", "k", "v")
	s.WithGroup("").Info("empty group")
	s.Info("when", "at", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	s.Info("", "", "ignored")
	l.SetLevel(Debug)
	s.Debug("now shown")
	s.Info("hello", "n", 1) // the same line as before: rate-limited with l.Info's
	clock.advance(time.Hour)
	l.Info("hello", "n", 1)
	want := strings.Join([]string{
		"INFO hello n=1",
		`WARN careful req.id="a b"`,
		"ERROR failed err=x",
		"ERROR worse",
		"INFO between",
		"INFO with stanza=web out.mode=modinput out.k=v",
		"INFO empty group",
		"INFO when at=2024-01-02T03:04:05Z",
		"INFO ",
		"DEBUG now shown",
		"INFO hello n=1 repeated=1",
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if s.Enabled(t.Context(), slog.LevelDebug-4) != true {
		t.Error("debug-4 not enabled at DEBUG")
	}
	l.SetLevel(Error)
	if s.Enabled(t.Context(), slog.LevelWarn) {
		t.Error("warn enabled at ERROR")
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want Level
		err  bool
	}{
		{"", Info, false},
		{"10", Debug, false}, {"20", Info, false}, {"30", Warn, false}, {"40", Error, false}, {"50", Fatal, false},
		{"debug", Debug, false}, {"Info", Info, false}, {"WARN", Warn, false}, {"warning", Warn, false},
		{"ERROR", Error, false}, {"critical", Fatal, false}, {"FATAL", Fatal, false}, {"\t20\n", Info, false},
		{"25", 0, true}, {"x", 0, true}, {"0x14", 0, true}, {"+10", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestLevelString(t *testing.T) {
	tests := []struct {
		l    Level
		want string
	}{
		{0, "DEBUG"}, {Debug, "DEBUG"}, {15, "DEBUG"}, {Info, "INFO"}, {Warn, "WARN"},
		{Error, "ERROR"}, {45, "ERROR"}, {Fatal, "FATAL"}, {99, "FATAL"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("Level(%d).String() = %q, want %q", int(tt.l), got, tt.want)
		}
	}
}
