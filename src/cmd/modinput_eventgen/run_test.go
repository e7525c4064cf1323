package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func inproc(stdin string, env map[string]string) (*proc, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &proc{in: strings.NewReader(stdin), out: &out, err: &errb,
		env: func(k string) string { return env[k] },
		exe: func() (string, error) { return "", errors.New("no executable") }}, &out, &errb
}

func TestArgumentErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--bogus"}, 2, "unknown argument"},
		{[]string{"--infile"}, 2, "needs a file name"},
		{[]string{"--infile", filepath.Join(t.TempDir(), "missing.xml")}, 2, "missing.xml"},
		{[]string{"--version"}, 0, "modinput_eventgen"},
	}
	for _, c := range cases {
		p, out, errb := inproc("", nil)
		if code := run(context.Background(), c.args, p); code != c.code || !strings.Contains(out.String()+errb.String(), c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, out.String()+errb.String(), c.code, c.want)
		}
	}
}

func TestBadInputXMLIsFatal(t *testing.T) {
	p, out, errb := inproc("<input><not closed", nil)
	if code := run(context.Background(), nil, p); code != 1 || !strings.HasPrefix(errb.String(), "FATAL ") || out.Len() != 0 {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errb.String(), out.String())
	}
}

func TestBadValidationDocument(t *testing.T) {
	p, out, _ := inproc("not xml", nil)
	if code := run(context.Background(), []string{"--validate-arguments"}, p); code != 1 || !strings.Contains(out.String(), "<error><message>") {
		t.Fatalf("exit %d, %q", code, out.String())
	}
}

// With nothing to generate the input says so once and waits for the
// stop signal instead of exiting (splunkd would restart it every minute).
func TestNothingToGenerateWaits(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "etc", "apps", "A", "default"), 0o755)
	os.WriteFile(filepath.Join(home, "etc", "apps", "A", "default", "eventgen.conf"), []byte("[x.log]\ndisabled = true\n"), 0o644)
	p, out, errb := inproc(`<input><server_uri></server_uri><session_key></session_key><configuration/></input>`, map[string]string{"SPLUNK_HOME": home})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, p) }()
	select {
	case code := <-done:
		t.Fatalf("exited (%d) instead of waiting: %s", code, errb.String())
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "nothing to generate") || !strings.Contains(errb.String(), "disabled") || out.Len() != 0 {
		t.Fatalf("stderr %q stdout %q", errb.String(), out.String())
	}
}
