package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.tgz")
	if err := os.WriteFile(plain, []byte("not a package"), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(make([]byte, 1024)) // an empty tar archive
	_ = zw.Close()
	empty := filepath.Join(dir, "empty.tgz")
	if err := os.WriteFile(empty, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  string
		noWrite bool
	}{
		{name: "no argument", args: nil, code: 2, stderr: "usage: checkapp PACKAGE.tgz ...", noWrite: true},
		{name: "help", args: []string{"-h"}, code: 2, stderr: "usage: checkapp", noWrite: true},
		{name: "not gzip", args: []string{plain}, code: 1, stdout: []string{"FAIL package_compression: " + plain + " is not gzip-compressed", "checkapp: " + plain + " FAILED"}},
		{name: "empty archive", args: []string{empty}, code: 1, stdout: []string{"PASS package_compression: gzip", "FAIL single_top_dir: the archive is empty"}},
		{name: "every package reported", args: []string{plain, empty}, code: 1, stdout: []string{"checkapp: " + plain + " FAILED", "checkapp: " + empty + " FAILED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tc.args, &out, &errb); code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errb.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			if !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), tc.stderr)
			}
			if tc.noWrite && out.Len() > 0 {
				t.Errorf("stdout not empty: %q", out.String())
			}
		})
	}
}
