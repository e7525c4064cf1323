package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// badValue is a value of the setting's kind that does not parse ("" when
// every text is a valid value of that kind, as for plain strings).
func badValue(s *settings.Setting) string {
	switch s.Kind {
	case settings.Bool:
		return "maybe"
	case settings.Int:
		return "lots"
	case settings.Float:
		return "much"
	case settings.Seconds:
		return "soon"
	case settings.Enum:
		return "no_such_value"
	case settings.Relative:
		return "-5x"
	case settings.Timezone:
		return "Mars/Base"
	case settings.Regex:
		return "(unclosed"
	case settings.JSON:
		return "{not json"
	case settings.Host:
		return "a b"
	case settings.Port:
		return "70000"
	}
	if s.Check != nil {
		return "::not valid::"
	}
	if s.Name == "end" {
		return "soon"
	}
	return ""
}

// valid gives the settings a stanza needs so that only the setting under
// test is wrong: an output or generator that owns it, and what that
// plugin requires.
func valid(s *settings.Setting) []string {
	outputs := []string{"httpevent", "metric_httpevent", "splunkstream", "syslogout", "tcpout", "udpout", "file", "spool", "awss3", "scsout"}
	kv := []string{"outputMode", "devnull"}
	for _, o := range s.Owners {
		switch {
		case slices.Contains(outputs, o):
			kv = []string{"outputMode", o}
		case o == "replay":
			kv = append(kv, "mode", "replay")
		case o == "jinja" || o == "counter":
			kv = append(kv, "generator", o)
		}
		break
	}
	switch kv[1] {
	case "httpevent", "metric_httpevent":
		kv = append(kv, "httpeventServers", `{"servers":[{"protocol":"http","address":"127.0.0.1","port":"9","key":"k"}]}`)
	case "splunkstream":
		kv = append(kv, "splunkHost", "127.0.0.1", "splunkPort", "9", "sessionKey", "k")
	case "file":
		kv = append(kv, "fileName", "out.log")
	}
	return kv
}

// TestValidateAndGenerateAgree gives every declared setting a wrong value
// in a stanza whose generator and output read it, next to a stanza that
// is fine, and checks that eventgen validate and eventgen generate
// refuse exactly the same stanzas, with the same errors, each located at
// the wrong key's line.
func TestValidateAndGenerateAgree(t *testing.T) {
	if !contains(engine.Outputs(), "httpevent") {
		t.Skip("this build (-tags cloud) has no network output: their settings are reported as unavailable instead")
	}
	dir := t.TempDir()
	for _, d := range []string{"default", "samples"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var conf strings.Builder
	line := 0
	add := func(format string, args ...any) {
		fmt.Fprintf(&conf, format+"\n", args...)
		line++
	}
	add("[good.log]")
	add("outputMode = devnull")
	add("count = 1")
	want := map[string]int{} // stanza → line of its wrong key
	keyOf := map[string]string{}
	for _, s := range settings.All() {
		bad := badValue(s)
		// Lenient settings and pytest-splunk-addon's (no effect here) warn:
		// the stanza runs.
		if bad == "" || s.Scope == settings.Global || s.Lenient || slices.Contains(s.Owners, settings.PytestSplunkAddon) {
			continue
		}
		stanza := "bad_" + s.Name + ".log"
		add("[%s]", stanza)
		kv := valid(s)
		for i := 0; i < len(kv); i += 2 {
			if kv[i] != s.Name {
				add("%s = %s", kv[i], kv[i+1])
			}
		}
		add("%s = %s", s.Name, bad)
		want[stanza], keyOf[stanza] = line, s.Name
	}
	// Problems only the output's own validation sees (no single value is
	// wrong by its kind): the last key is the one reported, or, when
	// missing is set, that key, at the outputMode line.
	for i, c := range []struct {
		kv      []string
		missing string
	}{
		{kv: []string{"outputMode", "metric_httpevent", "httpeventServers", `{"servers":[{"protocol":"http","address":"127.0.0.1","port":"9","key":"k"}]}`, "httpeventEndpoint", "raw"}},
		{kv: []string{"outputMode", "httpevent", "httpeventServers", `{"servers":[]}`}},
		{kv: []string{"outputMode", "splunkstream", "splunkPort", "9", "splunkHost", `["a","b"]`}},
		{kv: []string{"outputMode", "splunkstream", "splunkHost", "127.0.0.1", "splunkUser", "admin"}, missing: "splunkPass"},
		{kv: []string{"outputMode", "httpevent"}, missing: "httpeventServers"},
	} {
		stanza := fmt.Sprintf("cross_%d.log", i)
		add("[%s]", stanza)
		at := line + 1
		for j := 0; j < len(c.kv); j += 2 {
			add("%s = %s", c.kv[j], c.kv[j+1])
		}
		want[stanza], keyOf[stanza] = line, c.kv[len(c.kv)-2]
		if c.missing != "" {
			want[stanza], keyOf[stanza] = at, c.missing
		}
	}
	if len(want) < 60 {
		t.Fatalf("only %d settings have a wrong value to test", len(want))
	}
	confPath := filepath.Join(dir, "default", "eventgen.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for stanza := range want {
		if err := os.WriteFile(filepath.Join(dir, "samples", stanza), []byte("2024-03-05 12:00:00 one event\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "samples", "good.log"), []byte("one event\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var vout, verr bytes.Buffer
	vcode := run(context.Background(), []string{"validate", "--now", "2024-03-05T12:00:00Z", dir}, &stdio{out: &vout, err: &verr})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var gout, gerr bytes.Buffer
	gcode := run(ctx, []string{"generate", "--now", "2024-03-05T12:00:00Z", "--end", "1", dir}, &stdio{out: &gout, err: &gerr})
	if vcode != exitNoGen || gcode != exitBadInput {
		t.Errorf("validate exit %d (want %d), generate exit %d (want %d)\nvalidate:\n%s\ngenerate:\n%s", vcode, exitNoGen, gcode, exitBadInput, clip(vout.Bytes()), clip(gerr.Bytes()))
	}

	errorLines := func(text string) []string {
		var out []string
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "ERROR ") {
				out = append(out, l)
			}
		}
		slices.Sort(out)
		return out
	}
	ve, ge := errorLines(vout.String()), errorLines(gerr.String())
	if !slices.Equal(ve, ge) {
		t.Errorf("validate and generate report different errors:\nvalidate:\n%s\ngenerate:\n%s", strings.Join(ve, "\n"), strings.Join(ge, "\n"))
	}
	okRE := regexp.MustCompile(`(?m)^OK    \[([^\]]+)\]`)
	genRE := regexp.MustCompile(`(?m)msg=generating stanza=(\S+)`)
	var vok, gok []string
	for _, m := range okRE.FindAllStringSubmatch(vout.String(), -1) {
		vok = append(vok, m[1])
	}
	for _, m := range genRE.FindAllStringSubmatch(gerr.String(), -1) {
		gok = append(gok, m[1])
	}
	if !slices.Equal(vok, []string{"good.log"}) || !slices.Equal(gok, vok) {
		t.Errorf("stanzas that run: validate %v, generate %v; want only good.log in both", vok, gok)
	}
	for stanza, l := range want {
		prefix := fmt.Sprintf("ERROR %s:%d: [%s] %s: ", confPath, l, stanza, keyOf[stanza])
		if !slices.ContainsFunc(ve, func(e string) bool { return strings.HasPrefix(e, prefix) }) {
			t.Errorf("no error at the wrong key's line for %s: want a line starting %q", stanza, prefix)
		}
	}
}
