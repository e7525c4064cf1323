package output

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Set shares one Writer per destination key (e.g. "stdout",
// "file:/abs/path"), so stanzas writing to the same place go through the
// same serialized writer. Its methods are safe for concurrent use.
type Set struct {
	mu      sync.Mutex
	writers map[string]*Writer
	closed  bool
}

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{writers: make(map[string]*Writer)} }

// LocalQueueBytes bounds the queue of the Writers Get opens: local
// destinations (stdout, a file, a spool directory) that take a chunk in
// microseconds and stall, if ever, briefly. 1 MiB is 12 buffers, about
// 3 ms of generation at 300 MB/s: enough to ride over the writer
// goroutine being descheduled, and small enough that the memory of a
// queue that fills once, late in a run, does not show as growth (the
// queue's buffers are allocated the first time it is that deep). Network
// outputs, whose receivers stall for longer, keep DefaultQueueBytes (or
// StreamQueueBytes) or their outputQueueBytes through GetSized.
const LocalQueueBytes = 1 << 20

// StreamQueueBytes is the default queue of the socket outputs (tcpout,
// syslogout, udpout). Their sockets queue more on their own (Linux grows
// a TCP send buffer to 4 MiB), so the Writer's queue need not ride over a
// stalled receiver by itself; and a queue that fits in a core's cache
// hands the kernel chunks it copies from the cache, not from memory:
// scenario 2 through tcpout on 2 cores went from 0.60x to 0.70x of its
// ceiling with 1 MiB instead of 8 (docs/performance.md, session 6).
const StreamQueueBytes = 1 << 20

// Get returns the Writer for key, calling open to create its destination
// the first time key is asked for, with a queue of LocalQueueBytes. If
// open fails, nothing is kept and a later Get calls open again. Get fails
// after CloseAll.
func (s *Set) Get(key string, open func() (io.WriteCloser, error)) (*Writer, error) {
	return s.GetSized(key, LocalQueueBytes, open)
}

// GetSized is Get with the writer's queue bound in bytes (0 =
// DefaultQueueBytes) for a destination opened by this call.
func (s *Set) GetSized(key string, queueBytes int, open func() (io.WriteCloser, error)) (*Writer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("output: %s: set closed", key)
	}
	if w, ok := s.writers[key]; ok {
		return w, nil
	}
	dst, err := open()
	if err != nil {
		return nil, fmt.Errorf("output: %s: %w", key, err)
	}
	w := newWriter(dst, queueBytes, key)
	s.writers[key] = w
	return w, nil
}

// FlushAll flushes every writer, concurrently so that a slow destination
// does not hold up the others, and returns their errors joined.
func (s *Set) FlushAll() error {
	s.mu.Lock()
	ws := s.sorted()
	s.mu.Unlock()
	return each(ws, (*Writer).Flush)
}

// CloseAll closes every writer, concurrently, and returns the first error
// joined with the others (errors.Join, in key order). Later calls to Get
// fail; later calls to CloseAll return nil.
func (s *Set) CloseAll() error {
	s.mu.Lock()
	ws := s.sorted()
	s.writers = make(map[string]*Writer)
	s.closed = true
	s.mu.Unlock()
	return each(ws, (*Writer).Close)
}

// sorted returns the writers in key order; s.mu must be held.
func (s *Set) sorted() []*Writer {
	keys := make([]string, 0, len(s.writers))
	for k := range s.writers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ws := make([]*Writer, len(keys))
	for i, k := range keys {
		ws[i] = s.writers[k]
	}
	return ws
}

func each(ws []*Writer, f func(*Writer) error) error {
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() { errs[i] = f(w) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
