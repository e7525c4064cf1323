package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLibrariesDoNotTouchProcessIO: in the modular input, stdout is the
// XML stream and one stray print corrupts it. Only the commands own the
// process's stdout, stderr and exit; library packages get writers.
func TestLibrariesDoNotTouchProcessIO(t *testing.T) {
	forbidden := regexp.MustCompile(`\bos\.(Stdout|Stderr|Exit)\b|\bfmt\.Print(f|ln)?\(|\blog\.(Print|Fatal|Panic)\w*\(|\bprintln\(`)
	root := filepath.Join(repoRoot, "src", "internal")
	n := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if m := forbidden.FindString(line); m != "" {
				t.Errorf("%s:%d uses %s; pass a writer or logger in instead", p, i+1, m)
			}
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}
