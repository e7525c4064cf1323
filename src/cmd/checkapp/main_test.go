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

func TestConfValue(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.conf")
	// ";" starts no comment in Splunk's syntax: the awk reader this
	// replaces skipped such a line.
	if err := os.WriteFile(p, []byte("[launcher]\nversion = 1.2.3\n;x = 1\n[id]\nversion = \\\n 2.0.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{p, "launcher", "version"}, 0, "1.2.3\n"},
		{[]string{p, "launcher", ";x"}, 0, "1\n"},
		{[]string{p, "id", "version"}, 0, "2.0.0\n"},
		{[]string{p, "package", "id"}, 1, ""},
		{[]string{filepath.Join(dir, "missing.conf"), "a", "b"}, 1, ""},
		{[]string{p}, 2, ""},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"conf-value"}, c.args...), &out, &errb)
		if code != c.code || out.String() != c.out || (code != 0) != (errb.Len() > 0) {
			t.Errorf("conf-value %v: code %d, out %q, err %q; want %d, %q", c.args, code, out.String(), errb.String(), c.code, c.out)
		}
	}
}
