package splunk

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoProcessIO keeps this package off the process's stdout and exit: in
// the modular input stdout is the event stream, and one stray byte there
// corrupts the XML splunkd parses (STYLE.md, "stdout belongs to the
// writer").
func TestNoProcessIO(t *testing.T) {
	forbidden := regexp.MustCompile(`\bos\.(Stdout|Stderr|Stdin|Exit)\b|\bfmt\.Print|\blog\.(Print|Fatal|Panic)|\bprintln\(`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if forbidden.MatchString(line) {
				t.Errorf("%s:%d: process I/O in a library package: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
