package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Format is how a handler writes a record.
type Format uint8

const (
	// Splunk is splunkd's format for a modular input's stderr: the
	// severity word ([LevelWord]), the message with its line breaks turned
	// into spaces, and key=value pairs, a group's keys as group.key:
	//
	//	WARN sample not found stanza=web.log dir="/opt/splunk/etc/apps/x y/samples"
	//
	// A value is quoted (Go syntax) when it contains blanks, quotes, "=",
	// a backslash or control characters, or is empty; a key's blanks, "="
	// and quotes become "_".
	Splunk Format = iota
	// Text is slog.TextHandler's format without the time:
	//
	//	level=WARN msg="sample not found" stanza=web.log dir="/opt/splunk/etc/apps/x y/samples"
	Text
)

// Options configure a handler. The zero Options write the Splunk format at
// INFO and above, each identical line at most once a minute.
type Options struct {
	Format Format
	// Level is the lowest level written; nil is slog.LevelInfo. A
	// *slog.LevelVar changes it while the handler runs.
	Level slog.Leveler
	// Every is how often the same line may be written: 0 is
	// [DefaultEvery], a negative value writes every line.
	Every time.Duration
	// Now is the rate limit's clock; nil is time.Now.
	Now func() time.Time
}

// New returns a logger writing to w through [NewHandler].
func New(w io.Writer, o Options) *slog.Logger {
	return slog.New(NewHandler(w, o))
}

// NewHandler returns a handler writing records at o.Level and above to w,
// one Write per line, rate-limiting identical lines (see the package
// comment). It and the handlers derived from it (WithAttrs, WithGroup)
// are safe for concurrent use and share one rate limit.
func NewHandler(w io.Writer, o Options) slog.Handler {
	out := &lines{w: w, every: o.Every, now: o.Now, seen: map[string]*window{}}
	if out.every == 0 {
		out.every = DefaultEvery
	}
	if out.now == nil {
		out.now = time.Now
	}
	level := o.Level
	if level == nil {
		level = slog.LevelInfo
	}
	if o.Format == Text {
		return slog.NewTextHandler(out, &slog.HandlerOptions{Level: level, ReplaceAttr: dropTime})
	}
	return &splunkHandler{level: level, out: out}
}

// dropTime removes the time from the text format: a terminal shows the
// lines as they come, and the golden files of the CLI's tests compare them.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}

// splunkHandler writes the Splunk format.
type splunkHandler struct {
	level  slog.Leveler
	out    *lines
	attrs  []byte // preformatted WithAttrs: " key=value ..."
	groups string // dotted WithGroup prefix
}

func (h *splunkHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.level.Level()
}

func (h *splunkHandler) Handle(_ context.Context, r slog.Record) error {
	b := make([]byte, 0, 128+len(h.attrs))
	b = append(b, LevelWord(r.Level)...)
	b = append(b, ' ')
	b = appendOneLine(b, r.Message)
	b = append(b, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		b = appendAttr(b, h.groups, a)
		return true
	})
	b = append(b, '\n')
	_, _ = h.out.Write(b)
	return nil
}

func (h *splunkHandler) WithAttrs(as []slog.Attr) slog.Handler {
	n := *h
	n.attrs = append([]byte(nil), h.attrs...)
	for _, a := range as {
		n.attrs = appendAttr(n.attrs, h.groups, a)
	}
	return &n
}

func (h *splunkHandler) WithGroup(name string) slog.Handler {
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

// appendOneLine appends s with each line break (\r\n, \n or \r) replaced
// by a space: splunkd logs each line of stderr separately.
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
