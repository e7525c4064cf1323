package file

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
// path itself, and fails on any other file in the directory.
func rotated(t *testing.T, path string) (backups [][]byte, current []byte) {
	t.Helper()
	names, err := backupFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != len(names)+1 {
		t.Errorf("directory holds %d files, want %d backups + the current file", len(entries), len(names))
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && !backupRE.MatchString(e.Name()) {
			t.Errorf("unexpected file %s", e.Name())
		}
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		backups = append(backups, b)
	}
	current, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return backups, current
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
		{"keep 0", 0, 0, len(all) - 3*mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "dir", "events.log")
			f, err := NewFile(path, mib, tc.backups)
			if err != nil {
				t.Fatal(err)
			}
			w := output.NewWriter(f, 0)
			for i := range buffers {
				if err := w.Submit(append(w.Buffer(), lines(i*perBuffer, perBuffer)...)); err != nil {
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

func TestFileSplitsOversizeWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.log")
	f, err := NewFile(path, 1, 10) // rounded up to 1 MiB
	if err != nil {
		t.Fatal(err)
	}
	data := lines(0, 5*mib/2/64)
	if n, err := f.Write(data); err != nil || n != len(data) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	backups, current := rotated(t, path)
	if len(backups) != 2 {
		t.Fatalf("%d backups, want 2", len(backups))
	}
	for _, b := range append(backups, current) {
		if len(b) > mib || len(b)%64 != 0 {
			t.Errorf("file of %d bytes: over the limit or a split line", len(b))
		}
	}
	if kept := append(bytes.Join(backups, nil), current...); !bytes.Equal(kept, data) {
		t.Error("files do not hold the data written, in order")
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

// Rotations closer together than a millisecond must not reuse a backup
// name: lumberjack would rename over the earlier backup and lose it.
func TestFileFastRotations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.log")
	f, err := NewFile(path, mib, 100)
	if err != nil {
		t.Fatal(err)
	}
	data := lines(0, 8*mib/64)
	for i := 0; i < len(data); i += mib / 4 {
		if _, err := f.Write(data[i : i+mib/4]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	backups, current := rotated(t, path)
	if len(backups) != 7 || len(current) != mib {
		t.Errorf("%d backups and %d bytes, want 7 and %d", len(backups), len(current), mib)
	}
	if kept := append(bytes.Join(backups, nil), current...); !bytes.Equal(kept, data) {
		t.Errorf("files hold %d bytes, not the %d written", len(kept), len(data))
	}
}
