package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

const repoRoot = "../../.."

// TestDemoGeneratesCleanly runs the README's first command's
// configuration: every demo stanza generates, with no warning at all.
func TestDemoGeneratesCleanly(t *testing.T) {
	var out, errb bytes.Buffer
	conf := filepath.Join(repoRoot, "samples", "eventgen.conf")
	code := run(context.Background(), []string{"generate", "--end", "1", "--seed", "1", "--now", "2024-03-05T12:00:00Z", conf}, &stdio{out: &out, err: &errb})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	if strings.Contains(errb.String(), "WARN") || strings.Contains(errb.String(), "ERROR") {
		t.Fatalf("the demo has problems:\n%s", errb.String())
	}
	for _, want := range []string{"web_access.log", "firewall.csv", "wineventlog.sample"} {
		if !strings.Contains(errb.String(), "stanza="+want) {
			t.Errorf("stanza %s did not run:\n%s", want, errb.String())
		}
	}
	lines := strings.Count(out.String(), "\n")
	// 20 access log lines + 4 firewall rows + 3 multi-line Windows events
	if lines < 27 {
		t.Fatalf("%d lines of output, want at least 27", lines)
	}
	if strings.Contains(out.String(), "10.20.1.15") || strings.Contains(out.String(), "04/Mar/2024") {
		t.Errorf("sample text left unreplaced:\n%s", out.String())
	}
}

// TestAppShipsDemoDisabled checks app/default/eventgen.conf: the same
// demo stanzas as samples/eventgen.conf with disabled = true added, and
// the built-in [global] defaults — so installing the app generates
// nothing until an admin enables a stanza.
func TestAppShipsDemoDisabled(t *testing.T) {
	app, err := conf.ReadFile(filepath.Join(repoRoot, "app", "default", "eventgen.conf"))
	if err != nil {
		t.Fatal(err)
	}
	demo, err := conf.ReadFile(filepath.Join(repoRoot, "samples", "eventgen.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range demo.Stanzas {
		got := app.Stanza(st.Name)
		if got == nil {
			t.Errorf("app lacks demo stanza [%s]", st.Name)
			continue
		}
		if v, _ := got.Get("disabled"); v.Text != "true" {
			t.Errorf("[%s] is not disabled in the app", st.Name)
		}
		for _, k := range st.Keys {
			if a, b := got.Values[k].Text, st.Values[k].Text; a != b {
				t.Errorf("[%s] %s differs: app %q, samples %q (edit samples/eventgen.conf and copy)", st.Name, k, a, b)
			}
		}
		if len(got.Keys) != len(st.Keys)+1 {
			t.Errorf("[%s] has %d keys in the app, want %d", st.Name, len(got.Keys), len(st.Keys)+1)
		}
	}
	if len(app.Stanzas) != len(demo.Stanzas)+1 {
		t.Errorf("app has %d stanzas, want the demo's %d plus [global]", len(app.Stanzas), len(demo.Stanzas))
	}
	builtin := config.Builtin().Stanza("global")
	for _, k := range builtin.Keys {
		if got, _ := app.Stanza("global").Get(k); got.Text != builtin.Values[k].Text {
			t.Errorf("app [global] %s = %q, want the built-in %q", k, got.Text, builtin.Values[k].Text)
		}
	}
	// Loaded as an app next to the demo samples, nothing runs.
	res := config.Load([]config.Source{{File: app, AppDir: repoRoot}}, config.Options{})
	if len(res.Samples) != 0 || len(res.Skipped) != len(demo.Stanzas) {
		t.Fatalf("app config runs %d samples and skips %d, want 0 and %d", len(res.Samples), len(res.Skipped), len(demo.Stanzas))
	}
}

func TestUsageAndFlagErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"generate", "--format", "xml"}, 2, "--format"},
		{[]string{"generate", "--output", "pigeon"}, 2, "--output"},
		{[]string{"generate", "--now", "yesterday"}, 2, "RFC3339"},
		{[]string{"generate", "--end", "-5"}, 2, "--end"},
		{[]string{"generate", "--stanza", "(", filepath.Join(repoRoot, "samples", "eventgen.conf")}, 2, "--stanza"},
		{[]string{"generate", "/nonexistent/app"}, 2, "/nonexistent/app"},
		{[]string{"validate", "--bogus"}, 2, "bogus"},
		{[]string{"version"}, 0, "eventgen"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, &stdio{out: &out, err: &errb})
		if code != c.code || !strings.Contains(out.String()+errb.String(), c.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d mentioning %q", c.args, code, out.String()+errb.String(), c.code, c.want)
		}
	}
}

// TestSeedReproducible: same seed, same --now → byte-identical output;
// another seed differs.
func TestSeedReproducible(t *testing.T) {
	gen := func(seed string) string {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"generate", "--end", "3", "--seed", seed, "--now", "2024-03-05T12:00:00Z", "--format", "jsonl", filepath.Join(repoRoot, "samples", "eventgen.conf")}, &stdio{out: &out, err: &errb})
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		return out.String()
	}
	a, b, c := gen("42"), gen("42"), gen("43")
	if a != b {
		t.Fatal("same seed, different output")
	}
	if a == c {
		t.Fatal("different seeds, same output")
	}
}

func TestDefaultConfigFromWorkingDirectory(t *testing.T) {
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(repoRoot); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"generate", "--end", "1", "--now", "2024-03-05T12:00:00Z"}, &stdio{out: &out, err: &errb}); code != 0 || out.Len() == 0 {
		t.Fatalf("exit %d, %d bytes out\n%s", code, out.Len(), errb.String())
	}
	os.Chdir(t.TempDir())
	errb.Reset()
	if code := run(context.Background(), []string{"generate"}, &stdio{out: &out, err: &errb}); code != 2 || !strings.Contains(errb.String(), "no configuration given") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

func TestStatsLine(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"generate", "--end", "2", "--now", "2024-03-05T12:00:00Z", "--output", "devnull", "--stats", filepath.Join(repoRoot, "samples", "eventgen.conf")}, &stdio{out: &out, err: &errb})
	if code != 0 || out.Len() != 0 {
		t.Fatalf("exit %d, %d bytes on stdout", code, out.Len())
	}
	var line struct {
		Stats struct {
			Events         int64   `json:"events"`
			Bytes          int64   `json:"bytes"`
			AllocsPerEvent float64 `json:"allocs_per_event"`
		} `json:"stats"`
	}
	for _, l := range strings.Split(errb.String(), "\n") {
		if strings.HasPrefix(l, `{"stats"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line.Stats.Events != 2*(20+4+3) || line.Stats.Bytes == 0 {
		t.Fatalf("stats %+v, want the demo's 2 intervals (54 events)\n%s", line.Stats, errb.String())
	}
}
