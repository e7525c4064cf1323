//go:build !js

package file

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

func TestMaxSizeMiB(t *testing.T) {
	for _, tc := range []struct {
		maxBytes int64
		want     int
	}{
		{-1, 1},
		{0, 1},
		{1, 1},
		{mib - 1, 1},
		{mib, 1},
		{mib + 1, 2},
		{3*mib/2 + 1, 2},
		{10485760, 10}, // Eventgen's default fileMaxBytes
		{10485761, 11},
	} {
		if got := maxSizeMiB(tc.maxBytes); got != tc.want {
			t.Errorf("maxSizeMiB(%d) = %d, want %d", tc.maxBytes, got, tc.want)
		}
	}
}

// lines returns n numbered 64-byte lines starting at first.
func lines(first, n int) []byte {
	const width = 8
	pad := strings.Repeat("x", 64-len("line  \n")-width)
	b := make([]byte, 0, 64*n)
	for i := first; i < first+n; i++ {
		num := strconv.Itoa(i)
		b = append(b, "line "...)
		b = append(b, "00000000"[:width-len(num)]...)
		b = append(b, num...)
		b = append(b, ' ')
		b = append(b, pad...)
		b = append(b, '\n')
	}
	return b
}

var backupRE = regexp.MustCompile(`^events-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.log$`)

// rotated returns the content of path's backups, oldest first, and of
// path itself, and fails on any other file in the directory. It first
// waits for lumberjack's pruning, which runs in the background.
func rotated(t *testing.T, path string) (backups [][]byte, current []byte) {
	t.Helper()
	waitMills(t, 0)
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // sorted by name: the timestamps sort chronologically
		switch {
		case e.Name() == filepath.Base(path):
		case backupRE.MatchString(e.Name()):
			b, err := os.ReadFile(filepath.Join(filepath.Dir(path), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			backups = append(backups, b)
		default:
			t.Errorf("unexpected file %s", e.Name())
		}
	}
	current, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return backups, current
}

var millRunRE = regexp.MustCompile(`(?m)^gopkg\.in/natefinch/lumberjack(\.|%2e)v2\.\(\*Logger\)\.millRun\(`)

// mills counts the goroutines running lumberjack's millRun.
func mills(t *testing.T) int {
	t.Helper()
	var b strings.Builder
	if err := pprof.Lookup("goroutine").WriteTo(&b, 2); err != nil {
		t.Fatal(err)
	}
	return len(millRunRE.FindAllStringIndex(b.String(), -1))
}

// waitMills waits up to 10 s for at most n millRun goroutines to be left.
func waitMills(t *testing.T, n int) {
	t.Helper()
	for start := time.Now(); ; time.Sleep(time.Millisecond) {
		got := mills(t)
		if got <= n {
			return
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%d lumberjack goroutines still running, want at most %d", got, n)
		}
	}
}

func TestFileRotation(t *testing.T) {
	const perBuffer = 1024             // 64 KiB buffers, 16 per MiB
	const buffers = 56                 // 3.5 MiB
	all := lines(0, perBuffer*buffers) // everything written, in order
	tail := func(n int) []byte { return all[len(all)-n:] }
	for _, tc := range []struct {
		name        string
		backups     int
		wantBackups int
		wantKept    int // bytes kept over all files
	}{
		{"keep 5", 5, 3, len(all)},
		{"keep 2", 2, 2, len(all) - mib},
		{"keep 0 keeps 1", 0, 1, len(all) - 2*mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "dir", "events.log")
			f, err := NewFile(path, mib, tc.backups)
			if err != nil {
				t.Fatal(err)
			}
			w := output.NewWriter(f, 0)
			for i := range buffers {
				if i%16 == 0 {
					// lumberjack names backups after the millisecond
					// and would rename over a backup made in the same
					// one (see docs/compatibility.md).
					time.Sleep(2 * time.Millisecond)
				}
				b := w.Buffer()
				b.Buf = append(b.Buf, lines(i*perBuffer, perBuffer)...)
				if err := w.Submit(b); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			backups, current := rotated(t, path)
			if len(backups) != tc.wantBackups {
				t.Fatalf("%d backups, want %d", len(backups), tc.wantBackups)
			}
			for i, b := range backups {
				if len(b) != mib {
					t.Errorf("backup %d holds %d bytes, want %d", i, len(b), mib)
				}
			}
			if len(current) != mib/2 {
				t.Errorf("current file holds %d bytes, want %d", len(current), mib/2)
			}
			kept := append(bytes.Join(backups, nil), current...)
			if !bytes.Equal(kept, tail(tc.wantKept)) {
				t.Errorf("files hold %d bytes that are not the last %d bytes written, in order", len(kept), tc.wantKept)
			}
		})
	}
}

// lumberjack refuses a write larger than the limit; the error names the
// setting to raise.
func TestFileRefusesOversizeWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.log")
	f, err := NewFile(path, 1, 10) // rounded up to 1 MiB
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(lines(0, mib/64)); err != nil {
		t.Fatalf("Write of exactly the limit: %v", err)
	}
	n, err := f.Write(lines(0, mib/64+1))
	if err == nil || n != 0 || !strings.Contains(err.Error(), "fileMaxBytes") || !strings.Contains(err.Error(), path) {
		t.Errorf("Write over the limit = %d, %v; want 0 and an error naming the path and fileMaxBytes", n, err)
	}
}

func TestFileAppendsToExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.log")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := NewFile(path, 10*mib, 5)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := f.Write([]byte("late\n")); err == nil {
		t.Error("Write after Close succeeded")
	}
	if b, _ := os.ReadFile(path); string(b) != "old\nnew\n" {
		t.Errorf("file holds %q", b)
	}
}

func TestFileOpenedEagerly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "events.log")
	f, err := NewFile(path, mib, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("file not created by NewFile: %v", err)
	}
}

func TestFileOpenErrors(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "regular")
	if err := os.WriteFile(regular, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		path    string
		backups int
		want    string
	}{
		{"under a regular file", filepath.Join(regular, "sub", "events.log"), 5, "not a directory"},
		{"directly under a regular file", filepath.Join(regular, "events.log"), 5, "not a directory"},
		{"a directory", filepath.Join(dir, "adir"), 5, "is a directory"},
		{"empty path", "", 5, "empty path"},
		{"negative backups", filepath.Join(dir, "x.log"), -1, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFile(tc.path, mib, tc.backups)
			if err == nil {
				f.Close()
				t.Fatalf("NewFile(%q) succeeded", tc.path)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "output: ") || !strings.Contains(msg, tc.want) || (tc.path != "" && !strings.Contains(msg, tc.path)) {
				t.Errorf("error %q: want the output: prefix, the path and %q", msg, tc.want)
			}
		})
	}
}

// lumberjack v2.2.1 leaves its pruning goroutine running after Close
// (natefinch/lumberjack#56); NewFile's Close stops it.
func TestFileCloseStopsGoroutine(t *testing.T) {
	before := mills(t)
	dir := t.TempDir()
	var files []io.WriteCloser
	for i := range 3 {
		f, err := NewFile(filepath.Join(dir, strconv.Itoa(i), "events.log"), mib, 1)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		for j := 0; j < 3*mib; j += mib / 2 { // two rotations, so pruning runs
			if _, err := f.Write(lines(j/64, mib/2/64)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := mills(t); got != before+3 {
		t.Fatalf("%d lumberjack goroutines after writing 3 files, want %d", got, before+3)
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	waitMills(t, before)
	// A file closed before any write never started one.
	f, err := NewFile(filepath.Join(dir, "unused.log"), mib, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := mills(t); got != before {
		t.Errorf("%d lumberjack goroutines, want %d", got, before)
	}
}
