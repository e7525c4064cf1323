package splunk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

func TestSources(t *testing.T) {
	home := filepath.Join("/opt", "splunk")
	apps := wantConfEventgen()
	apps = append(apps, AppStanzas{App: "system", Stanzas: []*conf.Stanza{{Name: "sys", Keys: []string{"k"}, Values: map[string]conf.Value{"k": {Text: "v", File: "x", Line: 9}}}}})
	got := Sources(home, apps)
	if len(got) != len(apps) {
		t.Fatalf("got %d sources for %d apps", len(got), len(apps))
	}
	wantDirs := []string{
		filepath.Join(home, "etc", "apps", "SA-Eventgen"),
		filepath.Join(home, "etc", "apps", "my_app"),
		filepath.Join(home, "etc", "apps", "other_app"),
		filepath.Join(home, "etc", "system"),
	}
	for i, src := range got {
		if src.AppDir != wantDirs[i] {
			t.Errorf("source %d: AppDir = %q, want %q", i, src.AppDir, wantDirs[i])
		}
		file := filepath.Join(wantDirs[i], "default", "eventgen.conf")
		if src.File.Name != file {
			t.Errorf("source %d: File.Name = %q, want %q", i, src.File.Name, file)
		}
		if len(src.File.Stanzas) != len(apps[i].Stanzas) {
			t.Fatalf("source %d: %d stanzas, want %d", i, len(src.File.Stanzas), len(apps[i].Stanzas))
		}
		for j, st := range src.File.Stanzas {
			in := apps[i].Stanzas[j]
			if st.Name != in.Name || st.File != file || st.Line != 0 || strings.Join(st.Keys, ",") != strings.Join(in.Keys, ",") {
				t.Errorf("stanza %q: got name %q file %q line %d keys %v", in.Name, st.Name, st.File, st.Line, st.Keys)
			}
			for k, v := range st.Values {
				if v.File != file || v.Line != 0 || v.Text != in.Values[k].Text {
					t.Errorf("[%s] %s = %+v", st.Name, k, v)
				}
			}
		}
	}
	// The input is not modified.
	if v := apps[3].Stanzas[0].Values["k"]; v.File != "x" || v.Line != 9 {
		t.Errorf("input value modified: %+v", v)
	}
	if len(Sources(home, nil)) != 0 {
		t.Error("sources for no apps")
	}
}

// TestSourcesLoad feeds REST stanzas through Sources into config.Load: the
// samples are found in the app that owns the stanza, and a relative
// sampleDir resolves inside the app.
func TestSourcesLoad(t *testing.T) {
	home := t.TempDir()
	write(t, filepath.Join(home, "etc", "apps", "my_app", "samples", "web.log"), "a line\n")
	write(t, filepath.Join(home, "etc", "apps", "other_app", "samples", "db.log"), "a line\n")
	st := func(name string, kv ...string) *conf.Stanza {
		s := &conf.Stanza{Name: name, Values: map[string]conf.Value{}}
		for i := 0; i < len(kv); i += 2 {
			s.Keys = append(s.Keys, kv[i])
			s.Values[kv[i]] = conf.Value{Text: kv[i+1]}
		}
		return s
	}
	apps := []AppStanzas{
		{App: "my_app", Stanzas: []*conf.Stanza{st("web.log", "count", "1", "disabled", "false")}},
		{App: "other_app", Stanzas: []*conf.Stanza{st("db.log", "sampleDir", "../samples", "count", "2")}},
	}
	res := config.Load(Sources(home, apps), config.Options{Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	for _, p := range res.Errors() {
		t.Errorf("problem: %s", p)
	}
	paths := map[string]string{}
	for _, s := range res.Samples {
		paths[s.Stanza] = s.Path
	}
	want := map[string]string{
		"web.log": filepath.Join(home, "etc", "apps", "my_app", "samples", "web.log"),
		"db.log":  filepath.Join(home, "etc", "apps", "other_app", "samples", "db.log"),
	}
	for k, v := range want {
		if paths[k] != v {
			t.Errorf("sample %s at %q, want %q (skipped: %v)", k, paths[k], v, res.Skipped)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDiskSources builds a $SPLUNK_HOME in which every file sets "who" and
// a key of its own, and checks the layering against Splunk's global
// precedence (see DiskSources): system/local > apps' local/ > apps'
// default/ > system/default, and among apps "Zeta" > "alpha" > "beta"
// (byte order, the first winning).
func TestDiskSources(t *testing.T) {
	home := t.TempDir()
	apps := filepath.Join(home, "etc", "apps")
	sys := filepath.Join(home, "etc", "system")
	files := map[string]string{ // path → id, lowest precedence first in the expected order
		filepath.Join(sys, "default"):           "system/default",
		filepath.Join(apps, "beta", "default"):  "beta/default",
		filepath.Join(apps, "alpha", "default"): "alpha/default",
		filepath.Join(apps, "Zeta", "default"):  "Zeta/default",
		filepath.Join(apps, "beta", "local"):    "beta/local",
		filepath.Join(apps, "alpha", "local"):   "alpha/local",
		filepath.Join(apps, "Zeta", "local"):    "Zeta/local",
		filepath.Join(sys, "local"):             "system/local",
	}
	order := []string{"system/default", "beta/default", "alpha/default", "Zeta/default", "beta/local", "alpha/local", "Zeta/local", "system/local"}
	for dir, id := range files {
		write(t, filepath.Join(dir, "eventgen.conf"), "[shared]\nwho = "+id+"\n"+strings.ReplaceAll(id, "/", "_")+" = 1\n\n["+id+"]\nowner = "+id+"\n")
	}
	// An unparseable file: reported, the rest still loaded.
	broken := filepath.Join(apps, "broken", "default", "eventgen.conf")
	write(t, broken, "[x]\nkey = a\x00b\n")
	// A disabled app is left out, as splunkd leaves it out.
	write(t, filepath.Join(apps, "off", "default", "eventgen.conf"), "[shared]\nwho = off\n")
	write(t, filepath.Join(apps, "off", "local", "app.conf"), "[install]\nstate = disabled\n")
	// An app disabled in default/ but enabled in local/ is loaded.
	write(t, filepath.Join(apps, "on", "default", "eventgen.conf"), "[on]\nk = v\n")
	write(t, filepath.Join(apps, "on", "default", "app.conf"), "[install]\nstate = disabled\n")
	write(t, filepath.Join(apps, "on", "local", "app.conf"), "[install]\nstate = enabled\n")
	// Not apps: a file, and an app with no eventgen.conf.
	write(t, filepath.Join(apps, "README.txt"), "x")
	write(t, filepath.Join(apps, "empty_app", "default", "app.conf"), "[ui]\nis_visible = 0\n")

	sources, problems, err := DiskSources(home)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want one for the broken file", problems)
	}
	var ce *conf.Error
	if !errors.As(problems[0], &ce) || ce.File != broken || ce.Line != 2 {
		t.Errorf("problem = %v, want a *conf.Error at %s:2", problems[0], broken)
	}

	var got []string
	for _, s := range sources {
		dir := filepath.Dir(s.File.Name)
		id, ok := files[dir]
		switch {
		case ok:
			got = append(got, id)
		case dir == filepath.Join(apps, "on", "default"):
			continue
		default:
			t.Errorf("unexpected source %s", s.File.Name)
			continue
		}
		wantApp := filepath.Dir(dir)
		if s.AppDir != wantApp {
			t.Errorf("%s: AppDir = %q, want %q", id, s.AppDir, wantApp)
		}
	}
	// "on" sorts last ("Zeta" < "alpha" < "beta" < "on"), so it has the
	// lowest precedence of the apps: its default/ comes right after
	// system/default.
	if len(sources) > 1 && sources[1].File.Name != filepath.Join(apps, "on", "default", "eventgen.conf") {
		t.Errorf("second source is %s, want on/default", sources[1].File.Name)
	}
	if strings.Join(got, " ") != strings.Join(order, " ") {
		t.Errorf("order\n got %v\nwant %v", got, order)
	}
	if len(sources) != len(order)+1 {
		t.Errorf("%d sources, want %d", len(sources), len(order)+1)
	}

	// What config.Load will see: conf.Layer of the files in this order.
	var confFiles []*conf.File
	for _, s := range sources {
		confFiles = append(confFiles, s.File)
	}
	layered := conf.Layer(confFiles...)
	shared := layered.Stanza("shared")
	if v := shared.Values["who"]; v.Text != "system/local" {
		t.Errorf("who = %q, want system/local", v.Text)
	}
	for _, id := range order {
		if _, ok := shared.Values[strings.ReplaceAll(id, "/", "_")]; !ok {
			t.Errorf("key of %s lost in the merge", id)
		}
		if layered.Stanza(id) == nil {
			t.Errorf("stanza [%s] missing", id)
		}
	}
	if layered.Stanza("on") == nil {
		t.Error("app enabled in local/app.conf left out")
	}
	// Without system/local, the apps decide; step by step down the order.
	for cut := len(confFiles) - 1; cut > 0; cut-- {
		want := order[cut-1]
		var sub []*conf.File
		for _, f := range confFiles {
			if id := files[filepath.Dir(f.Name)]; id != "" && indexOf(order, id) < cut {
				sub = append(sub, f)
			}
		}
		if got := conf.Layer(sub...).Stanza("shared").Values["who"].Text; got != want {
			t.Errorf("top %d files: who = %q, want %q", cut, got, want)
		}
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestDiskSourcesErrors(t *testing.T) {
	_, _, err := DiskSources(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "list Splunk apps") {
		t.Errorf("err = %v for a $SPLUNK_HOME without etc/apps", err)
	}

	// No apps, only system files.
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "etc", "apps"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(home, "etc", "system", "local", "eventgen.conf"), "[global]\ncount = 1\n")
	sources, problems, err := DiskSources(home)
	if err != nil || len(problems) != 0 || len(sources) != 1 {
		t.Fatalf("sources %v, problems %v, err %v", sources, problems, err)
	}
	if sources[0].AppDir != filepath.Join(home, "etc", "system") {
		t.Errorf("system AppDir = %q", sources[0].AppDir)
	}

	// An eventgen.conf that cannot be read is a problem, not a failure.
	write(t, filepath.Join(home, "etc", "apps", "dir_app", "local", "eventgen.conf", "oops"), "")
	_, problems, err = DiskSources(home)
	if err != nil || len(problems) != 1 {
		t.Errorf("problems %v, err %v; want one problem", problems, err)
	}
}

func TestDiskSourcesSymlinkedApp(t *testing.T) {
	home := t.TempDir()
	target := filepath.Join(t.TempDir(), "real_app")
	write(t, filepath.Join(target, "default", "eventgen.conf"), "[s]\nk = v\n")
	if err := os.MkdirAll(filepath.Join(home, "etc", "apps"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(home, "etc", "apps", "linked")); err != nil {
		t.Skipf("cannot create a symbolic link here: %v", err)
	}
	sources, problems, err := DiskSources(home)
	if err != nil || len(problems) != 0 || len(sources) != 1 {
		t.Fatalf("sources %v, problems %v, err %v", sources, problems, err)
	}
	if want := filepath.Join(home, "etc", "apps", "linked"); sources[0].AppDir != want {
		t.Errorf("AppDir = %q, want %q", sources[0].AppDir, want)
	}
}
