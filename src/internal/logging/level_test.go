package logging

import (
	"log/slog"
	"strings"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
		err  bool
	}{
		{"", slog.LevelInfo, false},
		{"10", slog.LevelDebug, false}, {"20", slog.LevelInfo, false}, {"30", slog.LevelWarn, false},
		{"40", slog.LevelError, false}, {"50", LevelFatal, false},
		{"debug", slog.LevelDebug, false}, {"Info", slog.LevelInfo, false}, {"WARN", slog.LevelWarn, false},
		{"warning", slog.LevelWarn, false}, {"ERROR", slog.LevelError, false}, {"critical", LevelFatal, false},
		{"FATAL", LevelFatal, false}, {"\t20\n", slog.LevelInfo, false},
		{"25", 0, true}, {"x", 0, true}, {"0x14", 0, true}, {"+10", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseLevelErrorShortens(t *testing.T) {
	_, err := ParseLevel(strings.Repeat("x", 100))
	if err == nil || !strings.Contains(err.Error(), `"`+strings.Repeat("x", 60)+`…"`) {
		t.Errorf("error for a long value: %v", err)
	}
}

func TestLevelWord(t *testing.T) {
	tests := []struct {
		l    slog.Level
		want string
	}{
		{slog.LevelDebug - 4, "DEBUG"}, {slog.LevelDebug, "DEBUG"}, {slog.LevelInfo - 1, "DEBUG"},
		{slog.LevelInfo, "INFO"}, {slog.LevelInfo + 2, "INFO"}, {slog.LevelWarn, "WARN"},
		{slog.LevelError, "ERROR"}, {LevelFatal - 1, "ERROR"}, {LevelFatal, "FATAL"}, {LevelFatal + 40, "FATAL"},
	}
	for _, tt := range tests {
		if got := LevelWord(tt.l); got != tt.want {
			t.Errorf("LevelWord(%v) = %q, want %q", tt.l, got, tt.want)
		}
	}
}
