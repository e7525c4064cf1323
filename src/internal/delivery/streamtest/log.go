package streamtest

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
)

// Log collects a text log, safely for concurrent use: the outputs' tests
// read the messages their output logged from it.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// NewLog returns a logger at level writing into a new Log.
func NewLog(level slog.Level) (*slog.Logger, *Log) {
	l := &Log{}
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: level})), l
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Count returns how many times s occurs in the log.
func (l *Log) Count(s string) int { return strings.Count(l.String(), s) }

// Lines returns the log lines that contain all of subs.
func (l *Log) Lines(subs ...string) []string {
	var out []string
	for line := range strings.SplitSeq(l.String(), "\n") {
		ok := line != ""
		for _, s := range subs {
			ok = ok && strings.Contains(line, s)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}
