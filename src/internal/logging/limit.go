package logging

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// DefaultEvery is how often the handler writes the same line: once a
// minute keeps a failure that repeats every interval visible in
// splunkd.log without flooding _internal.
const DefaultEvery = time.Minute

// maxSeen bounds the lines remembered for rate limiting; beyond it, those
// whose period is over are forgotten.
const maxSeen = 4096

// window is the rate limit of one message: the project's one
// implementation, used by [Limiter] and, per line, by the handler.
type window struct {
	next time.Time // when the message may be written again
	held int       // held back since it was last written
}

// allow reports whether the message may be written at now and, if so, how
// many times it was held back since it was last written.
func (w *window) allow(now time.Time, every time.Duration) (ok bool, held int) {
	if now.Before(w.next) {
		w.held++
		return false, 0
	}
	held, w.held = w.held, 0
	w.next = now.Add(every)
	return true, held
}

// Limiter rate-limits one kind of log message whose values differ from one
// occurrence to the next (so the handler's identical-line limit does not
// hold it back), counting the occurrences held back:
//
//	if ok, n := lim.Allow(10 * time.Second); ok {
//		log.Warn("receiver unavailable", "error", err, "suppressed", n)
//	}
//
// The zero Limiter lets the first message through. A Limiter is safe for
// concurrent use.
type Limiter struct {
	mu sync.Mutex
	w  window
}

// Allow reports whether to log now, at most once per every, and how many
// messages were held back since the last one logged.
func (l *Limiter) Allow(every time.Duration) (ok bool, suppressed int) {
	return l.AllowAt(time.Now(), every)
}

// AllowAt is Allow at the time now, for callers with a clock of their own.
func (l *Limiter) AllowAt(now time.Time, every time.Duration) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.allow(now, every)
}

// lines writes whole log lines to a writer, each with one Write, holding
// back a line identical to one written less than every ago. It is shared
// by a handler and the handlers derived from it.
type lines struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration    // <= 0: no limit
	now   func() time.Time // the limit's clock
	seen  map[string]*window
	buf   []byte
}

// Write writes the line p (ending with a line feed, or not) unless it is
// held back; a line written after being held back gets " repeated=N"
// before its line feed. It always reports success: there is nowhere to
// report a failed log write (slog.Logger drops the error of Handle).
func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.every <= 0 {
		_, _ = l.w.Write(p)
		return len(p), nil
	}
	line := p
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	now := l.now()
	e := l.seen[string(line)]
	if e == nil {
		l.forget(now)
		e = &window{}
		l.seen[string(line)] = e
	}
	ok, repeated := e.allow(now, l.every)
	if !ok {
		return len(p), nil
	}
	if repeated == 0 {
		_, _ = l.w.Write(p)
		return len(p), nil
	}
	b := append(l.buf[:0], line...)
	b = append(b, " repeated="...)
	b = strconv.AppendInt(b, int64(repeated), 10)
	b = append(b, '\n')
	_, _ = l.w.Write(b)
	if cap(b) <= 64<<10 {
		l.buf = b
	}
	return len(p), nil
}

// forget drops, when too many lines are remembered, those whose period is
// over: their next occurrence is written anyway. A count of held-back
// repeats is lost with them.
func (l *lines) forget(now time.Time) {
	if len(l.seen) < maxSeen {
		return
	}
	for k, e := range l.seen {
		if !now.Before(e.next) {
			delete(l.seen, k)
		}
	}
	if len(l.seen) >= maxSeen {
		clear(l.seen)
	}
}
