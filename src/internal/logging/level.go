package logging

import (
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"log/slog"
	"strings"
)

// LevelFatal is the level above slog.LevelError: Python logging's CRITICAL,
// which splunkd calls FATAL. A verbosity of 50 writes only these.
const LevelFatal = slog.LevelError + 4

// LevelWord returns the severity word splunkd recognises at the start of a
// line a modular input writes to stderr (splunk-platform.md §1.6): DEBUG,
// INFO, WARN, ERROR or FATAL. A level between two of them takes the lower
// one's word, as Python's logging does.
func LevelWord(l slog.Level) string {
	switch {
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	case l < LevelFatal:
		return "ERROR"
	}
	return "FATAL"
}

// ParseLevel maps a verbosity value in the numbering of Python's logging
// module, which SA-Eventgen's verbosity argument uses, to a slog level: ""
// is INFO (the default), "10" to "50" are DEBUG, INFO, WARN, ERROR and
// FATAL, and the names DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL and
// FATAL are accepted in any case. Blanks around the value are ignored.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return slog.LevelInfo, nil
	case "10", "DEBUG":
		return slog.LevelDebug, nil
	case "20", "INFO":
		return slog.LevelInfo, nil
	case "30", "WARN", "WARNING":
		return slog.LevelWarn, nil
	case "40", "ERROR":
		return slog.LevelError, nil
	case "50", "CRITICAL", "FATAL":
		return LevelFatal, nil
	}
	return 0, fmt.Errorf("unknown log level %s; use 10, 20, 30, 40, 50 or DEBUG, INFO, WARN, ERROR, CRITICAL", conf.QuoteShort(s))
}
