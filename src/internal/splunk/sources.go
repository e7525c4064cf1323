package splunk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// systemApp is the app splunkd names for stanzas in etc/system, which is
// not under etc/apps.
const systemApp = "system"

// appDir is where an app's files are: etc/apps/<app>, or etc/system for
// "system" and for a stanza splunkd names no app for.
func appDir(splunkHome, app string) string {
	if app == "" || app == systemApp {
		return filepath.Join(splunkHome, "etc", "system")
	}
	return filepath.Join(splunkHome, "etc", "apps", app)
}

// Sources turns the stanzas read from splunkd into config sources, one per
// app in the order given, with AppDir the app's folder under
// <splunkHome>/etc/apps so that samples are looked up in the app that owns
// the stanza, as SA-Eventgen did (inventory §4.2). "system" (and an empty
// app name) map to <splunkHome>/etc/system.
//
// splunkd does not say which file set a value, so every value, and every
// stanza, is attributed to line 0 of <AppDir>/default/eventgen.conf: that
// is where an app ships its settings, and it makes a relative sampleDir
// resolve inside the app. The given stanzas are not modified.
func Sources(splunkHome string, apps []AppStanzas) []config.Source {
	out := make([]config.Source, 0, len(apps))
	for _, a := range apps {
		dir := appDir(splunkHome, a.App)
		name := filepath.Join(dir, "default", "eventgen.conf")
		f := &conf.File{Name: name}
		for _, s := range a.Stanzas {
			if s == nil {
				continue
			}
			c := &conf.Stanza{Name: s.Name, File: name, Keys: append([]string(nil), s.Keys...), Values: make(map[string]conf.Value, len(s.Values))}
			for k, v := range s.Values {
				c.Values[k] = conf.Value{Text: v.Text, File: name}
			}
			f.Stanzas = append(f.Stanzas, c)
		}
		out = append(out, config.Source{File: f, AppDir: dir})
	}
	return out
}

// DiskSources reads eventgen.conf from disk the way splunkd merges it when
// it cannot be asked (the REST API is unreachable): every
// etc/apps/<app>/default/eventgen.conf and local/eventgen.conf, and
// etc/system/default and local, lowest precedence first so that
// config.Load, where later sources win, gives splunkd's answer.
//
// Splunk's "Configuration file precedence" (Admin Manual,
// https://docs.splunk.com/Documentation/Splunk/9.0.5/Admin/Wheretofindtheconfigurationfiles)
// orders directories in the global context, highest priority first:
// system/local, the apps' local/ directories, the apps' default/
// directories, system/default. Among apps, the page's 6.3 edition
// (https://docs.splunk.com/Documentation/Splunk/6.3.4/admin/Wheretofindtheconfigurationfiles)
// says "Splunk uses ASCII sort order. Files in an apps directory named "A"
// have a higher priority than files in an apps directory named "B"", and
// Splunk Lantern's "Naming conventions" page adds that numbers come first,
// then capital letters, then lower case: byte order of the folder name,
// the first winning. So the sources are, lowest first:
//
//	system/default
//	apps' default/, app folders in reverse byte order ("beta", "alpha", "Zeta")
//	apps' local/, same order
//	system/local
//
// Each source's AppDir is its app's folder (etc/system for the system
// files). Apps disabled in app.conf ([install] state = disabled, local/
// over default/) are left out, as splunkd does not load their
// configuration. A file that does not exist is skipped; one that cannot be
// read or parsed is skipped and reported in problems. err is set only when
// etc/apps cannot be listed.
func DiskSources(splunkHome string) (sources []config.Source, problems []error, err error) {
	appsDir := filepath.Join(splunkHome, "etc", "apps")
	entries, err := os.ReadDir(appsDir)
	if err != nil {
		return nil, nil, fmt.Errorf("list Splunk apps: %w", err)
	}
	var apps []string
	for _, e := range entries {
		dir := filepath.Join(appsDir, e.Name())
		if !e.IsDir() {
			// An app may be a symbolic link to a folder.
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				continue
			}
		}
		if appDisabled(dir) {
			continue
		}
		apps = append(apps, e.Name())
	}
	sort.Strings(apps) // byte order: "Zeta" < "alpha" < "beta"

	add := func(dir, sub string) {
		path := filepath.Join(dir, sub, "eventgen.conf")
		f, err := conf.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			problems = append(problems, err)
			return
		}
		sources = append(sources, config.Source{File: f, AppDir: dir})
	}
	system := filepath.Join(splunkHome, "etc", "system")
	add(system, "default")
	for _, sub := range []string{"default", "local"} {
		for i := len(apps) - 1; i >= 0; i-- {
			add(filepath.Join(appsDir, apps[i]), sub)
		}
	}
	add(system, "local")
	return sources, problems, nil
}

// appDisabled reports whether the app's app.conf disables it. An app.conf
// that cannot be read or parsed leaves the app enabled, as the file
// matters less than the eventgen.conf the admin expects to run.
func appDisabled(dir string) bool {
	var files []*conf.File
	for _, sub := range []string{"default", "local"} {
		if f, err := conf.ReadFile(filepath.Join(dir, sub, "app.conf")); err == nil {
			files = append(files, f)
		}
	}
	v, ok := conf.Layer(files...).Stanza("install").Get("state")
	return ok && strings.EqualFold(strings.TrimSpace(v.Text), "disabled")
}
