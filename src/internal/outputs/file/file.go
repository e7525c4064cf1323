package file

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

const mib = 1 << 20

// backupTimeFormat is the timestamp lumberjack puts in backup names:
// <name>-2006-01-02T15-04-05.000<ext>, in UTC.
const backupTimeFormat = "2006-01-02T15-04-05.000"

// NewFile opens path for appending (creating it and its parent
// directories) as a size-rotated file, the "file" output. The file is
// opened at once, so a bad path fails here rather than at the first event.
//
// Rotation is lumberjack's: when a write would take the file past its
// limit, the file is renamed to <name>-<UTC time>.<ext> (e.g.
// events-2024-03-05T07-08-09.123.log) and a new one is started. A buffer
// handed to Write goes whole into one file, so events are not split
// between files, unless it is larger than the limit; then it is split
// after the last line break that fits.
//
// lumberjack counts sizes in whole MiB, so maxBytes is rounded UP to a
// whole number of MiB, at least 1 MiB (Eventgen's default fileMaxBytes,
// 10485760, is exactly 10 MiB). backups is how many rotated files to keep
// (fileBackupFiles); older ones are deleted right after each rotation, and
// 0 keeps none. Errors deleting old backups are ignored, as lumberjack
// does.
func NewFile(path string, maxBytes int64, backups int) (io.WriteCloser, error) {
	if path == "" {
		return nil, errors.New("output: file: empty path")
	}
	if backups < 0 {
		return nil, fmt.Errorf("output: file %q: negative number of backups %d", path, backups)
	}
	size := maxSizeMiB(maxBytes)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	// Create the file here, with the usual permissions (lumberjack would
	// create it 0600; it keeps the mode of the file it rotates).
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	// MaxBackups stays 0: pruning is done here, synchronously, instead of
	// in lumberjack's background goroutine. That goroutine is still
	// started (and, in lumberjack v2.2.1, never stopped) but does nothing.
	rf := &rotatingFile{
		l:       &lumberjack.Logger{Filename: path, MaxSize: size},
		path:    path,
		max:     int64(size) * mib,
		backups: backups,
	}
	// An empty Write makes lumberjack open the file now (rotating it if
	// it is already full).
	if _, err := rf.l.Write(nil); err != nil {
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		rf.l.Close()
		return nil, fmt.Errorf("output: open file %q: %w", path, err)
	}
	rf.size = st.Size()
	rf.prune()
	return rf, nil
}

// maxSizeMiB converts a byte limit to lumberjack's MaxSize: whole MiB,
// rounded up, at least 1.
func maxSizeMiB(maxBytes int64) int {
	if maxBytes <= mib {
		return 1
	}
	return int((maxBytes + mib - 1) / mib)
}

// rotatingFile drives a lumberjack.Logger. It decides when to rotate
// (with the same rule lumberjack would apply, size+len(p) > max) so that
// it can keep rotations apart: lumberjack names backups after the current
// millisecond and renames over an existing backup of the same name, which
// loses a file's worth of events when a fast generator fills the file in
// under a millisecond.
type rotatingFile struct {
	l       *lumberjack.Logger
	path    string
	max     int64
	backups int

	mu     sync.Mutex
	size   int64 // bytes in the current file, as lumberjack counts them
	closed bool
}

func (f *rotatingFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, fmt.Errorf("output: write file %q: %w", f.path, os.ErrClosed)
	}
	written := 0
	for len(p) > 0 {
		chunk := p
		if int64(len(chunk)) > f.max {
			chunk = p[:cutAt(p, int(f.max))]
		}
		if f.size > 0 && f.size+int64(len(chunk)) > f.max {
			if err := f.rotate(); err != nil {
				return written, err
			}
		}
		n, err := f.l.Write(chunk)
		f.size += int64(n)
		written += n
		if err != nil {
			return written, fmt.Errorf("output: write file %q: %w", f.path, err)
		}
		p = p[len(chunk):]
	}
	return written, nil
}

// cutAt returns where to split p so that the first part is at most max
// bytes: after its last line break, or at max if it has none.
func cutAt(p []byte, max int) int {
	if i := bytes.LastIndexByte(p[:max], '\n'); i >= 0 {
		return i + 1
	}
	return max
}

func (f *rotatingFile) rotate() error {
	for range 1000 {
		if _, err := os.Lstat(backupName(f.path, time.Now())); errors.Is(err, fs.ErrNotExist) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := f.l.Rotate(); err != nil {
		return fmt.Errorf("output: rotate file %q: %w", f.path, err)
	}
	f.size = 0
	f.prune()
	return nil
}

// backupName is the name lumberjack gives a backup of path made at t.
func backupName(path string, t time.Time) string {
	dir, base := filepath.Split(path)
	ext := filepath.Ext(base)
	return filepath.Join(dir, base[:len(base)-len(ext)]+"-"+t.UTC().Format(backupTimeFormat)+ext)
}

// backupFiles lists the backups of path, oldest first.
func backupFiles(path string) ([]string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ext := filepath.Ext(base)
	prefix := base[:len(base)-len(ext)] + "-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ext) || len(name) < len(prefix)+len(ext) {
			continue
		}
		if _, err := time.Parse(backupTimeFormat, name[len(prefix):len(name)-len(ext)]); err != nil {
			continue
		}
		names = append(names, filepath.Join(dir, name))
	}
	slices.Sort(names) // the timestamps sort chronologically
	return names, nil
}

// prune deletes all but the newest f.backups backups.
func (f *rotatingFile) prune() {
	names, err := backupFiles(f.path)
	if err != nil || len(names) <= f.backups {
		return
	}
	for _, name := range names[:len(names)-f.backups] {
		os.Remove(name)
	}
}

func (f *rotatingFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	if err := f.l.Close(); err != nil {
		return fmt.Errorf("output: close file %q: %w", f.path, err)
	}
	return nil
}
