package splunk

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// Level is a log level in the numbering of Python's logging module, which
// SA-Eventgen's verbosity argument uses: 10 DEBUG to 50 CRITICAL.
type Level int

// The levels. Fatal is CRITICAL; splunkd's word for it is FATAL.
const (
	Debug Level = 10
	Info  Level = 20
	Warn  Level = 30
	Error Level = 40
	Fatal Level = 50
)

// String returns the severity word splunkd recognises at the start of a
// line a modular input writes to stderr (splunk-platform.md §1.6): DEBUG,
// INFO, WARN, ERROR or FATAL. A level between two of them takes the lower
// one's word, as Python's logging does.
func (l Level) String() string {
	switch {
	case l < Info:
		return "DEBUG"
	case l < Warn:
		return "INFO"
	case l < Error:
		return "WARN"
	case l < Fatal:
		return "ERROR"
	}
	return "FATAL"
}

// ParseLevel maps a verbosity value to a Level: "" is INFO (the default),
// "10" to "50" are the five levels, and the names DEBUG, INFO, WARN,
// WARNING, ERROR, CRITICAL and FATAL are accepted in any case. Blanks
// around the value are ignored.
func ParseLevel(s string) (Level, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return Info, nil
	case "10", "DEBUG":
		return Debug, nil
	case "20", "INFO":
		return Info, nil
	case "30", "WARN", "WARNING":
		return Warn, nil
	case "40", "ERROR":
		return Error, nil
	case "50", "CRITICAL", "FATAL":
		return Fatal, nil
	}
	return 0, fmt.Errorf("unknown log level %s; use 10, 20, 30, 40, 50 or DEBUG, INFO, WARN, ERROR, CRITICAL", quoteShort(s))
}

// defaultEvery is how often the same message may be written: once a
// minute keeps a failure that repeats every interval visible in
// splunkd.log without flooding _internal.
const defaultEvery = time.Minute

// maxSeen bounds the messages remembered for rate limiting; beyond it,
// those not written within the last period are forgotten.
const maxSeen = 4096

// Logger writes log lines the way splunkd reads them from a modular
// input's stderr: one line per message, starting with the severity word,
//
//	WARN sample not found stanza=web.log dir="/opt/splunk/etc/apps/x y/samples"
//
// Line breaks in a message become spaces, because splunkd logs each line
// separately; values are quoted (Go syntax) when they contain blanks,
// quotes, "=" or control characters, or are empty.
//
// The same line (level, message and values) is written at most once per
// minute, so a failure repeating every interval does not flood
// splunkd.log, while the same message about another stanza still shows;
// the next time it is written after being held back, it carries
// repeated=N, the number of times it was held back. Counts still pending
// when the process ends are not written.
//
// A Logger is safe for concurrent use; each line is one Write.
type Logger struct {
	level atomic.Int64

	mu    sync.Mutex
	w     io.Writer
	every time.Duration    // rate-limit period; tests shorten it
	now   func() time.Time // clock; tests inject one
	seen  map[seenKey]*seenEntry
	buf   []byte
}

type seenKey struct {
	level Level
	msg   string
}

type seenEntry struct {
	last       time.Time // when it was last written
	suppressed int       // held back since then
}

// NewLogger returns a Logger writing lines at level and above to w.
func NewLogger(w io.Writer, level Level) *Logger {
	l := &Logger{w: w, every: defaultEvery, now: time.Now, seen: map[seenKey]*seenEntry{}}
	l.level.Store(int64(level))
	return l
}

// SetLevel changes the lowest level written, for example once the
// verbosity of the input is known.
func (l *Logger) SetLevel(level Level) { l.level.Store(int64(level)) }

func (l *Logger) enabled(level Level) bool {
	return l != nil && level >= Level(l.level.Load())
}

// Debug logs msg with key-value pairs at DEBUG.
func (l *Logger) Debug(msg string, kv ...any) { l.logKV(Debug, msg, kv) }

// Info logs msg with key-value pairs at INFO.
func (l *Logger) Info(msg string, kv ...any) { l.logKV(Info, msg, kv) }

// Warn logs msg with key-value pairs at WARN.
func (l *Logger) Warn(msg string, kv ...any) { l.logKV(Warn, msg, kv) }

// Error logs msg with key-value pairs at ERROR.
func (l *Logger) Error(msg string, kv ...any) { l.logKV(Error, msg, kv) }

// logKV formats kv as log/slog does with its variadic arguments: pairs of
// a key and a value, or slog.Attr values; a key without a value is logged
// as !BADKEY=key.
func (l *Logger) logKV(level Level, msg string, kv []any) {
	if !l.enabled(level) {
		return
	}
	var attrs []byte
	for i := 0; i < len(kv); i++ {
		switch k := kv[i].(type) {
		case slog.Attr:
			attrs = appendAttr(attrs, "", k)
		case string:
			if i+1 == len(kv) {
				attrs = appendPair(attrs, "!BADKEY", k)
				continue
			}
			i++
			attrs = appendAttr(attrs, "", slog.Any(k, kv[i]))
		default:
			attrs = appendPair(attrs, "!BADKEY", fmt.Sprint(k))
		}
	}
	l.write(level, msg, attrs)
}

// write writes one line unless the rate limit holds it back. attrs is
// " key=value ..." already formatted.
func (l *Logger) write(level Level, msg string, attrs []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	// A repeat is the same line: the same message about another stanza,
	// or with other values, is news and is written.
	key := seenKey{level, msg + string(attrs)}
	e := l.seen[key]
	if e != nil && now.Sub(e.last) < l.every {
		e.suppressed++
		return
	}
	repeated := 0
	if e == nil {
		l.forget(now)
		e = &seenEntry{}
		l.seen[key] = e
	} else {
		repeated = e.suppressed
	}
	e.last, e.suppressed = now, 0

	b := l.buf[:0]
	b = append(b, level.String()...)
	b = append(b, ' ')
	b = appendOneLine(b, msg)
	b = append(b, attrs...)
	if repeated > 0 {
		b = append(b, " repeated="...)
		b = strconv.AppendInt(b, int64(repeated), 10)
	}
	b = append(b, '\n')
	_, _ = l.w.Write(b) // nowhere to report a failed log write
	if cap(b) <= 64<<10 {
		l.buf = b
	}
}

// forget drops, when too many messages are remembered, those whose period
// is over: their next occurrence is written anyway. A count of held-back
// repeats is lost with them.
func (l *Logger) forget(now time.Time) {
	if len(l.seen) < maxSeen {
		return
	}
	for k, e := range l.seen {
		if now.Sub(e.last) >= l.every {
			delete(l.seen, k)
		}
	}
	if len(l.seen) >= maxSeen {
		clear(l.seen)
	}
}

// appendOneLine appends s with each line break (\r\n, \n or \r) replaced
// by a space.
func appendOneLine(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b = append(b, ' ')
		case '\n':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendAttr appends " key=value", flattening groups into "group.key".
func appendAttr(b []byte, prefix string, a slog.Attr) []byte {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() != slog.KindGroup {
		return b // slog's rule: an empty attribute is ignored
	}
	key := a.Key
	if prefix != "" && key != "" {
		key = prefix + "." + key
	} else if prefix != "" {
		key = prefix
	}
	if v.Kind() == slog.KindGroup {
		for _, ga := range v.Group() {
			b = appendAttr(b, key, ga)
		}
		return b
	}
	return appendPair(b, key, valueString(v))
}

func valueString(v slog.Value) string {
	switch v.Kind() {
	case slog.KindTime:
		return v.Time().Format(time.RFC3339Nano)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			if x == nil {
				return "<nil>"
			}
			return x.Error()
		case fmt.Stringer:
			return x.String()
		}
	}
	return v.String()
}

func appendPair(b []byte, key, value string) []byte {
	b = append(b, ' ')
	for _, r := range key {
		if r == '=' || unicode.IsSpace(r) || r == '"' || !unicode.IsPrint(r) {
			r = '_'
		}
		b = utf8.AppendRune(b, r)
	}
	b = append(b, '=')
	if needsQuote(value) {
		return strconv.AppendQuote(b, value)
	}
	return append(b, value...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range s {
		if r == ' ' || r == '"' || r == '=' || r == '\\' || r == utf8.RuneError || !unicode.IsPrint(r) {
			return true
		}
	}
	return false
}

// Slog returns a log/slog Logger that writes through l: same format, same
// level (including later SetLevel calls), same rate limit. It is for the
// packages that take a *slog.Logger. slog levels map to the nearest
// Splunk level at or below: below Info is DEBUG, below Warn INFO, below
// Error WARN, Error and above ERROR.
func (l *Logger) Slog() *slog.Logger {
	return slog.New(&slogHandler{l: l})
}

type slogHandler struct {
	l      *Logger
	attrs  []byte // preformatted WithAttrs
	groups string // dotted WithGroup prefix
}

func fromSlog(level slog.Level) Level {
	switch {
	case level < slog.LevelInfo:
		return Debug
	case level < slog.LevelWarn:
		return Info
	case level < slog.LevelError:
		return Warn
	}
	return Error
}

func (h *slogHandler) Enabled(_ context.Context, level slog.Level) bool {
	return h.l.enabled(fromSlog(level))
}

func (h *slogHandler) Handle(_ context.Context, r slog.Record) error {
	level := fromSlog(r.Level)
	if !h.l.enabled(level) {
		return nil
	}
	attrs := append([]byte(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		attrs = appendAttr(attrs, h.groups, a)
		return true
	})
	h.l.write(level, r.Message, attrs)
	return nil
}

func (h *slogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	n := *h
	n.attrs = append([]byte(nil), h.attrs...)
	for _, a := range as {
		n.attrs = appendAttr(n.attrs, h.groups, a)
	}
	return &n
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := *h
	if n.groups != "" {
		n.groups += "." + name
	} else {
		n.groups = name
	}
	return &n
}

// quoteShort quotes s for a message, shortening it if it is long.
func quoteShort(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}
