package logging

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"", "10", "20", "30", "40", "50", "debug", "WARNING", "critical", "25", " 40 ", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLevel(s)
		if err != nil {
			return
		}
		switch l {
		case slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, LevelFatal:
		default:
			t.Fatalf("ParseLevel(%q) = %d", s, l)
		}
		if back, err := ParseLevel(LevelWord(l)); err != nil || back != l {
			t.Fatalf("level %v does not round-trip: %v, %v", l, back, err)
		}
	})
}

func FuzzSplunkHandler(f *testing.F) {
	for _, s := range []string{"plain", "two\nlines", "cr\rlf\r\n", "quote\"s", "", "\x00\xff"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, msg, value string) {
		var b bytes.Buffer
		l := New(&b, Options{Level: slog.LevelDebug})
		l.WithGroup(value).Warn(msg, "key", value, value, msg)
		line := b.String()
		if !strings.HasPrefix(line, "WARN ") || !strings.HasSuffix(line, "\n") {
			t.Fatalf("bad line %q", line)
		}
		if strings.ContainsAny(line[:len(line)-1], "\r\n") {
			t.Fatalf("line break inside %q", line)
		}
		if utf8.ValidString(msg) && utf8.ValidString(value) && !utf8.ValidString(line) {
			t.Fatalf("valid input gave invalid UTF-8 %q", line)
		}
	})
}
