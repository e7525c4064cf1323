package status

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all"
	"github.com/eventgen-go/eventgen/src/internal/logging"
	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all"
	"github.com/eventgen-go/eventgen/src/internal/splunk"
)

func TestAppOf(t *testing.T) {
	for in, want := range map[string]string{
		"/opt/splunk/etc/apps/TA-web/default/eventgen.conf":      "TA-web",
		"/opt/splunk/etc/apps/TA-web/local/eventgen.conf":        "TA-web",
		`C:\Splunk\etc\apps\TA-win\local\eventgen.conf`:          "TA-win",
		"/opt/splunk/etc/system/local/eventgen.conf":             "system",
		"/home/me/apps/x/eventgen.conf":                          "x",
		"eventgen.conf":                                          "",
		"/opt/splunk/etc/apps/SA-Eventgen/samples/x.log/ignored": "SA-Eventgen",
	} {
		if filepath.Separator != '\\' && strings.Contains(in, `\`) {
			continue // a Windows path is one name on Unix
		}
		if got := AppOf(in); got != want {
			t.Errorf("AppOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// Each kind of stanza gets the state the page shows: done after its end,
// not_generating with the reason for a disabled stanza and for one whose
// output cannot be opened; a stanza running without a broken token says
// so in broken_tokens and warnings.
func TestStatusLines(t *testing.T) {
	home := t.TempDir()
	app := filepath.Join(home, "etc", "apps", "TA-s")
	os.MkdirAll(filepath.Join(app, "default"), 0o755)
	os.MkdirAll(filepath.Join(app, "samples"), 0o755)
	for _, n := range []string{"ends.log", "off.log", "nofile.log", "typo.log"} {
		os.WriteFile(filepath.Join(app, "samples", n), []byte(n+" line\n"), 0o644)
	}
	blocker := filepath.Join(home, "a-file")
	os.WriteFile(blocker, nil, 0o644)
	confText := "[ends.log]\ncount = 1\nend = 1\n\n[off.log]\ndisabled = true\n\n[nofile.log]\noutputMode = file\nfileName = " + filepath.Join(blocker, "out.log") + "\n" +
		"\n[typo.log]\ncount = 1\nend = 1\ntoken.0.token = line\ntoken.0.replacementType = file\ntoken.0.replacement = $SPLUNK_HOME/etc/apps/TA-s/samples/userz.txt\ntoken.1.token = zzz\ntoken.1.replacementtype = static\n"
	os.WriteFile(filepath.Join(app, "default", "eventgen.conf"), []byte(confText), 0o644)
	sources, _, err := splunk.DiskSources(home)
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load(sources, config.Options{Location: time.UTC})
	var out, logs bytes.Buffer
	e, problems := engine.Prepare(res.Samples, engine.Options{Stdout: &out, Format: "modinput", Clock: clock.NewSim(time.Unix(1e9, 0)), Watch: false})
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := New(logging.New(&logs, logging.Options{}))
	b.Configure(res, problems)
	b.Log(e, true)
	got := logs.String()
	for _, want := range []string{
		`INFO eventgen_status stanza=ends.log app=TA-s sample=ends.log state=generating interval_events=1 interval_bytes=13 events=1 bytes=13 intervals=1`,
		`INFO eventgen_status stanza=off.log app=TA-s sample="" state=not_generating interval_events=0 interval_bytes=0 events=0 bytes=0 intervals=0 lag_s=0.000 reason="disabled (disabled = true at `,
		`INFO eventgen_status stanza=nofile.log app=TA-s sample="" state=not_generating`,
		`INFO eventgen_status stanza=typo.log app=TA-s sample=typo.log state=generating interval_events=1 interval_bytes=13 events=1 bytes=13 intervals=1`,
		`reason="" last_error="" broken_tokens=2 warnings="` + filepath.Join(app, "default", "eventgen.conf") + `:18: [typo.log] token.1: incomplete token: token.1.replacementType missing in [typo.log]; the stanza generates without this token: the text it matches stays as written (and 1 more token(s), see splunkd.log)"`,
		`broken_tokens=0 warnings=""`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, `[nofile.log] outputMode:`) {
		t.Errorf("nofile.log's reason does not name the stanza and key:\n%s", got)
	}
	// The next period: nothing new, so the stanza that ended says done.
	logs.Reset()
	b.Log(e, true)
	if !strings.Contains(logs.String(), "stanza=ends.log app=TA-s sample=ends.log state=done interval_events=1 interval_bytes=13 events=0 bytes=0") {
		t.Errorf("after its end: %s", logs.String())
	}
	// The frequent check writes nothing when nothing changed...
	logs.Reset()
	b.Log(e, false)
	if logs.Len() != 0 {
		t.Errorf("an unchanged check wrote %q", logs.String())
	}
	// ...and a running stanza's line when it has none yet.
	logs.Reset()
	New(logging.New(&logs, logging.Options{})).Log(e, false)
	if got := logs.String(); strings.Count(got, "\n") != 2 || !strings.Contains(got, "stanza=ends.log") || !strings.Contains(got, "stanza=typo.log") {
		t.Errorf("first check wrote %q, want the running stanzas' lines", got)
	}
}
