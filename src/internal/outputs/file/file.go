//go:build !js

package file

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"unsafe"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"gopkg.in/natefinch/lumberjack.v2"
)

var raw, _ = output.NewEncoder("raw")

// Open is the file Opener. The file is opened when the engine first asks
// for it: samples with the same file share one Writer.
func Open(s *config.Sample, _ outputs.Env) (*outputs.Output, error) {
	c := SettingsOf(s)
	path, err := filepath.Abs(c.Path)
	if err != nil {
		return nil, err
	}
	return &outputs.Output{
		Enc:        raw,
		Open:       func() (io.WriteCloser, error) { return NewFile(path, c.MaxBytes, c.Backups) },
		Key:        "file:" + path,
		QueueBytes: output.LocalQueueBytes,
	}, nil
}

const mib = 1 << 20

// NewFile opens path for appending (creating it and its parent
// directories) as a size-rotated file, the "file" output. The file is
// created at once, so a bad path fails here rather than at the first
// event.
//
// Rotation and pruning are lumberjack's: when a write would take the file
// past its limit, the file is renamed to <name>-<UTC time>.<ext> (e.g.
// events-2024-03-05T07-08-09.123.log) and a new one is started; then, in
// the background, all but the newest backups are deleted. A buffer handed
// to Write goes whole into one file, so events are not split between
// files; a buffer larger than the limit is refused with an error.
//
// lumberjack counts sizes in whole MiB, so maxBytes (fileMaxBytes) is
// rounded UP to a whole number of MiB, at least 1 MiB (Eventgen's
// default, 10485760, is exactly 10 MiB). backups (fileBackupFiles) is how
// many rotated files to keep; 0 keeps one, as Eventgen 7.2.1 did (it
// always renamed the full file to name.1), since lumberjack reads 0 as
// "keep all".
func NewFile(path string, maxBytes int64, backups int) (io.WriteCloser, error) {
	if path == "" {
		return nil, errors.New("output: file: empty path")
	}
	if backups < 0 {
		return nil, fmt.Errorf("output: file %q: negative number of backups %d", path, backups)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	// Create the file here, with the usual permissions: lumberjack would
	// create it 0600 at the first write; it keeps the mode of the file it
	// rotates.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	return &file{
		l:    &lumberjack.Logger{Filename: path, MaxSize: maxSizeMiB(maxBytes), MaxBackups: max(backups, 1)},
		path: path,
	}, nil
}

// maxSizeMiB converts a byte limit to lumberjack's MaxSize: whole MiB,
// rounded up, at least 1.
func maxSizeMiB(maxBytes int64) int {
	if maxBytes <= mib {
		return 1
	}
	return int((maxBytes + mib - 1) / mib)
}

// file is a lumberjack.Logger that refuses writes after Close (lumberjack
// would reopen the file) and stops lumberjack's goroutine on Close.
type file struct {
	l    *lumberjack.Logger
	path string

	mu     sync.Mutex
	closed bool
}

func (f *file) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, fmt.Errorf("output: write file %q: %w", f.path, os.ErrClosed)
	}
	if limit := int64(f.l.MaxSize) * mib; int64(len(p)) > limit {
		return 0, fmt.Errorf("output: write file %q: %d bytes at once, more than fileMaxBytes (%d MiB): raise fileMaxBytes", f.path, len(p), f.l.MaxSize)
	}
	n, err := f.l.Write(p)
	if err != nil {
		return n, fmt.Errorf("output: write file %q: %w", f.path, err)
	}
	return n, nil
}

func (f *file) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	err := f.l.Close()
	stopMill(f.l)
	if err != nil {
		return fmt.Errorf("output: close file %q: %w", f.path, err)
	}
	return nil
}

// stopMill ends the goroutine that a lumberjack.Logger starts at its first
// write to delete old backups, and that its Close leaves running
// (lumberjack v2.2.1; natefinch/lumberjack#56, still open): one goroutine
// per file output opened, for the life of the process. Closing the
// goroutine's channel, which lumberjack does not export, ends its loop
// after a pending pruning. l must be closed and never written to again (a
// write would send on the closed channel). If a lumberjack version
// changes the field, this does nothing and TestFileCloseStopsGoroutine
// fails.
func stopMill(l *lumberjack.Logger) {
	v := reflect.ValueOf(l).Elem().FieldByName("millCh")
	if !v.IsValid() || v.Type() != reflect.TypeFor[chan bool]() {
		return
	}
	// The field is set once, under l's mutex, which l.Close has taken
	// since.
	if ch := *(*chan bool)(unsafe.Pointer(v.UnsafeAddr())); ch != nil {
		close(ch)
	}
}
