package spool

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// SpoolTempDir is the name of the directory, next to the spool directory,
// where the spool output stages its files.
const SpoolTempDir = ".eventgen-spool-tmp"

// maxSpoolSuffix bounds the search for a free name in the spool
// directory.
const maxSpoolSuffix = 100000

// NewSpool returns the "spool" output: files for a Splunk batch/spool
// directory such as $SPLUNK_HOME/var/spool/splunk, which Splunk indexes
// and then deletes.
//
// Eventgen appended straight into dir/file, so Splunk could index a
// half-written batch (eventgen-inventory.md §6 bug 40). Here Write
// appends to a temporary file in dir/../.eventgen-spool-tmp (on the same
// filesystem, outside the directory Splunk watches), and Flush, which the
// Writer calls at the end of each interval, closes it and moves it into
// dir under the name file or, while Splunk has not consumed that yet,
// file.1, file.2, ..., the first free name; an existing file is never
// overwritten. A Flush with nothing written creates no file. Close
// flushes.
//
// dir must exist. The temporary directory is created if needed.
func NewSpool(dir, file string) (io.WriteCloser, error) {
	if file == "" || file != filepath.Base(file) || file == "." || file == ".." {
		return nil, fmt.Errorf("output: spool: invalid file name %q", file)
	}
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("output: spool directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("output: spool directory %q: not a directory", dir)
	}
	tmp := filepath.Join(filepath.Dir(dir), SpoolTempDir)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("output: spool: create temporary directory: %w", err)
	}
	return &spool{dir: dir, file: file, tmpDir: tmp}, nil
}

type spool struct {
	dir, file, tmpDir string

	mu      sync.Mutex
	f       *os.File // the open temporary file, if anything was written
	tmpPath string
	closed  bool
}

func (s *spool) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, fmt.Errorf("output: spool %q: %w", filepath.Join(s.dir, s.file), os.ErrClosed)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if s.f == nil {
		if err := s.create(); err != nil {
			return 0, err
		}
	}
	n, err := s.f.Write(p)
	if err != nil {
		return n, fmt.Errorf("output: spool: %w", err)
	}
	return n, nil
}

// create opens a new temporary file with a name of its own, so several
// outputs and processes can share the temporary directory.
func (s *spool) create() error {
	for range 100 {
		path := filepath.Join(s.tmpDir, s.file+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("output: spool: create temporary file: %w", err)
		}
		s.f, s.tmpPath = f, path
		return nil
	}
	return fmt.Errorf("output: spool: create temporary file in %q: no free name", s.tmpDir)
}

// Flush moves what was written since the last Flush into the spool
// directory.
func (s *spool) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flush()
}

func (s *spool) flush() error {
	if s.f == nil {
		return nil
	}
	f, tmp := s.f, s.tmpPath
	s.f, s.tmpPath = nil, ""
	if err := f.Close(); err != nil {
		return fmt.Errorf("output: spool: %w (events left in %q)", err, tmp)
	}
	if err := s.publish(tmp); err != nil {
		return fmt.Errorf("output: spool: %w (events left in %q)", err, tmp)
	}
	return nil
}

// publish moves tmp to the first free name of dir/file, dir/file.1, ...
// A hard link claims a name atomically and fails if it exists; where
// links are not supported (some network and Windows filesystems), a
// rename after checking that the name is free is used instead.
func (s *spool) publish(tmp string) error {
	base := filepath.Join(s.dir, s.file)
	for i := 0; i < maxSpoolSuffix; i++ {
		name := base
		if i > 0 {
			name = base + "." + strconv.Itoa(i)
		}
		err := os.Link(tmp, name)
		if err == nil {
			if err := os.Remove(tmp); err != nil {
				return fmt.Errorf("remove temporary file after linking it to %q: %w", name, err)
			}
			return nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if _, serr := os.Lstat(name); serr == nil {
			continue
		} else if !errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("move %q to %q: %w", tmp, name, serr)
		}
		if err := os.Rename(tmp, name); err != nil {
			return fmt.Errorf("move %q to %q: %w", tmp, name, err)
		}
		return nil
	}
	return fmt.Errorf("move %q to %q: %s.1 to .%d all exist", tmp, base, s.file, maxSpoolSuffix-1)
}

// Close flushes and closes; later calls do nothing.
func (s *spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.flush()
}
