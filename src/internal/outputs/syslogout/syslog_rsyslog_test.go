//go:build !cloud && !js

package syslogout

import (
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/delivery/streamtest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// stRsyslogd finds rsyslogd in PATH or in the sbin directories a non-root
// PATH may lack.
func stRsyslogd() string {
	if p, err := exec.LookPath("rsyslogd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/rsyslogd", "/sbin/rsyslogd"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// stRsyslogLine is one line of the peer's received.log (the template of
// scripts/syslog-peer.sh).
type stRsyslogLine struct {
	from, facSev, time, host, app, procid, msgid, msg, raw string
}

func stParseRsyslog(line string) (stRsyslogLine, bool) {
	f := strings.SplitN(line, "|", 9)
	if len(f) != 9 || !strings.HasPrefix(f[8], "RAW=") {
		return stRsyslogLine{}, false
	}
	return stRsyslogLine{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], strings.TrimPrefix(f[8], "RAW=")}, true
}

// TestSyslogRsyslog sends to a real rsyslog (Debian's, started by
// scripts/syslog-peer.sh on a free loopback port) and compares the fields
// rsyslog parsed, event by event.
func TestSyslogRsyslog(t *testing.T) {
	rsyslogd := stRsyslogd()
	if rsyslogd == "" {
		t.Skip("rsyslogd not installed: run scripts/syslog-peer.sh install")
	}
	script, err := filepath.Abs("../../../../scripts/syslog-peer.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, port := streamtest.HostPort(streamtest.FreePort(t))
	peer := func(args ...string) {
		t.Helper()
		cmd := exec.Command("bash", append([]string{script}, args...)...)
		// TZ=UTC: rsyslog reads RFC 3164 timestamps (no zone) as UTC.
		cmd.Env = append(os.Environ(), "TZ=UTC", "PATH="+os.Getenv("PATH")+":"+filepath.Dir(rsyslogd))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("syslog-peer.sh %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	peer("start", dir, port)
	t.Cleanup(func() { peer("stop", dir) })

	now := time.Now().UTC().Truncate(time.Second)
	plus2 := time.FixedZone("", 2*3600)
	dest := []string{"syslogDestinationHost", "127.0.0.1", "syslogDestinationPort", port}
	for _, c := range []struct {
		name   string
		kv     []string
		facSev string
		app    string
		evs    []output.Event
	}{
		{"rfc3164-udp", []string{"syslogAddHeader", "true", "syslogFacility", "local3", "syslogSeverity", "warning"}, "local3.warning", "eventgen", []output.Event{
			{Time: now.Add(-3 * time.Second), Host: "web-01", Raw: []byte("first event  ")},
			{Time: now.Add(-2 * time.Second), Host: "web-02", Raw: []byte("second event")},
			{Time: now.Add(-time.Second), Host: "db01", Raw: []byte("third: with a colon")},
		}},
		{"rfc3164-tcp", []string{"syslogProtocol", "tcp", "syslogAddHeader", "true", "syslogAppName", "gen3164"}, "user.info", "gen3164", []output.Event{
			{Time: now.Add(-time.Second), Host: "web-01", Raw: []byte("over tcp")},
			{Time: now, Host: "web-03", Raw: []byte("over tcp again")},
		}},
		{"rfc5424-tcp-lf", []string{"syslogProtocol", "tcp", "syslogFormat", "rfc5424", "syslogFacility", "local0", "syslogAppName", "myapp"}, "local0.info", "myapp", []output.Event{
			{Time: now.Add(-1500 * time.Millisecond), Host: "host1", Raw: []byte("RFC5424 over TCP newline-framed")},
			{Time: now.Add(-250 * time.Millisecond).In(plus2), Host: "host2", Raw: []byte("with an offset")},
			{Time: now.Add(-123 * time.Millisecond), Host: "host3", Raw: []byte("multi-line\nsecond line\n")},
			{Time: now, Host: "host4", Raw: []byte("after the multi-line one")},
		}},
		{"rfc5424-tcp-octet", []string{"syslogProtocol", "tcp", "syslogFormat", "rfc5424", "syslogFraming", "octet", "syslogFacility", "daemon", "syslogSeverity", "err"}, "daemon.err", "eventgen", []output.Event{
			{Time: now.Add(-999 * time.Millisecond), Host: "host1", Raw: []byte("octet counted")},
			{Time: now.Add(-5 * time.Millisecond), Host: "host2", Raw: []byte("octet\nmulti-line")},
		}},
		{"rfc5424-udp", []string{"syslogFormat", "rfc5424", "syslogFacility", "local7", "syslogSeverity", "debug"}, "local7.debug", "eventgen", []output.Event{
			{Time: now.Add(-10 * time.Millisecond), Host: "udp5424", Raw: []byte("5424 over udp")},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.evs {
				c.evs[i].Raw = fmt.Appendf(nil, "case=%s n=%d %s", c.name, i, c.evs[i].Raw)
			}
			o, d := stOpen(t, stSample("syslogout", append(dest, c.kv...)...), nil)
			w := output.NewWriter(o.Dst, 0)
			if err := streamtest.Submit(w, o.Enc, c.evs, 2); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if st := d.Stats(); st.Events != int64(len(c.evs)) {
				t.Errorf("stats %+v", st)
			}
			got := stWaitRsyslog(t, filepath.Join(dir, "received.log"), "case="+c.name+" ", len(c.evs))
			for i, e := range c.evs {
				l, ok := got[fmt.Sprintf("case=%s n=%d ", c.name, i)]
				if !ok {
					t.Errorf("event %d not received", i)
					continue
				}
				ts, err := time.Parse(time.RFC3339Nano, l.time)
				wantTS := e.Time
				if strings.HasPrefix(c.name, "rfc3164") {
					wantTS = e.Time.Truncate(time.Second)
				} else {
					wantTS = e.Time.Truncate(time.Millisecond)
				}
				if err != nil || !ts.Equal(wantTS) {
					t.Errorf("event %d: timestamp %q, want %s", i, l.time, wantTS.Format(time.RFC3339Nano))
				}
				// rsyslog escapes control characters (#012 for a line
				// feed) and keeps the space after an RFC 3164 tag.
				wantMsg := strings.ReplaceAll(string(delivery.Trim(e.Raw)), "\n", "#012")
				if l.facSev != c.facSev || l.host != e.Host || l.app != c.app || strings.TrimPrefix(l.msg, " ") != wantMsg || l.from != "127.0.0.1" {
					t.Errorf("event %d: got %+v\nwant %s host=%s app=%s msg=%q", i, l, c.facSev, e.Host, c.app, wantMsg)
				}
			}
		})
	}

	// Eventgen's own format (no header): rsyslog still takes the priority.
	t.Run("eventgen-compatible", func(t *testing.T) {
		o, _ := stOpen(t, stSample("syslogout", dest...), nil)
		evs := streamtest.Events(3, now)
		for i := range evs {
			evs[i].Raw = fmt.Appendf(nil, "WINDBAG case=compat n=%d of 3", i)
		}
		streamtest.Write(t, o, evs, 3)
		got := stWaitRsyslog(t, filepath.Join(dir, "received.log"), "case=compat ", 3)
		for i := range evs {
			l := got[fmt.Sprintf("case=compat n=%d ", i)]
			if want := fmt.Sprintf("<14>WINDBAG case=compat n=%d of 3", i); l.facSev != "user.info" || l.raw != want {
				t.Errorf("event %d: got %+v, want user.info RAW=%s", i, l, want)
			}
		}
	})
}

// stWaitRsyslog waits until received.log holds n lines containing marker
// and returns them by their "case=… n=… " prefix.
func stWaitRsyslog(t *testing.T, path, marker string, n int) map[string]stRsyslogLine {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		got := map[string]stRsyslogLine{}
		for line := range strings.SplitSeq(string(b), "\n") {
			if !strings.Contains(line, marker) {
				continue
			}
			l, ok := stParseRsyslog(line)
			if !ok {
				t.Fatalf("unparsable line %q", line)
			}
			i := strings.Index(l.raw, "case=")
			j := strings.Index(l.raw[i:], " n=")
			k := strings.IndexByte(l.raw[i+j+3:], ' ')
			if i < 0 || j < 0 || k < 0 {
				t.Fatalf("no case marker in %q", line)
			}
			key := l.raw[i : i+j+3+k+1]
			if _, dup := got[key]; dup {
				t.Errorf("received twice: %q", line)
			}
			got[key] = l
		}
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) != n {
				t.Errorf("received %d messages with %q, want %d; received.log:\n%s", len(got), marker, n, b)
			}
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}
