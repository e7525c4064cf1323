package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// app writes an app folder and loads its default/eventgen.conf (and
// local/eventgen.conf when local is not empty).
func app(t *testing.T, def, local string, files ...string) *Result {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for _, f := range files {
		os.WriteFile(filepath.Join(dir, "samples", f), []byte("x\n"), 0o644)
	}
	var sources []Source
	for _, layer := range []struct{ name, text string }{{"default", def}, {"local", local}} {
		if layer.text == "" {
			continue
		}
		p := filepath.Join(dir, layer.name, "eventgen.conf")
		f, err := conf.Parse(p, []byte(layer.text))
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, Source{File: f, AppDir: dir})
	}
	return Load(sources, Options{Location: time.UTC})
}

func byFile(r *Result) map[string]*Sample {
	m := map[string]*Sample{}
	for _, s := range r.Samples {
		m[filepath.Base(s.Path)] = s
	}
	return m
}

func TestMasterAndLayering(t *testing.T) {
	r := app(t, `
[.*\.perfmon]
index = generic
host = generic
sourcetype = generic
token.0.token = G
token.0.replacementType = static
token.0.replacement = g

[.*U.*\.perfmon]
host = longer
token.0.token = L
token.0.replacementType = static
token.0.replacement = l

[CPU.perfmon]
sourcetype = exact
token.1.token = E1
token.1.replacementType = static
token.1.replacement = e1
token.0.token = E0
token.0.replacementType = static
token.0.replacement = e0
`, "", "CPU.perfmon", "Mem.perfmon", "DUMP.perfmon")
	if errs := r.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	m := byFile(r)
	cpu := m["CPU.perfmon"]
	if cpu.Stanza != "CPU.perfmon" || cpu.Sourcetype != "exact" || cpu.Host != "longer" || cpu.Index != "generic" {
		t.Errorf("CPU: master %s sourcetype %s host %s index %s; want exact name master, later stanzas first for the rest", cpu.Stanza, cpu.Sourcetype, cpu.Host, cpu.Index)
	}
	var regs []string
	for _, tk := range cpu.Tokens {
		regs = append(regs, tk.Regex)
	}
	if got := strings.Join(regs, ","); got != "E0,E1,L,G" {
		t.Errorf("CPU tokens %s, want the master's in order then the later stanzas'", got)
	}
	if s := m["DUMP.perfmon"]; s.Stanza != `.*U.*\.perfmon` || s.Host != "longer" {
		t.Errorf("DUMP: master %s host %s, want the longest pattern", s.Stanza, s.Host)
	}
	if s := m["Mem.perfmon"]; s.Stanza != `.*\.perfmon` || s.Host != "generic" || len(s.Tokens) != 1 {
		t.Errorf("Mem: %+v", s)
	}
}

func TestGlobalDefaultAndLocal(t *testing.T) {
	r := app(t, "[default]\nsourcetype = from_default\n\n[global]\nindex = gidx\ncount = 7\nseed = 5\n\n[a.log]\nhost = d\n",
		"[a.log]\nhost = l\n", "a.log")
	s := byFile(r)["a.log"]
	if s.Index != "gidx" || s.Count != 7 || s.Host != "l" || s.Sourcetype != "from_default" {
		t.Errorf("index %s count %d host %s sourcetype %s", s.Index, s.Count, s.Host, s.Sourcetype)
	}
	found := false
	for _, p := range r.Problems {
		found = found || strings.Contains(p.Msg, "[default]")
	}
	if !found {
		t.Error("no warning about settings under [default]")
	}
	if _, ok := s.Values["seed"]; ok {
		t.Error("seed is not a per-stanza setting; it must not be inherited")
	}
}

func TestDefaults(t *testing.T) {
	s := byFile(app(t, "[a.log]\n", "", "a.log"))["a.log"]
	if s.Count != -1 || s.Interval != 60 || s.Index != "main" || s.Host != "127.0.0.1" || s.Sourcetype != "eventgen" || s.Source != "a.log" || s.OutputMode != "modinput" || s.Generator != "default" {
		t.Errorf("defaults: %+v", s)
	}
}

func TestSampleDirRelativeToConf(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "conf"), 0o755)
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "a.log"), []byte("x\n"), 0o644)
	p := filepath.Join(dir, "conf", "eventgen.conf")
	f, _ := conf.Parse(p, []byte("[a.log]\nsampleDir = ../data\n"))
	r := Load([]Source{{File: f, AppDir: filepath.Join(dir, "elsewhere")}}, Options{})
	if len(r.Samples) != 1 || r.Samples[0].Path != filepath.Join(dir, "data", "a.log") {
		t.Fatalf("samples %+v problems %v", r.Samples, r.Problems)
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"1", "true", "True", "TRUE", "yes", "on", "t"} {
		if b, err := settings.ParseBool(s); !b || err != nil {
			t.Errorf("%q → %v %v", s, b, err)
		}
	}
	for _, s := range []string{"0", "false", "False", "no", "off", "f"} {
		if b, err := settings.ParseBool(s); b || err != nil {
			t.Errorf("%q → %v %v", s, b, err)
		}
	}
	if _, err := settings.ParseBool("maybe"); err == nil {
		t.Error("maybe accepted")
	}
}

func TestProblems(t *testing.T) {
	cases := []struct {
		name, conf string
		files      []string
		key, want  string
		severity   Severity
	}{
		{"autotimestamp with windbag", "[a.log]\nautotimestamp = true\ngenerator = windbag\n", []string{"a.log"}, "autotimestamp", "no effect with generator windbag", Warning},
		{"autotimestamps not pairs", "[a.log]\nautotimestamp = true\nautotimestamps = [[\"x\"]]\n", []string{"a.log"}, "autotimestamps", "not a [regex, format] pair", Error},
		{"pytest-splunk-addon all with a random form", "[a.log]\ntoken.0.token = x\ntoken.0.replacementType = all\ntoken.0.replacement = src[\"ipv4\"]\n", []string{"a.log"}, "token.0.replacement", "one random value per event", Warning},
		{"pytest-splunk-addon all with a static value", "[a.log]\ntoken.0.token = x\ntoken.0.replacementType = all\ntoken.0.replacement = y\n", []string{"a.log"}, "token.0.replacement", "left out", Warning},
		{"host_type event without a host field", "[a.log]\nhost_type = event\n", []string{"a.log"}, "host_type", "no token of this stanza", Warning},
		{"unknown host_type", "[a.log]\nhost_type = sample\n", []string{"a.log"}, "host_type", "read as host_type = plugin", Warning},
		{"unknown input_type", "[a.log]\ninput_type = carrier_pigeon\n", []string{"a.log"}, "input_type", "no effect", Warning},
		{"typo", "[a.log]\nsourcetyp = x\n", []string{"a.log"}, "sourcetyp", "did you mean sourcetype", Warning},
		{"token field", "[a.log]\ntoken.0.tokn = x\n", []string{"a.log"}, "token.0.tokn", "unknown token field", Warning},
		{"no file", "[nope.log]\n", []string{"a.log"}, "", "matches no file", Error},
		{"bad count", "[a.log]\ncount = -5\n", []string{"a.log"}, "count", "below the minimum", Error},
		{"bad interval", "[a.log]\ninterval = soon\n", []string{"a.log"}, "interval", "not a whole number", Error},
		{"bad delay", "[a.log]\ndelay = x\n", []string{"a.log"}, "delay", "not a number", Error},
		{"bad rate json", "[a.log]\nhourOfDayRate = {0: 1}\n", []string{"a.log"}, "hourOfDayRate", "JSON", Error},
		{"bad rate key", "[a.log]\ndayOfWeekRate = {\"7\": 1}\n", []string{"a.log"}, "dayOfWeekRate", "from 0 to 6", Error},
		{"negative rate", "[a.log]\nminuteOfHourRate = {\"7\": -1}\n", []string{"a.log"}, "minuteOfHourRate", "negative", Error},
		{"bad end", "[a.log]\nend = -3\n", []string{"a.log"}, "end", "intervals", Error},
		{"bad end time", "[a.log]\nend = tomorrowish\n", []string{"a.log"}, "end", "neither a number", Error},
		{"bad sampletype", "[a.log]\nsampletype = xml\n", []string{"a.log"}, "sampletype", "raw or csv", Error},
		{"unknown mode", "[a.log]\nmode = fast\n", []string{"a.log"}, "mode", "read as mode = sample", Warning},
		{"bad breaker", "[a.log]\nbreaker = (\n", []string{"a.log"}, "breaker", "does not compile", Error},
		{"unknown generator", "[a.log]\ngenerator = lua\n", nil, "generator", "not available", Error},
		{"bad timeMultiple", "[a.log]\nmode = replay\ntimeMultiple = 0\n", []string{"a.log"}, "timeMultiple", "above 0", Error},
		{"two volume targets", "[a.log]\nperDayVolume = 1\neps = 5\n", []string{"a.log"}, "perDayVolume", "only one", Error},
		{"bad perDayVolume", "[a.log]\nperDayVolume = lots\n", []string{"a.log"}, "perDayVolume", "not a number", Error},
		{"perdayvolume rater without perDayVolume", "[a.log]\nrater = perdayvolume\n", []string{"a.log"}, "rater", "count is used", Warning},
		{"backfill rater without backfill", "[a.log]\nrater = backfill\n", []string{"a.log"}, "rater", "rates as config", Warning},
		{"custom rater", "[a.log]\nrater = myrater\n", []string{"a.log"}, "rater", "config rater", Warning},
		{"backfill without interval", "[a.log]\nbackfill = -1h\ninterval = 0\n", []string{"a.log"}, "backfill", "interval > 0", Error},
		{"bad backfill", "[a.log]\nbackfill = yesterday\n", []string{"a.log"}, "backfill", "relative time", Error},
		{"unknown output", "[a.log]\noutputMode = pigeon\n", []string{"a.log"}, "outputMode", "unknown outputMode", Error},
		{"bad extendIndexes", "[a.log]\nextendIndexes = x:0\n", []string{"a.log"}, "extendIndexes", "prefix:N", Error},
		{"host token without replacement", "[a.log]\nhost.token = h\n", []string{"a.log"}, "host.replacement", "missing", Error},
		{"unknown replacementType", "[a.log]\ntoken.0.token = x\ntoken.0.replacementType = nope\n", []string{"a.log"}, "token.0.replacementType", "unknown replacementType", Warning},
		{"incomplete token", "[a.log]\ntoken.0.token = x\ntoken.0.replacement = y\n", []string{"a.log"}, "token.0", "incomplete token", Warning},
		{"bad disabled", "[a.log]\ndisabled = perhaps\n", []string{"a.log"}, "disabled", "not a boolean", Error},
		{"missing sampleDir", "[a.log]\nsampleDir = /does/not/exist\n", nil, "sampleDir", "does not exist", Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := app(t, c.conf, "", c.files...)
			for _, p := range r.Problems {
				if p.Key == c.key && strings.Contains(p.Msg, c.want) && p.Severity == c.severity {
					if p.File == "" || p.Line == 0 {
						t.Errorf("problem without location: %v", p)
					}
					if c.severity == Error && len(r.Samples) != 0 {
						t.Errorf("a sample with an error still runs")
					}
					if c.want == "incomplete token" || c.want == "unknown replacementType" {
						// A token that cannot work is left out; the stanza runs.
						if len(r.Samples) != 1 || len(r.Samples[0].Tokens) != 0 || len(r.Samples[0].LeftOut) != 1 {
							t.Errorf("samples %v: want a.log without its token", r.Samples)
						}
					}
					return
				}
			}
			t.Fatalf("no %v problem on %q mentioning %q; got %v", c.severity, c.key, c.want, r.Problems)
		})
	}
}

func TestRatesFactor(t *testing.T) {
	r := Rates{Hour: map[int]float64{13: 0.5}, Weekday: map[int]float64{0: 2}, Month: map[int]float64{3: 3}}
	sunday := time.Date(2024, 3, 3, 13, 5, 0, 0, time.UTC)
	if f := r.Factor(sunday); f != 3 {
		t.Fatalf("factor %v, want 0.5 × 2 (Sunday = 0) × 3", f)
	}
	if f := r.Factor(sunday.Add(time.Hour)); f != 6 {
		t.Fatalf("factor %v, missing hour counts as 1", f)
	}
}

// TestOverrides: the command line's --end and --output are applied when
// samples are built (the engine never edits a sample), and an output
// this build lacks is an error, or the fallback with a warning.
func TestOverrides(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("x\n"), 0o644)
	f, _ := conf.Parse("c.conf", []byte("[a.log]\nend = 5\noutputMode = httpevent\nhttpeventMaxPayloadSize = lots\n"))
	src := []Source{{File: f, AppDir: dir}}

	res := Load(src, Options{EndIntervals: 2, OutputMode: "file"})
	if len(res.Samples) != 1 {
		t.Fatalf("samples %d, problems %v", len(res.Samples), res.Problems)
	}
	s := res.Samples[0]
	if s.End.Intervals != 2 || s.OutputMode != "file" || s.FileName != filepath.Join("$SPLUNK_HOME/var/spool/splunk", "a.log") {
		t.Errorf("end %+v, output %s, file %s", s.End, s.OutputMode, s.FileName)
	}
	if len(res.Problems) != 1 || res.Problems[0].Severity != Warning || res.Problems[0].Key != "httpeventMaxPayloadSize" {
		t.Errorf("with --output file, the HEC setting is a warning: %v", res.Problems)
	}

	res = Load(src, Options{Outputs: []string{"modinput", "stdout"}})
	if len(res.Samples) != 0 || len(res.Errors()) != 2 {
		t.Errorf("without the output: %d samples, %v", len(res.Samples), res.Problems)
	}
	res = Load(src, Options{Outputs: []string{"modinput", "stdout"}, OutputFallback: "modinput"})
	if len(res.Samples) != 0 {
		t.Errorf("a wrong setting of the stanza's own output still stops it: %v", res.Problems)
	}
	f, _ = conf.Parse("c.conf", []byte("[a.log]\noutputMode = s2s\n"))
	res = Load([]Source{{File: f, AppDir: dir}}, Options{Outputs: []string{"modinput"}, OutputFallback: "modinput"})
	if len(res.Samples) != 1 || res.Samples[0].OutputMode != "modinput" || len(res.Problems) != 1 || res.Problems[0].Severity != Warning {
		t.Errorf("fallback: %d samples, %v", len(res.Samples), res.Problems)
	}
}

// Eventgen's rater names and an unknown mode keep the stanza (issue 13 §5).
func TestLenientModeAndRater(t *testing.T) {
	for _, c := range []struct{ conf, mode, rater string }{
		{"[a.log]\nmode = fast\n", "sample", "config"},
		{"[a.log]\nmode = Replay\ntoken.0.token = x\ntoken.0.replacementType = timestamp\ntoken.0.replacement = %s\n", "replay", "config"},
		{"[a.log]\nrater = perdayvolume\nperDayVolume = 1\n", "sample", "perdayvolume"},
		{"[a.log]\nrater = counter\n", "sample", "config"},
		{"[a.log]\nrater = backfill\nbackfill = -1h\n", "sample", "backfill"},
		{"[a.log]\nrater = custom_plugin\n", "sample", "config"},
	} {
		r := app(t, c.conf, "", "a.log")
		if len(r.Samples) != 1 {
			t.Errorf("%q: %d samples, want 1; problems %v", c.conf, len(r.Samples), r.Problems)
			continue
		}
		if s := r.Samples[0]; s.Mode != c.mode || s.Rater != c.rater {
			t.Errorf("%q: mode %q rater %q, want %q %q", c.conf, s.Mode, s.Rater, c.mode, c.rater)
		}
	}
}

// pytest-splunk-addon's dialect becomes tokens of ours (psa.go).
func TestPytestSplunkAddonTokens(t *testing.T) {
	r := app(t, `[a.log]
host_type = event
input_type = modinput
sourcetype_to_search = x:y
timestamp_type = event
expected_event_count = 6
sample_count = 3
token.0.token = ##n##
token.0.replacementType = all
token.0.replacement = list['a','b']
token.1.token = ##f##
token.1.replacementType = random
token.1.replacement = file[$SPLUNK_HOME/etc/apps/Other_TA/samples/users.txt:2]
token.2.token = ##h##
token.2.replacementType = random
token.2.replacement = host["ipv4"]
token.2.field = host
token.3.token = ##i##
token.3.replacementType = all
token.3.replacement = integer[1:3]
`, "", "a.log", "users.txt")
	if len(r.Samples) != 1 {
		t.Fatalf("%d samples; problems %v", len(r.Samples), r.Problems)
	}
	for _, p := range r.Problems {
		t.Errorf("unexpected problem: %v", p)
	}
	s := r.Samples[0]
	if len(s.AllTokens) != 2 || s.AllTokens[0].Replacement != "list['a','b']" || s.AllTokens[1].N != 3 {
		t.Errorf("all tokens %+v", s.AllTokens)
	}
	if len(s.Tokens) != 2 || s.Tokens[0].Type != "file" || s.Tokens[1].Replacement != `host["ipv4"]` {
		t.Errorf("tokens %+v", s.Tokens)
	}
	if !strings.HasSuffix(s.Tokens[0].Replacement, "users.txt:2") {
		t.Errorf("file[...] not unwrapped: %q", s.Tokens[0].Replacement)
	}
	if s.HostField != 2 {
		t.Errorf("HostField = %d, want 2 (token.2, the second of Tokens)", s.HostField)
	}
}
