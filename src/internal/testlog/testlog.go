// Package testlog is a log buffer for tests: a logger's text output that
// the goroutine under test writes while the test reads it. It imports
// nothing of the project, so any package's own tests can use it without
// an import cycle.
package testlog

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
)

// Buffer collects written text, safely for concurrent use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// New returns a text logger at level writing into a new Buffer.
func New(level slog.Level) (*slog.Logger, *Buffer) {
	l := &Buffer{}
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: level})), l
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Count returns how many times s occurs in the text.
func (l *Buffer) Count(s string) int { return strings.Count(l.String(), s) }

// Lines returns the lines that contain all of subs.
func (l *Buffer) Lines(subs ...string) []string {
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
