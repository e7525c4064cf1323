package appcheck

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// The tests below check the app's source folder rather than a package:
// that its .spec files agree with the engine and with the confs it ships
// (what "splunk btool check" would reject).

// specKeys returns the settings a .spec file of the repository declares.
func specKeys(t *testing.T, rel string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	s := lintSpec(rel, data)
	if len(s.problems) > 0 {
		t.Fatalf("%s: %v", rel, s.problems)
	}
	var keys []string
	for _, st := range s.file.Stanzas {
		keys = append(keys, st.Keys...)
	}
	if len(keys) == 0 {
		t.Fatalf("%s declares no setting", rel)
	}
	return keys
}

// engineSettings returns every eventgen.conf key of the schema.
func engineSettings() []string {
	var keys []string
	for _, s := range settings.All() {
		keys = append(keys, s.Name)
	}
	return keys
}

// TestSpecCoversSettings: app/README/eventgen.conf.spec documents every
// setting the engine knows.
func TestSpecCoversSettings(t *testing.T) {
	spec := specKeys(t, "app/README/eventgen.conf.spec")
	want := append(engineSettings(), "token.<n>.token", "token.<n>.replacementType", "token.<n>.replacement", "token.<n>.field", "host.token", "host.replacement")
	for _, k := range want {
		if !slices.Contains(spec, k) {
			t.Errorf("app/README/eventgen.conf.spec does not declare %s (a setting of src/internal/settings); regenerate it: go test ./src/internal/settings -run TestSpecUpToDate -update", k)
		}
	}
}

// keysOf returns every setting of a repository .conf file.
func keysOf(t *testing.T, rel string) []conf.Value {
	t.Helper()
	f, err := conf.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	var out []conf.Value
	for _, s := range f.Stanzas {
		for _, k := range s.Keys {
			v := s.Values[k]
			v.Text = k
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s has no setting", rel)
	}
	return out
}

// TestSpecAcceptsShippedConfs: like "splunk btool check", every key of the
// shipped eventgen.conf files matches a spec entry (<n> is a number).
func TestSpecAcceptsShippedConfs(t *testing.T) {
	var alts []string
	for _, k := range specKeys(t, "app/README/eventgen.conf.spec") {
		alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(k), "<n>", "[0-9]+"))
	}
	re := regexp.MustCompile("^(" + strings.Join(alts, "|") + ")$")
	for _, rel := range []string{"app/default/eventgen.conf", "samples/eventgen.conf"} {
		for _, v := range keysOf(t, rel) {
			if !re.MatchString(v.Text) {
				t.Errorf("%s:%d: %s is not in app/README/eventgen.conf.spec; declare it there or fix the key", rel, v.Line, v.Text)
			}
		}
	}
}

// TestInputsConfKeys: app/default/inputs.conf uses only the settings of
// README/inputs.conf.spec and those every input has.
func TestInputsConfKeys(t *testing.T) {
	allowed := append(specKeys(t, "app/README/inputs.conf.spec"), "disabled", "interval", "start_by_shell", "index", "host", "source", "sourcetype")
	for _, v := range keysOf(t, "app/default/inputs.conf") {
		if !slices.Contains(allowed, v.Text) {
			t.Errorf("app/default/inputs.conf:%d: %s is neither in README/inputs.conf.spec nor a setting every input has", v.Line, v.Text)
		}
	}
}
