package spool

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// newSpoolDir returns <tmp>/spool/splunk, like $SPLUNK_HOME/var/spool/splunk.
func newSpoolDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "spool", "splunk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSpoolFlushesCompleteFiles(t *testing.T) {
	dir := newSpoolDir(t)
	tmpDir := filepath.Join(filepath.Dir(dir), SpoolTempDir)
	sink, err := NewSpool(dir, "sample.log")
	if err != nil {
		t.Fatal(err)
	}
	w := output.NewWriter(sink, 0)

	submit(t, w, "a1\n")
	submit(t, w, "a2\n")
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("spool dir holds %q before Flush, want nothing", names)
	}
	if names := dirNames(t, tmpDir); len(names) != 0 {
		// The writer goroutine may not have written yet; not an error.
		t.Logf("temp dir before Flush: %q", names)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"sample.log"}) {
		t.Fatalf("after the first Flush: %q", got)
	}

	// Splunk has not consumed sample.log yet: the next batch must not
	// touch it.
	submit(t, w, "b1\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil { // nothing written: no file
		t.Fatal(err)
	}
	submit(t, w, "c1\n")
	if err := w.Close(); err != nil { // Close flushes
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"sample.log", "sample.log.1", "sample.log.2"}) {
		t.Fatalf("spool dir holds %q", got)
	}
	for name, want := range map[string]string{"sample.log": "a1\na2\n", "sample.log.1": "b1\n", "sample.log.2": "c1\n"} {
		if got := readFile(t, filepath.Join(dir, name)); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if names := dirNames(t, tmpDir); len(names) != 0 {
		t.Errorf("temporary files left: %q", names)
	}
}

func TestSpoolReusesConsumedName(t *testing.T) {
	dir := newSpoolDir(t)
	sink, err := NewSpool(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	fl := sink.(interface{ Flush() error })
	for _, batch := range []string{"one", "two"} {
		if _, err := io.WriteString(sink, batch); err != nil {
			t.Fatal(err)
		}
		if err := fl.Flush(); err != nil {
			t.Fatal(err)
		}
		// Splunk indexes and deletes the file.
		if got := readFile(t, filepath.Join(dir, "s")); got != batch {
			t.Errorf("s = %q, want %q", got, batch)
		}
		if err := os.Remove(filepath.Join(dir, "s")); err != nil {
			t.Fatal(err)
		}
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sink.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("spool dir holds %q", names)
	}
	if _, err := sink.Write([]byte("late")); err == nil {
		t.Error("Write after Close succeeded")
	}
}

func TestSpoolNothingWritten(t *testing.T) {
	dir := newSpoolDir(t)
	sink, err := NewSpool(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	w := output.NewWriter(sink, 0)
	if err := w.Submit(w.Buffer()); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("spool dir holds %q, want nothing", names)
	}
	if names := dirNames(t, filepath.Join(filepath.Dir(dir), SpoolTempDir)); len(names) != 0 {
		t.Errorf("temp dir holds %q, want nothing", names)
	}
}

func TestSpoolErrors(t *testing.T) {
	root := t.TempDir()
	regular := filepath.Join(root, "regular")
	if err := os.WriteFile(regular, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, file, want string
	}{
		{"missing dir", filepath.Join(root, "nope"), "s", "no such file"},
		{"dir is a file", regular, "s", "not a directory"},
		{"dir under a file", filepath.Join(regular, "spool"), "s", "not a directory"},
		{"empty file name", root, "", "invalid file name"},
		{"file name with a directory", root, "a/b", "invalid file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink, err := NewSpool(tc.dir, tc.file)
			if err == nil {
				sink.Close()
				t.Fatal("NewSpool succeeded")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "output: spool") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want one containing %q", msg, tc.want)
			}
			if tc.file != "" && tc.file == filepath.Base(tc.file) && !strings.Contains(msg, tc.dir) {
				t.Errorf("error %q does not name %s", msg, tc.dir)
			}
		})
	}
}

func TestSpoolFlushErrorNamesPaths(t *testing.T) {
	dir := newSpoolDir(t)
	sink, err := NewSpool(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	w := output.NewWriter(sink, 0)
	submit(t, w, "events\n")
	// The spool directory disappears (or becomes unwritable) under us.
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	err = w.Flush()
	if err == nil {
		t.Fatal("Flush succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, filepath.Join(dir, "s")) || !strings.Contains(msg, SpoolTempDir) {
		t.Errorf("error %q does not name the spool file and the temporary file", msg)
	}
	w.Close()
	// The events are kept in the temporary directory.
	tmp := filepath.Join(filepath.Dir(dir), SpoolTempDir)
	names := dirNames(t, tmp)
	if len(names) != 1 || readFile(t, filepath.Join(tmp, names[0])) != "events\n" {
		t.Errorf("temp dir holds %q", names)
	}
}

func TestSpoolUnwritableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions are not enforced")
	}
	dir := newSpoolDir(t)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	sink, err := NewSpool(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sink.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	err = sink.(interface{ Flush() error }).Flush()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "s")) || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Flush = %v, want a permission error naming %s", err, filepath.Join(dir, "s"))
	}
}

func submit(t *testing.T, w *output.Writer, s string) {
	t.Helper()
	b := w.Buffer()
	b.Buf = append(b.Buf, s...)
	if err := w.Submit(b); err != nil {
		t.Fatalf("Submit(%q): %v", s, err)
	}
}
