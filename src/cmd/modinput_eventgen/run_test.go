package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/logging"
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

// Reading from disk (no REST), a stanza enabled in eventgen.conf while
// the input runs starts at the next poll.
func TestDiskConfigReloaded(t *testing.T) {
	home := t.TempDir()
	app := filepath.Join(home, "etc", "apps", "A")
	os.MkdirAll(filepath.Join(app, "default"), 0o755)
	os.MkdirAll(filepath.Join(app, "samples"), 0o755)
	os.WriteFile(filepath.Join(app, "samples", "x.log"), []byte("x event\n"), 0o644)
	conf := filepath.Join(app, "default", "eventgen.conf")
	os.WriteFile(conf, []byte("[x.log]\ndisabled = true\n"), 0o644)
	var out, errb testlog.Buffer
	p := &proc{in: strings.NewReader(`<input><server_uri></server_uri><session_key></session_key><configuration><stanza name="modinput_eventgen://default"><param name="config_poll_interval">0.2</param></stanza></configuration></input>`),
		out: &out, err: &errb, env: func(k string) string { return map[string]string{"SPLUNK_HOME": home}[k] },
		exe: func() (string, error) { return "", errors.New("no executable") }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, p) }()
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(out.String(), "<event") {
		t.Fatalf("a disabled stanza generated: %s", out.String())
	}
	os.WriteFile(conf, []byte("[x.log]\ndisabled = false\ninterval = 1\ncount = 1\n"), 0o644)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "<data>x event</data>") {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("x.log did not start 10 s after it was enabled on disk\nstderr:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "eventgen.conf changed; applied without a restart started=x.log") {
		t.Errorf("stderr lacks the change:\n%s", errb.String())
	}
}

// Disk that cannot be read at a poll keeps what runs.
func TestDiskRereadFailureKeepsConfig(t *testing.T) {
	var errb testlog.Buffer
	src := &configSource{home: filepath.Join(t.TempDir(), "missing"), log: logging.New(&errb, logging.Options{})}
	if res := src.reload(context.Background()); res != nil {
		t.Fatalf("reload of a missing SPLUNK_HOME = %+v, want nil (keep the running configuration)", res)
	}
	if !strings.Contains(errb.String(), "cannot re-read eventgen.conf from disk; keeping the running configuration") {
		t.Errorf("stderr: %s", errb.String())
	}
}
