package main

import (
	"bytes"
	"context"
	"flag"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/cases")

// TestCases runs every folder of testdata/cases as a user would run the
// CLI: the folder holds an app (default/, local/, samples/), an `args`
// file (one argument per line; {dir} is the case folder), and the
// expected stdout, stderr and exit code as golden files. Runs use
// --seed and --now, so their output is exact.
func TestCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, _ := filepath.Abs(dir)
			// A case whose folder has a file "outputs" runs only in builds
			// that have every output it lists (the Splunk Cloud build has
			// no network output).
			if need, err := os.ReadFile(filepath.Join(dir, "outputs")); err == nil {
				for _, o := range strings.Fields(string(need)) {
					if !contains(engine.Outputs(), o) {
						t.Skipf("this build has no %s output", o)
					}
				}
			}
			argText, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, a := range strings.Split(strings.TrimSpace(string(argText)), "\n") {
				args = append(args, strings.ReplaceAll(a, "{dir}", abs))
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), args, &stdio{out: &out, err: &errb})
			got := map[string][]byte{
				"stdout.golden": bytes.ReplaceAll(out.Bytes(), []byte(abs), []byte("{dir}")),
				"stderr.golden": bytes.ReplaceAll(errb.Bytes(), []byte(abs), []byte("{dir}")),
				"exit.golden":   []byte(strconv.Itoa(code) + "\n"),
			}
			for name, data := range got {
				p := filepath.Join(dir, name)
				if *update {
					if err := os.WriteFile(p, data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(data, want) {
					t.Errorf("%s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", name, p, clip(data), clip(want))
				}
			}
		})
	}
}

func clip(b []byte) string {
	if len(b) > 3000 {
		return string(b[:3000]) + "\n...(clipped)"
	}
	return string(b)
}
