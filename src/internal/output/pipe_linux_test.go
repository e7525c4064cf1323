//go:build linux

package output

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWriterGrowsPipe: a Writer on a pipe (stdout piped into another
// program, or read by splunkd) enlarges it to pipeBytes, or as far as the
// kernel allows; a Writer on a regular file leaves it alone and works.
func TestWriterGrowsPipe(t *testing.T) {
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before, err := unix.FcntlInt(pw.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		t.Skipf("F_GETPIPE_SZ: %v", err)
	}
	w := NewWriter(NopCloser(pw), 0)
	got, err := unix.FcntlInt(pw.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := pipeBytes
	if b, err := os.ReadFile("/proc/sys/fs/pipe-max-size"); err == nil {
		var limit int
		if _, err := fmt.Sscan(string(b), &limit); err == nil && limit < want {
			want = limit
		}
	}
	if got < want && got <= before {
		t.Errorf("pipe holds %d bytes after NewWriter (before %d), want %d", got, before, want)
	}
	w.Close()
	pw.Close()

	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	w = NewWriter(f, 0)
	if err := w.Submit(filled(w, "x\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f.Name()); string(b) != "x\n" {
		t.Fatalf("file holds %q", b)
	}
}
